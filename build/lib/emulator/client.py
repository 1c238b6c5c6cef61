"""The user side of the emulator: act as a person in a chat and read what the bot sent back."""

from __future__ import annotations

import asyncio
from typing import Any

from emulator.server import BotApiEmulator
from emulator.state import BotAction, EmulatedBot, now


class NoReply(AssertionError):
    """The bot did not do what was awaited in time."""


_NEXT_QUESTION = ("ادامه 👇", "Next 👇")  # locales' dialog.next


def is_keyboard_removal(action: BotAction) -> bool:
    """Whether a message only takes a reply keyboard away before a dialog's next question."""
    return bool((action.reply_markup or {}).get("remove_keyboard")) and action.text in _NEXT_QUESTION


class EmulatedUser:
    """A messenger user talking to one bot in a private chat (or in a group via `chat`)."""

    def __init__(self, emulator: BotApiEmulator, bot: EmulatedBot, user_id: int,
                 first_name: str = "کاربر", language_code: str = "fa",
                 username: str | None = None, chat: dict[str, Any] | None = None):
        self.emulator = emulator
        self.bot = bot
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name,
                                     "language_code": language_code}
        if username:
            self.user["username"] = username
        self.chat = chat or {"id": user_id, "type": "private", "first_name": first_name}
        self.state = bot.chat(self.chat)
        self._cursor = 0
        self._own_message_ids = iter(range(1_000_000, 10_000_000))

    @property
    def id(self) -> int:
        return int(self.user["id"])

    # ----------------------------------------------------------------- sending
    async def _message(self, **content: Any) -> dict[str, Any]:
        message = {"message_id": next(self._own_message_ids), "from": self.user, "chat": self.chat,
                   "date": now(), **content}
        self.state.user_messages[message["message_id"]] = message
        await self.bot.push_update({"message": message})
        return message

    async def send(self, text: str) -> dict[str, Any]:
        """Type and send a text message."""
        return await self._message(text=text)

    async def command(self, name: str, args: str = "") -> dict[str, Any]:
        """Send `/name args` with its bot_command entity, as a client does."""
        command = f"/{name.lstrip('/')}"
        text = f"{command} {args}".strip()
        return await self._message(
            text=text, entities=[{"type": "bot_command", "offset": 0, "length": len(command)}]
        )

    async def share_contact(self, phone_number: str, *, own: bool = True,
                            first_name: str | None = None) -> dict[str, Any]:
        """Share a contact: one's own (via the request_contact button) or someone else's."""
        contact: dict[str, Any] = {"phone_number": phone_number,
                                   "first_name": first_name or self.user["first_name"]}
        contact["user_id"] = self.id if own else self.id + 1
        return await self._message(contact=contact)

    async def share_location(self, latitude: float, longitude: float) -> dict[str, Any]:
        """Share a location pin."""
        return await self._message(location={"latitude": latitude, "longitude": longitude})

    async def send_sticker(self) -> dict[str, Any]:
        """Send a sticker."""
        return await self._message(sticker={
            "file_id": "sticker-1", "file_unique_id": "s1", "type": "regular", "width": 512,
            "height": 512, "is_animated": False, "is_video": False, "emoji": "👍"})

    async def send_photo(self) -> dict[str, Any]:
        """Send a photo."""
        return await self._message(photo=[{"file_id": "photo-1", "file_unique_id": "p1",
                                           "width": 90, "height": 90}])

    async def send_voice(self) -> dict[str, Any]:
        """Send a voice note."""
        return await self._message(voice={"file_id": "voice-1", "file_unique_id": "v1",
                                          "duration": 3})

    async def forward_contact(self, phone_number: str) -> dict[str, Any]:
        """Forward a message holding someone else's contact card."""
        return await self._message(
            contact={"phone_number": phone_number, "first_name": "دیگری"},
            forward_origin={"type": "hidden_user", "sender_user_name": "دیگری", "date": now()},
        )

    async def press(self, label: str | None = None, *, data: str | None = None,
                    message: BotAction | dict[str, Any] | None = None) -> str:
        """Press an inline button (by its text or callback data) on a bot message; newest first."""
        candidates = [message.message if isinstance(message, BotAction) else message] if message \
            else list(reversed(self.state.messages.values()))
        for candidate in candidates:
            current = self.state.messages.get(candidate["message_id"], candidate)
            for row in (current.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if (label is not None and button.get("text") == label) or (
                        data is not None and button.get("callback_data") == data
                    ):
                        return await self.press_data(button["callback_data"], current)
        raise AssertionError(f"no inline button {label or data!r}; buttons: {self.inline_buttons()}")

    async def press_data(self, callback_data: str, message: dict[str, Any]) -> str:
        """Send a callback query with any data (also a forged one) for a bot message."""
        query_id = self.emulator.new_callback_query_id()
        self.bot.open_callback_queries.add(query_id)
        await self.bot.push_update({"callback_query": {
            "id": query_id, "from": self.user, "message": message,
            "chat_instance": f"ci-{self.chat['id']}", "data": callback_data,
        }})
        return query_id

    # ----------------------------------------------------------------- reading
    async def receive(self, timeout: float = 5.0) -> BotAction:
        """The next thing the bot did in this chat (new message, edit or deletion)."""
        state = self.state

        async def arrived() -> None:
            async with state.changed:
                await state.changed.wait_for(lambda: len(state.actions) > self._cursor)

        try:
            await asyncio.wait_for(arrived(), timeout)
        except TimeoutError:
            raise NoReply(f"the bot did nothing in chat {self.chat['id']} within {timeout}s") from None
        action = state.actions[self._cursor]
        self._cursor += 1
        return action

    async def receive_text(self, contains: str | None = None, timeout: float = 5.0) -> BotAction:
        """The next action; asserts that its text contains `contains` when given."""
        action = await self.receive(timeout)
        if contains is not None and contains not in action.text:
            raise AssertionError(f"expected {contains!r} in the bot's reply, got {action.text!r}")
        return action

    async def answered(self, timeout: float = 5.0) -> BotAction:
        """The next action is the bot taking the buttons off a question once it was answered."""
        action = await self.receive(timeout)
        if action.kind != "edit" or (action.message.get("reply_markup") or {}).get("inline_keyboard"):
            raise AssertionError(f"expected the answered question to lose its buttons, got "
                                 f"{action.kind}: {action.text!r}")
        return action

    async def question(self, contains: str | None = None, timeout: float = 5.0) -> BotAction:
        """The next question a dialog asks, passing over what comes with moving on: the answered
        question losing its buttons, and the short message that takes an earlier reply keyboard
        away before a question of inline buttons."""
        while True:
            action = await self.receive(timeout)
            buttons = (action.message.get("reply_markup") or {}).get("inline_keyboard")
            if action.kind == "edit" and not buttons:
                continue
            if action.kind == "message" and is_keyboard_removal(action):
                continue
            if contains is not None and contains not in action.text:
                raise AssertionError(f"expected {contains!r} in the bot's question, got {action.text!r}")
            return action

    async def silence(self, seconds: float = 0.3) -> None:
        """Assert the bot sends nothing more for a moment."""
        try:
            action = await self.receive(seconds)
        except NoReply:
            return
        raise AssertionError(f"expected no reply, got {action.kind}: {action.text!r}")

    def pending(self) -> list[BotAction]:
        """Actions received but not read yet."""
        return self.state.actions[self._cursor:]

    def skip_all(self) -> None:
        """Mark everything the bot did so far as read."""
        self._cursor = len(self.state.actions)

    def inline_buttons(self) -> list[str]:
        """Texts of the inline buttons on the newest bot message that has any."""
        for message in reversed(self.state.messages.values()):
            rows = (message.get("reply_markup") or {}).get("inline_keyboard")
            if rows:
                return [b["text"] for row in rows for b in row]
        return []

    def reply_keyboard(self) -> list[dict[str, Any]]:
        """Buttons of the reply keyboard the user currently sees (empty once removed)."""
        for action in reversed(self.state.actions):
            markup = action.reply_markup or {}
            if "keyboard" in markup:
                return [b if isinstance(b, dict) else {"text": b}
                        for row in markup["keyboard"] for b in row]
            if markup.get("remove_keyboard"):
                return []
        return []

    def callback_answer(self, query_id: str):
        """The bot's answer to a pressed button, if it has arrived."""
        return self.bot.callback_answers.get(query_id)

    async def answer_to(self, query_id: str, timeout: float = 5.0):
        """Wait for the bot's answer to a pressed button."""
        deadline = asyncio.get_running_loop().time() + timeout
        while query_id not in self.bot.callback_answers:
            if asyncio.get_running_loop().time() > deadline:
                raise NoReply(f"the bot did not answer button press {query_id} within {timeout}s")
            await asyncio.sleep(0.01)
        return self.bot.callback_answers[query_id]
