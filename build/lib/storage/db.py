"""aiosqlite connection setup: WAL, one serialised writer, a separate reader that sees only commits."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from storage.clock import Clock, utc_iso, utc_now
from storage.files import private_file
from storage.migrations import migrate

BUSY_TIMEOUT_MS = 5000


async def _connect(path: Path | str) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(str(path), isolation_level=None)  # we issue BEGIN ourselves
    conn.row_factory = sqlite3.Row
    await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    await conn.execute("PRAGMA journal_mode = WAL")
    await conn.execute("PRAGMA synchronous = NORMAL")
    await conn.execute("PRAGMA foreign_keys = ON")
    # Deleted and overwritten content is zeroed, not left in free space for a file reader to find
    # (a forgotten person's national code must not survive in the file).
    await conn.execute("PRAGMA secure_delete = ON")
    return conn


class Database:
    """Two connections: writes go one at a time through BEGIN IMMEDIATE; reads never see a
    half-done transaction of another coroutine (they use their own connection)."""

    def __init__(self, path: Path | str, writer: aiosqlite.Connection, reader: aiosqlite.Connection,
                 clock: Clock = utc_now):
        self.path = Path(path)
        self.clock = clock
        self._writer = writer
        self._reader = reader
        self._write_lock = asyncio.Lock()
        self._after_transaction: list[Callable[[], None]] = []

    @classmethod
    async def open(cls, path: Path | str, clock: Clock = utc_now) -> Database:
        """Open (creating the folder when needed) and migrate the database at `path`; `clock`
        stamps every row written through it."""
        path = Path(path)
        # 0600 before SQLite first opens it: a new -wal and -shm take the database file's mode;
        # ones left by an older version are made private too.
        for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if file == path or file.exists():
                private_file(file)
        writer = await _connect(path)
        try:
            await migrate(writer)
            reader = await _connect(path)
        except BaseException:
            await writer.close()
            raise
        return cls(path, writer, reader, clock)

    def now_iso(self) -> str:
        """Now by the injected clock, as stored (UTC ISO-8601)."""
        return utc_iso(self.clock())

    async def checkpoint(self) -> bool:
        """Copy the write-ahead log into the database file and empty it (after an erasure: the
        log still holds the erased rows' old pages). Whether the log could be emptied."""
        async with self._write_lock, self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
            busy, _, _ = await cursor.fetchone()
        return busy == 0

    async def close(self) -> None:
        """Close both connections (the WAL is checkpointed by SQLite on the last close)."""
        await self._reader.close()
        await self._writer.close()

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Run a read-only query on the reader connection.

        Execute and fetch happen in one step of the connection's thread: were they separate steps,
        another coroutine's query could run in between, inside this query's still-open read
        snapshot, and miss a write committed just before it."""
        return list(await self._reader.execute_fetchall(sql, tuple(params)))

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        """Run a read-only query and return its first row, if any."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def write_one(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One statement on its own (SQLite makes a lone statement atomic): a single round trip to
        the writer's thread instead of BEGIN, statement, COMMIT. Returns the rows changed."""
        async with self._write_lock:
            cursor = await self._writer.execute(sql, tuple(params))
            return cursor.rowcount

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE … COMMIT on the single writer; rolls back on any exception."""
        async with self._write_lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                try:
                    yield self._writer
                except BaseException:
                    await self._writer.execute("ROLLBACK")
                    raise
                await self._writer.execute("COMMIT")
            finally:
                callbacks, self._after_transaction = self._after_transaction, []
                for callback in callbacks:
                    callback()

    def after_transaction(self, callback: Callable[[], None]) -> None:
        """Call `callback` when the transaction now open ends, committed or not: a repository that
        caches its table drops what the transaction touched, after any read that overtook it."""
        if not self._write_lock.locked():
            raise RuntimeError("after_transaction outside a transaction")
        self._after_transaction.append(callback)
