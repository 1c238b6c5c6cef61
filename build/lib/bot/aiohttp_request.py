"""python-telegram-bot's networking over aiohttp's client instead of httpx.

PTB documents `BaseRequest` as the place to swap the HTTP library. The benchmark (bench/) showed
httpx + httpcore taking most of the bot's CPU under a sign-up burst; aiohttp's client (C-accelerated
HTTP parsing, already a dependency) does the same calls for a fraction of it. The contract is
HTTPXRequest's: the same default timeouts, multipart when files are attached, TimedOut on
timeouts and NetworkError on other transport failures. Other calls send their parameters as one
JSON body, which Telegram and Bale both accept (except for uploads): encoding Persian text
percent by percent for a form took a tenth of the bot's CPU under load.
"""

from __future__ import annotations

import json
import ssl
from urllib.parse import urlsplit

import aiohttp
from aiohttp_socks import (
    ProxyConnectionError,
    ProxyConnector,
    ProxyError,
    ProxyTimeoutError,
    ProxyType,
)
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.config import ProxyAddress

JSON_HEADERS = {"Content-Type": "application/json"}
# A 429 without parameters.retry_after (Bale's may lack it) is given this wait, so it is still a
# RetryAfter to PTB's rate limiter and to the outbox, which pause instead of hammering on.
# Two seconds: python-bale-bot's first back-off on Bale's "bot limit exceed"; a limit that still
# holds answers 429 again and the wait repeats.
DEFAULT_RETRY_AFTER = 2
PROXY_TYPES = {"http": ProxyType.HTTP, "https": ProxyType.HTTP, "socks5": ProxyType.SOCKS5}


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` backed by one `aiohttp.ClientSession` with a bounded connection pool."""

    def __init__(self, connection_pool_size: int = 256, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, media_write_timeout: float | None = 20.0,
                 proxy: ProxyAddress | None = None):
        self._pool_size = connection_pool_size
        self._proxy = proxy
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (again, after a shutdown)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=self._connector(), headers={"User-Agent": self.USER_AGENT})

    def _connector(self) -> aiohttp.BaseConnector:
        """Direct, or through the messenger's proxy (aiohttp-socks: HTTP CONNECT, HTTPS, SOCKS5;
        host names resolved by the proxy, as a filtered network needs)."""
        if self._proxy is None:
            return aiohttp.TCPConnector(limit=self._pool_size)
        proxy = self._proxy
        return ProxyConnector(
            proxy_type=PROXY_TYPES[proxy.scheme], host=proxy.host, port=proxy.port,
            username=proxy.username, password=proxy.password, rdns=True,
            proxy_ssl=ssl.create_default_context() if proxy.scheme == "https" else None,
            limit=self._pool_size)

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one Bot API request; (HTTP status, body)."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        has_files = bool(request_data and request_data.contains_files)
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        write = ((self._media_write_timeout if has_files else self._write_timeout)
                 if isinstance(write_timeout, DefaultValue) else write_timeout)
        connect = self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        pool = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout
        if read is not None and has_files:  # aiohttp has no write timeout: uploads get read + write
            read += write or 0
        parts = (pool, connect, read, write)
        timeout = aiohttp.ClientTimeout(
            # A whole-call limit too: an answer trickling in byte by byte never trips sock_read.
            total=None if any(p is None for p in parts) else sum(parts),
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect, sock_read=read)
        body, headers = self._body(request_data)
        try:
            async with self._session.request(method, url, data=body, headers=headers,
                                             timeout=timeout) as response:
                status, payload = response.status, await response.read()
                is_json = response.content_type == "application/json"
        except (aiohttp.ConnectionTimeoutError, ProxyTimeoutError) as exc:
            raise TimedOut(f"timed out connecting to {urlsplit(url).hostname}") from exc
        except TimeoutError as exc:  # aiohttp's timeouts are asyncio's, the builtin since 3.11
            raise AnswerTimedOut(f"{urlsplit(url).hostname} did not answer in time") from exc
        except (aiohttp.ClientError, ProxyError, ProxyConnectionError, OSError) as exc:
            # The message names the host, never the URL (its path holds the token).
            raise NetworkError(describe_network_error(exc)) from exc
        if not is_json and not _is_bot_api_answer(payload):
            # An HTML page of a proxy, a filter or a gateway: the messenger was not reached, and
            # its status (a 403 or 404 too) says nothing about the token.
            raise NetworkError(f"HTTP {status} from {urlsplit(url).hostname} that is not a Bot API "
                               "answer (a proxy or a filter in the way?)")
        if status == 429:
            payload = with_retry_after(payload)
        return status, payload

    @staticmethod
    def _body(request_data: RequestData | None) -> tuple[aiohttp.FormData | bytes | None, dict[str, str]]:
        if request_data is None:
            return None, {}
        if not request_data.contains_files:
            body = json.dumps(request_data.parameters, ensure_ascii=False).encode()
            return body, JSON_HEADERS
        form = aiohttp.FormData()
        for name, value in request_data.json_parameters.items():
            form.add_field(name, value)
        for name, (filename, content, mimetype) in request_data.multipart_data.items():
            form.add_field(name, content, filename=filename, content_type=mimetype)
        return form, {}


class AnswerTimedOut(TimedOut):
    """The request went out but no answer came in time: the messenger may have acted on it."""


def _is_bot_api_answer(payload: bytes) -> bool:
    try:
        answer = json.loads(payload)
    except ValueError:
        return False
    return isinstance(answer, dict) and "ok" in answer


def describe_network_error(exc: BaseException) -> str:
    """A transport failure in one line, without the request's URL (which carries the token)."""
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"cannot connect to {exc.host}:{exc.port} ({exc.os_error.strerror or exc.os_error})"
    if isinstance(exc, ProxyError | ProxyConnectionError):  # unreachable or refused: it says which
        return f"proxy: {exc}"
    if isinstance(exc, aiohttp.ClientResponseError):
        return f"HTTP {exc.status} {exc.message}"
    return f"{type(exc).__name__}: {exc}"


def with_retry_after(payload: bytes) -> bytes:
    """A 429 answer, with a default retry_after when the messenger gave none."""
    try:
        answer = json.loads(payload)
    except ValueError:
        answer = {"ok": False, "error_code": 429, "description": "Too Many Requests"}
    if not isinstance(answer, dict):
        return payload
    parameters = answer.get("parameters") or {}
    if parameters.get("retry_after"):
        return payload
    answer["parameters"] = {**parameters, "retry_after": DEFAULT_RETRY_AFTER}
    return json.dumps(answer).encode()
