"""An aiohttp server on 127.0.0.1 that answers Bot API calls the way Telegram does.

The bot under test reaches it only through its base URL (`http://127.0.0.1:<port>/bot`), exactly as
it would reach the real service. Tests act as users through `emulator.client.EmulatedUser`.
"""

from __future__ import annotations

import itertools
import json
import struct
from typing import Any

from aiohttp import web

from emulator import bale
from emulator.faults import ApiError, Faults, HtmlPage
from emulator.state import BotAction, CallbackAnswer, EmulatedBot, StoredFile, now

MAX_TEXT = 4096
MAX_CAPTION = 1024
PARSE_MODES = {"HTML", "Markdown", "MarkdownV2"}
JSON_FIELDS = {
    "reply_markup", "entities", "caption_entities", "allowed_updates", "commands",
    "reply_parameters", "link_preview_options", "scope", "media",
}
INT_FIELDS = {"message_id", "offset", "limit", "timeout", "reply_to_message_id", "cache_time",
              "user_id", "from_chat_id", "message_thread_id"}
BOOL_FIELDS = {"show_alert", "disable_notification", "protect_content", "disable_web_page_preview",
               "drop_pending_updates"}
PHOTO_SIZES = (90, 320, 800)


class UploadedFile:
    def __init__(self, filename: str, content_type: str, content: bytes):
        self.filename = filename
        self.content_type = content_type
        self.content = content


def _decode(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in JSON_FIELDS:
        return json.loads(value)
    if name in INT_FIELDS or (name == "chat_id" and value.lstrip("-").isdigit()):
        return int(value)
    if name in BOOL_FIELDS:
        return value.lower() == "true"
    return value


async def read_params(request: web.Request) -> dict[str, Any]:
    """Query string, JSON, form or multipart parameters, decoded the way the Bot API reads them."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.content_type == "multipart/form-data":
        reader = await request.multipart()
        async for part in reader:
            if part.filename:
                params[part.name] = UploadedFile(
                    part.filename, part.headers.get("Content-Type", "application/octet-stream"),
                    bytes(await part.read()),
                )
            else:
                params[part.name] = await part.text()
    elif request.can_read_body:
        params.update(await request.post())
    return {name: _decode(name, value) for name, value in params.items()}


def _png_size(content: bytes) -> tuple[int, int]:
    if content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) >= 24:
        return struct.unpack(">II", content[16:24])
    return (0, 0)


class BotApiEmulator:
    """Bots by token, the HTTP server, and the fault switches."""

    def __init__(self) -> None:
        self.bots: dict[str, EmulatedBot] = {}
        self.faults = Faults()
        self._bot_ids = itertools.count(7_000_000_001)
        self._callback_ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        # How a call with a token no bot has is answered: "telegram" (401) or "bale" (403).
        self.unknown_token_dialect = "telegram"

    # ----------------------------------------------------------------- lifecycle
    def add_bot(self, token: str, username: str = "salam_mahalleh_bot",
                first_name: str = "سلام محله", dialect: str = "telegram",
                quirks: bale.BaleQuirks | None = None) -> EmulatedBot:
        """Register a bot account reachable with `token`, behaving like Telegram or like Bale
        (by default the harshest Bale; `quirks` picks a kinder variant)."""
        bot = EmulatedBot(token, next(self._bot_ids), username, first_name, dialect, quirks)
        self.bots[token] = bot
        return bot

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve on host:port (0 picks a free port; see `self.port`); again after a stop, too."""
        for bot in self.bots.values():
            bot.reopen()
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.*}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Stop serving; waiting long-polls are cut off."""
        for bot in self.bots.values():
            await bot.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ----------------------------------------------------------------- HTTP
    async def _handle_method(self, request: web.Request) -> web.Response:
        bot = self.bots.get(request.match_info["token"])
        if bot is None:
            # Telegram answers 401; Bale answers 403 "Token not found" (which one answers here
            # is the emulator's setting: a token no bot has belongs to neither).
            if self.unknown_token_dialect == "bale":
                return self._error(ApiError(403, bale.TOKEN_NOT_FOUND))
            return self._error(ApiError(401, "Unauthorized"))
        method = request.match_info["method"]
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return self._error(ApiError(404, "Not Found: method not found"))
        params: dict[str, Any] = {}
        try:
            params = await read_params(request)
            bot.requests.append((method, params))
            await self.faults.apply(method, params)
            if bot.dialect == "bale":
                self._bale_refusals(bot, method, params)
            result = await handler(bot, params)
        except ApiError as exc:
            bot.answers.append((method, params.get("chat_id"), exc.code))
            return self._error(self._in_dialect(bot, exc))
        except HtmlPage as page:
            bot.answers.append((method, params.get("chat_id"), page.status))
            return web.Response(status=page.status, content_type="text/html",
                                text="<html><body><h1>Access denied</h1></body></html>")
        except (ValueError, KeyError, TypeError) as exc:
            bot.answers.append((method, params.get("chat_id"), 400))
            return self._error(ApiError(400, f"Bad Request: {exc}"))
        bot.answers.append((method, params.get("chat_id"), 200))
        if bot.quirks is not None and method.lower().startswith("edit") and isinstance(result, dict):
            result = bale.edit_answer(bot.quirks, result, now())
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        bot = self.bots.get(request.match_info["token"])
        stored = bot.files.get(request.match_info["path"]) if bot else None
        if stored is None:
            return self._error(ApiError(404, "Not Found: file not found"))
        return web.Response(body=stored.content, content_type=stored.mime_type)

    @staticmethod
    def _error(error: ApiError) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": error.code, "description": error.description}
        if error.parameters:
            body["parameters"] = error.parameters
        return web.json_response(body, status=error.code)

    @staticmethod
    def _in_dialect(bot: EmulatedBot, error: ApiError) -> ApiError:
        """An error in the words of the bot's messenger (Telegram's are the emulator's own)."""
        if bot.quirks is None:
            return error
        description, parameters = error.description, error.parameters
        if error.code == 403:
            description = bale.BLOCKED
        elif "chat not found" in description:
            description = bale.NO_SUCH_CHAT
        if error.code == 429 and not bot.quirks.retry_after:
            description, parameters = "Too Many Requests", None
        return ApiError(error.code, description, parameters)

    @staticmethod
    def _bale_refusals(bot: EmulatedBot, method: str, params: dict[str, Any]) -> None:
        """Where Bale's Bot API differs from Telegram's, answer as Bale does."""
        if params.get("parse_mode"):
            raise ApiError(400, "Bad Request: parse_mode is not supported")
        if params.get("reply_parameters"):
            raise ApiError(400, "Bad Request: reply_parameters is not supported")
        name = method.lower()
        if name == "setmycommands":
            raise ApiError(400, "Bad Request: method is not available")
        if name in ("editmessagetext", "editmessagereplymarkup") and \
                bot.quirks is not None and bot.quirks.edit_answer == "refused":
            state = bot.chats.get(params.get("chat_id"))
            message = state.messages.get(params.get("message_id")) if state else None
            if message and message.get("reply_markup", {}).get("inline_keyboard"):
                raise ApiError(400, "Bad Request: message with an inline keyboard can not be edited")

    # ----------------------------------------------------------------- helpers
    @staticmethod
    def _known_chat(bot: EmulatedBot, params: dict[str, Any]):
        chat_id = params.get("chat_id")
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        state = bot.chats.get(chat_id)
        if state is None:
            raise ApiError(400, "Bad Request: chat not found")
        return state

    @staticmethod
    def _check_parse_mode(params: dict[str, Any]) -> None:
        mode = params.get("parse_mode")
        if mode and mode not in PARSE_MODES:
            raise ApiError(400, f"Bad Request: unsupported parse_mode {mode}")

    async def _new_message(self, bot: EmulatedBot, params: dict[str, Any], method: str,
                           **content: Any) -> dict[str, Any]:
        state = self._known_chat(bot, params)
        self._check_parse_mode(params)
        markup = params.get("reply_markup")
        message: dict[str, Any] = {
            "message_id": next(state.next_message_id),
            "from": bot.user,
            "chat": state.chat,
            "date": now(),
            **content,
        }
        reply_to = params.get("reply_to_message_id") or (params.get("reply_parameters") or {}).get(
            "message_id"
        )
        replied = state.messages.get(reply_to) or state.user_messages.get(reply_to)
        if replied is not None:
            message["reply_to_message"] = replied
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        state.messages[message["message_id"]] = message
        await state.record(BotAction("message", dict(message), markup, method, self._shown(bot, message)))
        return message

    @staticmethod
    def _upload(bot: EmulatedBot, params: dict[str, Any], field: str, mime: str) -> StoredFile:
        value = params.get(field)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if isinstance(value, UploadedFile):
            return bot.store_file(value.filename, value.content_type or mime, value.content)
        if isinstance(value, str) and value in bot.files:
            return bot.files[value]
        raise ApiError(400, f"Bad Request: there is no {field} in the request")

    # ----------------------------------------------------------------- methods
    async def _m_getme(self, bot: EmulatedBot, params: dict[str, Any]) -> dict[str, Any]:
        return {**bot.user, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    async def _m_setwebhook(self, bot: EmulatedBot, params: dict[str, Any]) -> bool:
        bot.webhook_url = params.get("url") or ""
        return True

    async def _m_deletewebhook(self, bot: EmulatedBot, params: dict[str, Any]) -> bool:
        bot.webhook_url = ""
        if params.get("drop_pending_updates"):
            bot.updates.clear()
        return True

    async def _m_getwebhookinfo(self, bot: EmulatedBot, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": bot.webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(bot.updates)}

    async def _m_getupdates(self, bot: EmulatedBot, params: dict[str, Any]) -> list[dict[str, Any]]:
        if bot.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        return await bot.take_updates(
            params.get("offset"), int(params.get("limit", 100)), float(params.get("timeout", 0))
        )

    async def _m_sendmessage(self, bot: EmulatedBot, params: dict[str, Any]) -> dict[str, Any]:
        text = params.get("text") or ""
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        content: dict[str, Any] = {"text": text}
        if params.get("entities"):
            content["entities"] = params["entities"]
        return await self._new_message(bot, params, "sendMessage", **content)

    async def _m_senddocument(self, bot: EmulatedBot, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._upload(bot, params, "document", "application/octet-stream")
        content: dict[str, Any] = {"document": {
            "file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
            "file_name": stored.filename, "mime_type": stored.mime_type,
            "file_size": len(stored.content),
        }}
        return await self._new_message(bot, params, "sendDocument", **content, **self._caption(params))

    async def _m_sendphoto(self, bot: EmulatedBot, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._upload(bot, params, "photo", "image/png")
        width, height = _png_size(stored.content)
        sizes = [
            {"file_id": stored.file_id if i == len(PHOTO_SIZES) - 1 else f"{stored.file_id}-{side}",
             "file_unique_id": f"{stored.file_unique_id}-{side}", "width": min(width, side),
             "height": min(height, side), "file_size": len(stored.content)}
            for i, side in enumerate(PHOTO_SIZES)
        ]
        return await self._new_message(bot, params, "sendPhoto", photo=sizes, **self._caption(params))

    @staticmethod
    def _caption(params: dict[str, Any]) -> dict[str, Any]:
        caption = params.get("caption")
        if not caption:
            return {}
        if len(caption) > MAX_CAPTION:
            raise ApiError(400, "Bad Request: message caption is too long")
        return {"caption": caption}

    async def _m_getfile(self, bot: EmulatedBot, params: dict[str, Any]) -> dict[str, Any]:
        stored = bot.files.get(params.get("file_id", ""))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.content), "file_path": stored.file_id}

    async def _edit(self, bot: EmulatedBot, params: dict[str, Any], method: str,
                    text: str | None) -> dict[str, Any]:
        state = self._known_chat(bot, params)
        message = state.messages.get(params.get("message_id"))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        self._check_parse_mode(params)
        markup = params.get("reply_markup")
        if markup is not None and "inline_keyboard" not in markup:
            raise ApiError(400, "Bad Request: inline keyboard expected")
        new_text = message.get("text") if text is None else text
        if text is not None and not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if new_text == message.get("text") and markup == message.get("reply_markup"):
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                                "content and reply markup are exactly the same as a current "
                                "content and reply markup of the message")
        edited = {**message, "edit_date": now()}
        if text is not None:
            edited["text"] = text
        edited.pop("reply_markup", None)
        if markup and markup.get("inline_keyboard"):
            edited["reply_markup"] = markup
        state.messages[edited["message_id"]] = edited
        await state.record(BotAction("edit", dict(edited), markup, method, self._shown(bot, edited)))
        return edited

    @staticmethod
    def _shown(bot: EmulatedBot, message: dict[str, Any]) -> str | None:
        """What the person reads of a message's text: Bale's clients render it as Markdown."""
        if bot.quirks is None:
            return None
        return bale.rendered(message.get("text") or message.get("caption") or "")

    async def _m_editmessagetext(self, bot: EmulatedBot, params: dict[str, Any]) -> dict[str, Any]:
        if len(params.get("text") or "") > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        return await self._edit(bot, params, "editMessageText", params.get("text") or "")

    async def _m_editmessagereplymarkup(self, bot: EmulatedBot, params: dict[str, Any]) -> dict:
        params.setdefault("reply_markup", {"inline_keyboard": []})
        return await self._edit(bot, params, "editMessageReplyMarkup", None)

    async def _m_deletemessage(self, bot: EmulatedBot, params: dict[str, Any]) -> bool:
        state = self._known_chat(bot, params)
        message = state.messages.pop(params.get("message_id"), None)
        if message is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        await state.record(BotAction("delete", message, None, "deleteMessage"))
        return True

    async def _m_answercallbackquery(self, bot: EmulatedBot, params: dict[str, Any]) -> bool:
        query_id = params.get("callback_query_id", "")
        if query_id not in bot.open_callback_queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or "
                                "query ID is invalid")
        bot.open_callback_queries.discard(query_id)
        bot.callback_answers[query_id] = CallbackAnswer(
            query_id, params.get("text") or "", bool(params.get("show_alert"))
        )
        return True

    async def _m_setmycommands(self, bot: EmulatedBot, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: commands must be a list")
        bot.commands[params.get("language_code") or ""] = commands
        return True

    async def _m_getmycommands(self, bot: EmulatedBot, params: dict[str, Any]) -> list[dict]:
        return bot.commands.get(params.get("language_code") or "", [])

    async def _m_sendchataction(self, bot: EmulatedBot, params: dict[str, Any]) -> bool:
        self._known_chat(bot, params)
        return True

    def new_callback_query_id(self) -> str:
        """A fresh callback query id (used by the user side when a button is pressed)."""
        return str(next(self._callback_ids))
