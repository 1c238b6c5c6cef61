"""What one messenger's connection is doing, for the log, for /health and for the runner."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError

logger = logging.getLogger(__name__)


def means_unreachable(exc: BaseException) -> bool:
    """Whether a failed call says the messenger could not be reached (no connection, a timeout,
    a 5xx, a page that is not the Bot API's), rather than an answer refusing the call: PTB makes
    BadRequest a NetworkError, which it is not."""
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)


class Link(StrEnum):
    """The state of a messenger's connection (its name is a catalog key: health.state.<value>)."""

    STARTING = "starting"
    SERVING = "serving"
    UNREACHABLE = "unreachable"
    TOKEN_REJECTED = "token_rejected"
    STOPPED = "stopped"


@dataclass
class MessengerHealth:
    """Kept by the runner and the polling bot; read by /health. Logs each change of state once,
    so an outage of hours is two lines, not one per retry."""

    platform: str
    clock: Callable[[], datetime]
    state: Link = Link.STARTING
    since: datetime | None = None
    last_update_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None

    @property
    def label(self) -> str:
        return self.platform.capitalize()

    def serving(self) -> None:
        """A call to the messenger succeeded."""
        if self.state is not Link.SERVING:
            if self.state is Link.UNREACHABLE:
                logger.warning("%s is reachable again; serving", self.label)
            self._enter(Link.SERVING)

    def updates_received(self, count: int) -> None:
        """getUpdates answered (with `count` updates)."""
        self.serving()
        if count:
            self.last_update_at = self.clock()

    def unreachable(self, cause: str, retry_note: str = "") -> bool:
        """A call failed for want of the messenger; True when this is news (it was reachable)."""
        self._error(cause)
        if self.state is Link.UNREACHABLE:
            logger.debug("%s still unreachable: %s", self.label, cause)
            return False
        logger.warning("%s is unreachable: %s%s", self.label, cause, retry_note)
        self._enter(Link.UNREACHABLE)
        return True

    def poll_failed(self, exc: TelegramError) -> None:
        """getUpdates failed; PTB's polling loop retries by itself (with backoff)."""
        if isinstance(exc, RetryAfter):
            logger.debug("%s asked polling to wait: %s", self.label, exc)
        elif means_unreachable(exc):
            self.unreachable(str(exc) or type(exc).__name__, "; polling retries by itself")
        elif isinstance(exc, InvalidToken | Forbidden):
            logger.error("%s rejected the bot's token while polling: %s", self.label, exc)
            self.token_rejected(str(exc))
        else:
            logger.warning("%s polling failed: %s", self.label, exc)
            self._error(str(exc))

    def failed(self, cause: str) -> None:
        """A failure that is neither the network's nor the token's (logged by the caller)."""
        self._error(cause)

    def token_rejected(self, cause: str) -> None:
        self._error(cause)
        self._enter(Link.TOKEN_REJECTED)

    def stopped(self) -> None:
        self._enter(Link.STOPPED)

    def _error(self, cause: str) -> None:
        self.last_error, self.last_error_at = cause, self.clock()

    def _enter(self, state: Link) -> None:
        self.state, self.since = state, self.clock()
