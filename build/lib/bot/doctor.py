"""`main.py doctor`: the preflight a deployer runs with the real tokens before `make run`.

Per messenger, through its proxy, with the bot's own transport: can the API be reached, is the
token accepted (getMe), does a webhook block polling, what are the bot's username and deep-link
base; with a chat id, what the messenger answers when the bot sends a message with a button and
edits it (a full message, a stub, `true`, or a refusal). Raw answers are read as they come, so the
report shows the messenger as it is, not as PTB would parse it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.error import BadRequest, TelegramError
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.aiohttp_request import AiohttpRequest
from bot.api_bot import is_full_message
from bot.config import PlatformSettings
from bot.platforms import PROFILES
from bot.runner import describe_start_failure, token_rejected

TEST_TEXT = "Salam Mahalleh doctor: a test message (safe to delete)."
EDITED_TEXT = "Salam Mahalleh doctor: the same message, edited."


@dataclass
class Check:
    """One line of the report."""

    name: str
    outcome: str
    blocking: bool = False


@dataclass
class Diagnosis:
    platform: str
    checks: list[Check] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return any(c.blocking for c in self.checks)

    def add(self, name: str, outcome: str, blocking: bool = False) -> None:
        self.checks.append(Check(name, outcome, blocking))


class RawApi:
    """Bot API calls answered as raw JSON, over the bot's own transport and proxy."""

    def __init__(self, platform: PlatformSettings):
        self._platform = platform
        self._request = AiohttpRequest(connection_pool_size=2, proxy=platform.proxy)

    async def __aenter__(self) -> RawApi:
        await self._request.initialize()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._request.shutdown()

    async def call(self, method: str, **params: Any) -> Any:
        data = RequestData([RequestParameter.from_input(k, v) for k, v in params.items()
                            if v is not None])
        return await self._request.post(f"{self._platform.base_url}{self._platform.token}/{method}",
                                        request_data=data)


def describe_edit_answer(answer: Any) -> str:
    """What an edit's answer was, in the words of the capability table."""
    if answer is True:
        return "true (no message)"
    if isinstance(answer, dict) and is_full_message(answer):
        return "the edited message (as Telegram)"
    if isinstance(answer, dict):
        date = "with date" if "date" in answer else "without date"
        return f"a stub: message_id {answer.get('message_id')}, no text, {date}"
    return f"unexpected: {type(answer).__name__}"


async def diagnose(platform: PlatformSettings, chat_id: int | None,
                   delete_webhook: Callable[[str], Awaitable[bool]]) -> Diagnosis:
    """Every check for one messenger; `delete_webhook(url)` says whether to delete a webhook."""
    report = Diagnosis(platform.name)
    route = f"through the proxy {platform.proxy}" if platform.proxy else "directly"
    async with RawApi(platform) as api:
        try:
            me = await api.call("getMe")
        except TelegramError as exc:
            if token_rejected(exc):
                report.add("token", f"rejected ({exc}): check {platform.token_variable}", blocking=True)
            else:
                report.add("reachable", f"no, {route}: {describe_start_failure(platform, exc)}",
                           blocking=True)
            return report
        report.add("reachable", f"yes, {route}")
        username = me.get("username") or ""
        report.add("token", f"accepted: @{username} (id {me.get('id')})")
        report.add("deep links", PROFILES[platform.name].deep_link(username, "") + "<payload>")
        await _check_webhook(api, report, delete_webhook)
        if chat_id is not None:
            await _check_chat(api, report, chat_id)
    return report


async def _check_webhook(api: RawApi, report: Diagnosis,
                         delete_webhook: Callable[[str], Awaitable[bool]]) -> None:
    try:
        info = await api.call("getWebhookInfo")
    except TelegramError as exc:
        report.add("webhook", f"could not be read ({exc}); polling will delete one if set")
        return
    url = (info or {}).get("url") if isinstance(info, dict) else None
    if not url:
        report.add("webhook", "none (polling can start)")
        return
    if await delete_webhook(url):
        try:
            await api.call("deleteWebhook")
        except TelegramError as exc:
            report.add("webhook", f"set, and could not be deleted: {exc}", blocking=True)
            return
        report.add("webhook", "was set; deleted, polling can start")
    else:
        report.add("webhook", "set: it blocks polling; run `main.py doctor --delete-webhook`",
                   blocking=True)


async def _check_chat(api: RawApi, report: Diagnosis, chat_id: int) -> None:
    keyboard = {"inline_keyboard": [[{"text": "✓", "callback_data": "doctor"}]]}
    try:
        sent = await api.call("sendMessage", chat_id=chat_id, text=TEST_TEXT, reply_markup=keyboard)
    except TelegramError as exc:
        report.add("send to chat", f"refused: {exc} (has this chat started the bot?)", blocking=True)
        return
    kind = "a full message" if isinstance(sent, dict) and is_full_message(sent) else "a stub"
    report.add("send to chat", f"sent; answered with {kind}")
    message_id = sent.get("message_id") if isinstance(sent, dict) else None
    try:
        edited = await api.call("editMessageText", chat_id=chat_id, message_id=message_id,
                                text=EDITED_TEXT, reply_markup=keyboard)
    except BadRequest as exc:
        report.add("edit with buttons", f"refused: {exc} (the bot will send anew instead)")
        return
    except TelegramError as exc:
        report.add("edit with buttons", f"failed: {exc}")
        return
    report.add("edit with buttons", f"made; answered with {describe_edit_answer(edited)}")


def format_report(diagnoses: list[Diagnosis]) -> str:
    """The table the deployer reads."""
    lines = []
    for diagnosis in diagnoses:
        lines.append(f"{diagnosis.platform.capitalize()}:")
        width = max(len(c.name) for c in diagnosis.checks)
        for check in diagnosis.checks:
            mark = "✗" if check.blocking else "✓"
            lines.append(f"  {mark} {check.name.ljust(width)}  {check.outcome}")
    blocked = [d.platform for d in diagnoses if d.blocked]
    lines.append(f"Blocking problems: {', '.join(blocked)}." if blocked else "Ready to run.")
    return "\n".join(lines)
