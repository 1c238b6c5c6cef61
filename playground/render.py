"""What the playground prints: the bot's messages as lines a terminal shows right-to-left correctly,
and the buttons a person can press, numbered."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.rtl import shaped
from emulator.client import EmulatedUser
from emulator.state import BotAction, EmulatedBot

_RTL_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")


def line_for_terminal(line: str, visual: bool, align: bool = True) -> str:
    """A line as the terminal should print it. Most terminals lay text out left-to-right and do not
    join Arabic-script letters, so in `visual` mode a Persian line is shaped, reordered and (with
    `align`) set flush right; terminals that do their own bidi (or a test) get the text as it is."""
    if not visual or not _RTL_LETTER.search(line):
        return line
    text = shaped(line)
    if not align:
        return text
    width = shutil.get_terminal_size((100, 24)).columns
    return text.rjust(max(width - 2, len(text)))


@dataclass(frozen=True)
class Choice:
    """One button the person can press by number."""

    label: str
    kind: str  # "callback" | "url" | "reply" | "contact" | "location"
    value: str = ""
    message: dict[str, Any] | None = None


def choices(user: EmulatedUser) -> list[Choice]:
    """The buttons a person sees now: the inline ones of the bot's newest messages (those that
    came together, as /events lists one event a message, up to one without buttons: what lies
    above it is a question already passed), then the reply keyboard under the text field."""
    found: list[Choice] = []
    latest = []
    for message in reversed(user.state.messages.values()):
        if not (message.get("reply_markup") or {}).get("inline_keyboard"):
            break
        latest.insert(0, message)
    for message in latest:
        for button in (b for row in message["reply_markup"]["inline_keyboard"] for b in row):
            if "callback_data" in button:
                found.append(Choice(button["text"], "callback", button["callback_data"], message))
            elif "url" in button:
                found.append(Choice(button["text"], "url", button["url"]))
    for button in user.reply_keyboard():
        kind = ("contact" if button.get("request_contact")
                else "location" if button.get("request_location") else "reply")
        found.append(Choice(button["text"], kind, button["text"]))
    return found


def choice_lines(options: list[Choice], visual: bool) -> list[str]:
    """`[1] label` per button, one per line so long Persian labels stay readable."""
    return [f"   [{number}] {line_for_terminal(choice.label, visual, align=False)}"
            for number, choice in enumerate(options, start=1)]


def action_lines(action: BotAction, bot: EmulatedBot, folder: Path, visual: bool) -> list[str]:
    """What one thing the bot did looks like in the transcript."""
    if action.kind == "delete":
        return ["🗑  (the bot deleted a message)"]
    buttons = (action.message.get("reply_markup") or {}).get("inline_keyboard")
    if action.method == "editMessageReplyMarkup" and not buttons:
        return ["☑️  (the answered question's buttons are gone)"]
    lines: list[str] = []
    message = action.message
    if action.kind == "edit":
        lines.append("✏️  (the bot edited a message:)")
    if "document" in message:
        path = _save(bot, message["document"]["file_id"], folder)
        lines.append(f"📎 file: {path}")
    elif "photo" in message:
        path = _save(bot, message["photo"][-1]["file_id"], folder)
        lines.append(f"🖼  picture: {path}")
    lines += [line_for_terminal(line, visual) for line in action.text.splitlines()]
    return lines


def _save(bot: EmulatedBot, file_id: str, folder: Path) -> Path:
    """Write a file the bot sent next to the person, so they can open it."""
    stored = bot.files[file_id]
    name = stored.filename if "." in stored.filename else f"{stored.filename}.png"
    path = folder / f"{stored.file_unique_id}-{name}"
    path.write_bytes(stored.content)
    return path
