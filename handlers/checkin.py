"""What a scanned check-in QR says: recorded, already recorded, not yet open, over, or not a
valid code. `/start k-…` reaches it from handlers/signup.py, which also takes a person who has not
signed up through sign-up first (their check-in follows the confirmation)."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Translator
from bot.services.checkin import CheckinOutcome


def checkin_text(t: Translator, outcome: CheckinOutcome) -> str:
    """The answer to a scan, in the person's language."""
    event = outcome.event
    if outcome.refusal == "checkin.not_yet":
        return t("checkin.not_yet", title=event.title, opens=t.datetime(outcome.opens_at))
    if outcome.refusal is not None:
        return t(outcome.refusal, title=event.title if event else "")
    checked_in = datetime.fromisoformat(outcome.attendance.checked_in_at).astimezone(t.timezone)
    at = t.digits(checked_in.strftime("%H:%M"))
    key = "checkin.recorded" if outcome.recorded else "checkin.already"
    return t(key, title=event.title, center=t.center(outcome.center), at=at)
