"""Who did what coordinator or admin action, and when."""

from __future__ import annotations

from storage.db import Database


class AuditRepository:
    """SQL for the audit table."""

    def __init__(self, db: Database):
        self._db = db

    async def record(self, actor: str, action: str, subject: str = "", detail: str = "") -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                "INSERT INTO audit(actor, action, subject, detail, created_at) VALUES (?, ?, ?, ?, ?)",
                (actor, action, subject, detail, self._db.now_iso()),
            )

    async def entries(self, subject: str | None = None) -> list[tuple[str, str, str, str]]:
        """(actor, action, subject, detail), oldest first."""
        rows = await self._db.fetch_all(
            "SELECT actor, action, subject, detail FROM audit WHERE ? IS NULL OR subject = ? ORDER BY id",
            (subject, subject),
        )
        return [tuple(r) for r in rows]
