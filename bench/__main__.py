"""`python -m bench` (or `make bench`): every figure of the report in one run, written to
bench/results/latest.md (and a dated copy)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import broadcast, database, flood, report, rsvp, signup
from bench.citizens import SIGNUP_FLOW
from bench.placement import Placement

RESULTS = Path(__file__).resolve().parent / "results"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--citizens", type=int, default=2000, help="sign-ups in the burst")
    parser.add_argument("--paced-rate", type=float, default=200, help="updates/s offered steadily")
    parser.add_argument("--paced-seconds", type=float, default=60, help="how long they arrive")
    parser.add_argument("--recipients", type=int, default=100_000, help="registrations for broadcasts")
    parser.add_argument("--window", type=float, default=60, help="seconds of the rate-limited broadcast")
    parser.add_argument("--answers", type=int, default=2000,
                        help="volunteers answering one invitation at once")
    parser.add_argument("--checkins", type=int, default=500, help="check-ins within a minute at one center")
    parser.add_argument("--rows", type=int, default=1_000_000, help="registrations for the database figures")
    parser.add_argument("--flood-seconds", type=float, default=20,
                        help="how long others ask /help, alone and during one user's flood")
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the benchmark itself")
    parser.add_argument("--workdir", type=Path, help="keep generated databases here (reused next time)")
    parser.add_argument("--shared-cpus", action="store_true",
                        help="let the emulator and the process under test share every CPU")
    return parser.parse_args()


async def run(args: argparse.Namespace, workdir: Path, placement: Placement) -> str:
    started = time.perf_counter()
    params = {"citizens": args.citizens, "paced_rate": args.paced_rate,
              "paced_seconds": args.paced_seconds, "recipients": args.recipients,
              "window": args.window, "flood_limit": 30.0, "rows": args.rows,
              "answers": args.answers, "checkins": args.checkins,
              "updates_per_signup": len(SIGNUP_FLOW)}
    figures = {}
    # The floor is measured before and after the sign-ups: a shared machine's speed drifts over
    # minutes, and the ratio should not depend on which of the two happened to run in a fast spell.
    print("framework floor …", flush=True)
    floor_before = await signup.floor(workdir, args.citizens, placement)
    print("sign-ups …", flush=True)
    figures["signup"] = await signup.burst(workdir, args.citizens, args.paced_rate,
                                           args.paced_seconds, placement)
    print("framework floor again …", flush=True)
    figures["floor"] = signup.bracketed(floor_before, await signup.floor(workdir, args.citizens, placement))
    print("one user flooding …", flush=True)
    figures["flood"] = await flood.measure(workdir, placement, seconds=args.flood_seconds)
    print("broadcast under the flood limit …", flush=True)
    figures["limited"] = await broadcast.under_flood_limit(workdir, args.recipients, args.window,
                                                           placement)
    print("broadcast with limits off …", flush=True)
    figures["unlimited"] = await broadcast.limits_off(workdir, args.recipients, placement)
    print("an invitation answered at once, a minute of check-ins …", flush=True)
    figures["rsvp"] = await rsvp.measure(workdir, args.answers, args.checkins, placement)
    print("database …", flush=True)
    figures["database"] = await database.measure(workdir, args.rows)
    print(json.dumps(figures, indent=1))
    return report.render(params, **figures, seconds=time.perf_counter() - started,
                         placement=placement.describe())


def main() -> None:
    args = arguments()
    if args.quick:
        args.citizens, args.paced_seconds, args.recipients, args.window, args.rows = 200, 30, 5000, 10, 20_000
        args.flood_seconds = 8
        args.answers, args.checkins = 200, 50
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    placement = Placement() if args.shared_cpus else Placement.split()
    placement.pin_harness()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        text = asyncio.run(run(args, args.workdir, placement))
    else:
        with tempfile.TemporaryDirectory(prefix="salam-bench-") as folder:
            text = asyncio.run(run(args, Path(folder), placement))
    RESULTS.mkdir(exist_ok=True)
    name = "quick.md" if args.quick else "latest.md"
    (RESULTS / name).write_text(text, encoding="utf-8")
    if not args.quick:
        (RESULTS / f"{datetime.now(UTC):%Y-%m-%d}.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
