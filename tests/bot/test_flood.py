"""The per-user flood gate: N updates a window, one warning, the rest dropped, served again
once the user slows down."""

from __future__ import annotations

from bot.flood import FloodGate, FloodLimit, Verdict


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_past_the_limit_one_warning_then_drops_until_the_pace_falls():
    ticks = Ticks()
    gate = FloodGate(FloodLimit(3, 10), ticks)
    assert [gate.admit("a") for _ in range(6)] == [Verdict.ADMIT] * 3 + [Verdict.WARN] + [Verdict.DROP] * 2
    assert gate.admit("b") is Verdict.ADMIT  # another user is counted apart
    ticks.now += 10.5  # a whole window later: the dropped updates did not count
    assert [gate.admit("a") for _ in range(4)] == [Verdict.ADMIT] * 3 + [Verdict.WARN]


def test_an_idle_user_is_forgotten_and_off_admits_everything():
    ticks = Ticks()
    gate = FloodGate(FloodLimit(2, 5), ticks)
    for user in range(1000):
        gate.admit(user)
    ticks.now += 6
    gate.admit("late")
    assert len(gate._arrivals) == 1  # memory follows active users only
    off = FloodGate(FloodLimit(0, 1), ticks)
    assert {off.admit("a") for _ in range(10_000)} == {Verdict.ADMIT}
