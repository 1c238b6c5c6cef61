"""Which CPUs the benchmark's processes run on.

The emulator and the simulated citizens stand in for Telegram's servers and people's phones, which
in production never take CPU from the bot. On a machine with two or more CPUs they get the first
one, and every process under test (the bot, the echo bot, the bare send loop) the others, so that
neither side's threads are charged to the other and both sides of a ratio run on the same CPUs."""

from __future__ import annotations

import os
from dataclasses import dataclass

from emulator.bot_process import pin_to_cpus


@dataclass(frozen=True)
class Placement:
    harness: frozenset[int] | None = None
    under_test: frozenset[int] | None = None

    @classmethod
    def split(cls) -> Placement:
        """The first available CPU for the harness, the rest for the process under test; shared
        (no pinning) where there is only one CPU or the OS cannot pin."""
        if not hasattr(os, "sched_getaffinity"):
            return cls()
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) < 2:
            return cls()
        return cls(frozenset(cpus[:1]), frozenset(cpus[1:]))

    def pin_harness(self) -> None:
        """Keep this process (the emulator and the load generator) on the harness CPUs."""
        if self.harness:
            pin_to_cpus(os.getpid(), self.harness)

    def describe(self) -> str:
        if not self.harness:
            return "all processes share every CPU (no pinning)"
        return (f"emulator and simulated users on CPU {_cpu_list(self.harness)}; the process under "
                f"test (bot, echo bot or bare send loop) on CPU {_cpu_list(self.under_test)}")


def _cpu_list(cpus: frozenset[int]) -> str:
    return ", ".join(str(cpu) for cpu in sorted(cpus))
