"""A citizen's walk through the sign-up, step by step, as tests drive it over the emulator."""

from __future__ import annotations

from dataclasses import dataclass

from emulator.client import EmulatedUser
from emulator.state import BotAction


@dataclass(frozen=True)
class Answers:
    name: str = "مريم احمدي"
    national_id: str = "۰۴۹۹۳۷۰۸۹۹"
    mobile: str = "+989121234567"
    birth_date: str = "۱۳۷۵/۰۶/۲۱"
    typed_mobile: bool = False  # type the number instead of sharing one's own contact


FA = {"language": "فارسی", "agree": "✅ موافقم", "female": "زن", "done": "✅ تمام",
      "confirm": "✅ تأیید و ثبت نهایی", "province": "همدان", "county": "ملایر",
      "center": "مرکز مثبت زندگی مرکزی ملایر (نمونه) (کد ۴۱۷۵)",
      "activities": ["سلامت و بهداشت", "هنری و فرهنگی"], "days": ["شنبه", "دوشنبه"], "parts": ["صبح"]}
EN = {"language": "English", "agree": "✅ I agree", "female": "Female", "done": "✅ Done",
      "confirm": "✅ Confirm and register", "province": "Hamadan", "county": "Malayer",
      "center": "مرکز مثبت زندگی مرکزی ملایر (نمونه) (code 4175)",
      "activities": ["Health and hygiene", "Arts and culture"], "days": ["Saturday", "Monday"],
      "parts": ["Morning"]}


async def until_step(user: EmulatedUser, step: str, answers: Answers = Answers(),
                     labels: dict = FA) -> BotAction:
    """Walk from /start up to (not answering) `step`; returns the last bot action seen (the
    language question is passed over for whoever chose a language before)."""
    await user.command("start")
    await user.receive_text()  # greeting
    last = await user.question()
    asked_language = labels["language"] in user.inline_buttons()
    for name, act in _STEPS:
        if name == step:
            return last
        if name == "language" and not asked_language:
            continue
        last = await act(user, answers, labels)
    raise ValueError(step)


async def _language(user, answers, labels):
    await user.press(labels["language"])
    return await user.question()


async def _privacy(user, answers, labels):
    await user.press(labels["agree"])
    return await user.question()


async def _mobile(user, answers, labels):
    if answers.typed_mobile:
        await user.send(answers.mobile)
    else:
        await user.share_contact(answers.mobile)
    return await user.question()


async def _gender(user, answers, labels):
    await user.press(labels["female"])
    await user.question()  # center question with the location keyboard
    return await user.receive_text()  # province list


async def _center(user, answers, labels):
    await user.press(labels["province"])
    await user.receive()  # edited into counties
    await user.press(labels["county"])
    await user.receive()  # edited into centers
    await user.press(labels["center"])
    return await user.question()


def _multi(key):
    async def act(user, answers, labels):
        for label in labels[key]:
            await user.press(label)
            await user.receive()  # redrawn with ✓
        await user.press(labels["done"])
        return await user.question()
    return act


async def _confirm(user, answers, labels):
    await user.press(labels["confirm"])
    return await user.question()


def _sync_text(field):
    async def act(user, answers, labels):
        await user.send(getattr(answers, field))
        return await user.question()
    return act


_STEPS = [
    ("language", _language), ("privacy", _privacy), ("name", _sync_text("name")),
    ("national_id", _sync_text("national_id")), ("mobile", _mobile),
    ("birth_date", _sync_text("birth_date")), ("gender", _gender), ("center", _center),
    ("activities", _multi("activities")), ("days", _multi("days")), ("parts", _multi("parts")),
    ("summary", _confirm), ("done", None),
]


async def walk(user: EmulatedUser, start: str, stop: str, answers: Answers = Answers(),
               labels: dict = FA) -> BotAction:
    """Answer the questions from `start` (being asked now) up to `stop` (not answered); returns
    the last bot action seen."""
    names = [name for name, _ in _STEPS]
    last = None
    for _, act in _STEPS[names.index(start):names.index(stop)]:
        last = await act(user, answers, labels)
    return last


async def register(user: EmulatedUser, answers: Answers = Answers(), labels: dict = FA) -> BotAction:
    """The whole happy path; returns the thank-you message."""
    await until_step(user, "summary", answers, labels)
    return await _confirm(user, answers, labels)


async def speak_english(user: EmulatedUser) -> None:
    """/language → English, as a person would switch."""
    await user.command("language")
    await user.receive_text("زبان")
    await user.press("English")
    await user.receive_text("The bot now speaks English")
