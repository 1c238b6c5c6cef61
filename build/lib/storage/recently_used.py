"""A bounded map for the repositories' copies in memory: when full, it forgets the entry used
longest ago."""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

# Per repository; an entry is an account or a draft's answers, some hundreds of bytes.
CACHED_USERS = 20_000


class RecentlyUsed(Generic[K, V]):
    """At most `capacity` entries; reading or writing one makes it the most recent."""

    def __init__(self, capacity: int = CACHED_USERS):
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._capacity = capacity

    def __contains__(self, key: K) -> bool:
        return key in self._entries

    def get(self, key: K) -> V | None:
        """The value (None when absent: use `in` where None is a value)."""
        if key not in self._entries:
            return None
        self._entries.move_to_end(key)
        return self._entries[key]

    def put(self, key: K, value: V) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        if len(self._entries) > self._capacity:
            self._entries.popitem(last=False)

    def discard(self, key: K) -> None:
        self._entries.pop(key, None)
