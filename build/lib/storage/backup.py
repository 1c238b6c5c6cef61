"""Online backup with SQLite's backup API (safe while the bot writes), then an integrity check."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.files import private_file

PAGES_PER_STEP = 256


def backup_database(source: Path, target: Path) -> str:
    """Copy `source` to `target` page by page (other connections may keep writing; the copy is
    a consistent snapshot) and return the copy's `PRAGMA integrity_check` answer ("ok" when sound)."""
    if not source.exists():
        raise FileNotFoundError(f"no database at {source}")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    private_file(partial)  # 0600 before the first page of personal data is copied
    with sqlite3.connect(source, timeout=30) as src, sqlite3.connect(partial) as dst:
        src.execute("PRAGMA busy_timeout = 30000")
        src.backup(dst, pages=PAGES_PER_STEP)
        dst.execute("PRAGMA journal_mode = DELETE")
    with sqlite3.connect(partial) as check:
        result = "\n".join(row[0] for row in check.execute("PRAGMA integrity_check"))
    partial.replace(target)  # only a finished copy takes the target's name
    return result
