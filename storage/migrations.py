"""Schema migrations tracked by `PRAGMA user_version`; each step runs in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiosqlite

from storage.seed import load_seed_data

HERE = Path(__file__).parent


def split_sql(script: str) -> list[str]:
    """Split a schema file into statements (comment lines dropped; `;` inside comments is harmless)."""
    statements, buffer = [], ""
    for line in script.splitlines():
        if line.strip().startswith("--"):
            continue
        buffer += line + "\n"
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement at the end of the script: {buffer[:80]!r}")
    return statements


async def _run_file(conn: aiosqlite.Connection, name: str) -> None:
    for statement in split_sql((HERE / name).read_text(encoding="utf-8")):
        await conn.execute(statement)


async def _apply_v1(conn: aiosqlite.Connection) -> None:
    await _run_file(conn, "schema_v1.sql")
    await load_seed_data(conn)


async def _apply_v2(conn: aiosqlite.Connection) -> None:
    await _run_file(conn, "schema_v2.sql")


async def _apply_v3(conn: aiosqlite.Connection) -> None:
    await _run_file(conn, "schema_v3.sql")


async def _apply_v4(conn: aiosqlite.Connection) -> None:
    await _run_file(conn, "schema_v4.sql")


async def _apply_v5(conn: aiosqlite.Connection) -> None:
    await _run_file(conn, "schema_v5.sql")


async def _apply_v6(conn: aiosqlite.Connection) -> None:
    await _run_file(conn, "schema_v6.sql")


async def _apply_v7(conn: aiosqlite.Connection) -> None:
    await _run_file(conn, "schema_v7.sql")


async def _apply_v8(conn: aiosqlite.Connection) -> None:
    await _run_file(conn, "schema_v8.sql")


async def _apply_v9(conn: aiosqlite.Connection) -> None:
    await _run_file(conn, "schema_v9.sql")


async def _apply_v10(conn: aiosqlite.Connection) -> None:
    await _run_file(conn, "schema_v10.sql")


async def _apply_v11(conn: aiosqlite.Connection) -> None:
    await _run_file(conn, "schema_v11.sql")


MIGRATIONS: list[tuple[int, Callable[[aiosqlite.Connection], Awaitable[None]]]] = [
    (1, _apply_v1),
    (2, _apply_v2),
    (3, _apply_v3),
    (4, _apply_v4),
    (5, _apply_v5),
    (6, _apply_v6),
    (7, _apply_v7),
    (8, _apply_v8),
    (9, _apply_v9),
    (10, _apply_v10),
    (11, _apply_v11),
]
LATEST_VERSION = MIGRATIONS[-1][0]


async def user_version(conn: aiosqlite.Connection) -> int:
    """The schema version recorded in the database file."""
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0])


async def migrate(conn: aiosqlite.Connection) -> int:
    """Bring the database up to LATEST_VERSION; a migrated database is left untouched."""
    for target, step in MIGRATIONS:
        if await user_version(conn) >= target:
            continue
        await conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-check under the write lock: another process may have migrated meanwhile.
            if await user_version(conn) < target:
                await step(conn)
                await conn.execute(f"PRAGMA user_version = {int(target)}")
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
        await conn.execute("COMMIT")
    return await user_version(conn)
