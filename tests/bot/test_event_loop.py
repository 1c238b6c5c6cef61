"""`main.py run` runs on uvloop where it is installed, and asyncio's loop otherwise."""

from __future__ import annotations

import asyncio
import sys

from bot import event_loop
from storage.db import Database


def test_the_bot_runs_on_uvloop_and_hands_work_to_sqlites_thread(tmp_path):
    async def count_centers() -> tuple[str, int]:
        db = await Database.open(tmp_path / "loop.sqlite3")
        try:
            row = await db.fetch_one("SELECT COUNT(*) FROM centers")
        finally:
            await db.close()
        return type(asyncio.get_running_loop()).__module__, row[0]

    module, centers = event_loop.run(count_centers())
    assert centers > 0
    if sys.platform != "win32":
        assert module.startswith("uvloop")


def test_without_uvloop_asyncio_runs_the_bot(monkeypatch):
    monkeypatch.setitem(sys.modules, "uvloop", None)  # as on Windows: the import fails
    assert event_loop.loop_factory() is None
    assert event_loop.run(asyncio.sleep(0, "done")) == "done"

