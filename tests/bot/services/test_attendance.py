"""The hours rule: from arrival (not before the start) to check-out, to the quarter hour; without
a check-out, the whole event."""

from __future__ import annotations

from bot.services.attendance import hours_of
from storage.models import Event, ScopeKind

EVENT = Event(1, "Kickoff", ScopeKind.ALL, None, "2027-02-03T04:30:00+00:00", None, (), "",
              "2027-02-03T08:30:00+00:00")


def test_without_a_check_out_the_hours_are_the_whole_event():
    assert hours_of(EVENT, "2027-02-03T06:00:00+00:00", None) == 4.0


def test_from_arrival_to_check_out_to_the_quarter_hour():
    assert hours_of(EVENT, "2027-02-03T05:00:00+00:00", "2027-02-03T07:30:00+00:00") == 2.5
    assert hours_of(EVENT, "2027-02-03T03:30:00+00:00", "2027-02-03T05:37:00+00:00") == 1.0  # from 04:30
    assert hours_of(EVENT, "2027-02-03T05:00:00+00:00", "2027-02-03T05:10:00+00:00") == 0.25
    assert hours_of(EVENT, "2027-02-03T05:00:00+00:00", "2027-02-03T04:00:00+00:00") == 0.0  # never less


def test_an_event_made_before_events_had_an_end_counts_two_hours():
    old = Event(2, "Old", ScopeKind.ALL, None, "2026-02-03T04:30:00+00:00", None, ())
    assert hours_of(old, "2026-02-03T04:30:00+00:00", None) == 2.0


def test_a_check_out_after_the_end_counts_to_the_end():
    assert hours_of(EVENT, "2027-02-03T05:00:00+00:00", "2027-02-04T07:00:00+00:00") == 3.5  # 05:00 to 08:30
