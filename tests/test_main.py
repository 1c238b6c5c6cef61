"""The command line, run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_main(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "BALE_"))}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, env={**clean, **(env or {})}, cwd=cwd, timeout=60)


def test_help_lists_every_command():
    result = run_main("--help")
    assert result.returncode == 0
    for command in ("run", "playground", "import-centers", "export", "backup"):
        assert command in result.stdout


def test_run_without_a_token_says_how_to_start(tmp_path):
    result = run_main("run", cwd=tmp_path)  # no .env there either
    assert result.returncode == 2
    assert "BOT_TOKEN" in result.stderr and "BALE_TOKEN" in result.stderr
    assert "playground" in result.stderr


def test_bad_configuration_is_reported_by_name(tmp_path):
    result = run_main("run", env={"BOT_ADMINS": "abc"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "BOT_ADMINS must be comma-separated numeric user ids" in result.stderr


def test_import_centers_reports_each_rejected_row(tmp_path):
    csv_file = tmp_path / "centers.csv"
    csv_file.write_text(
        "code,name,province,county,address,lat,lon\n"
        "7001,مرکز نو,همدان,ملایر,نشانی,34.3,48.8\n"
        "7002,مرکز بد,همدان,ملایر,نشانی,91,48.8\n", encoding="utf-8")
    env = {"BOT_DB": str(tmp_path / "db.sqlite3")}
    result = run_main("import-centers", str(csv_file), env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "added: 1, updated: 0, rejected: 1" in result.stdout
    assert "rejected line 3 (code 7002)" in result.stdout
    again = run_main("import-centers", str(csv_file), env=env, cwd=tmp_path)
    assert "added: 0, updated: 1, rejected: 1" in again.stdout


def test_malformed_import_changes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code;name\n1;x\n", encoding="utf-8")
    result = run_main("import-centers", str(bad), env={"BOT_DB": str(tmp_path / "db.sqlite3")},
                      cwd=tmp_path)
    assert result.returncode == 2 and "Nothing was imported" in result.stderr


def test_export_command_writes_xlsx_and_csv(tmp_path):
    import asyncio

    import openpyxl

    from storage.db import Database
    from tests.storage_fixtures import insert_registrations

    db_file = tmp_path / "db.sqlite3"

    async def seed():
        db = await Database.open(db_file)
        center = await db.fetch_one("SELECT id FROM centers WHERE code = '4170'")
        other = await db.fetch_one("SELECT id FROM centers WHERE code = '4175'")
        await insert_registrations(db, center[0], 3)
        await insert_registrations(db, other[0], 2, start=10)
        await db.close()

    asyncio.run(seed())
    env = {"BOT_DB": str(db_file)}
    result = run_main("export", "--out", str(tmp_path / "out.xlsx"), "--center", "4170", env=env,
                      cwd=tmp_path)
    assert result.returncode == 0 and "wrote 3 registrations" in result.stdout
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "کد پیگیری" and len(rows) == 4 and sheet.sheet_view.rightToLeft
    result = run_main("export", "--out", str(tmp_path / "all.csv"), env=env, cwd=tmp_path)
    assert "wrote 5 registrations" in result.stdout
    assert (tmp_path / "all.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    bad = run_main("export", "--out", str(tmp_path / "x.xlsx"), "--center", "0000", env=env,
                   cwd=tmp_path)
    assert bad.returncode == 2 and "No center has the code 0000" in bad.stderr


def test_backup_while_the_bot_writes_passes_integrity_check(tmp_path):
    import asyncio
    import sqlite3
    import threading

    from storage.db import Database

    db_file = tmp_path / "db.sqlite3"
    asyncio.run(_open_and_close(Database, db_file))
    stop = threading.Event()
    written = []

    def keep_writing():
        conn = sqlite3.connect(db_file, timeout=30)
        conn.execute("PRAGMA journal_mode = WAL")
        n = 0
        while not stop.is_set():
            with conn:
                conn.execute("INSERT INTO audit(actor, action, created_at) VALUES ('t', ?, 'x')",
                             (f"write {n}",))
            n += 1
        written.append(n)
        conn.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        results = [run_main("backup", str(tmp_path / f"copy{i}.sqlite3"),
                            env={"BOT_DB": str(db_file)}, cwd=tmp_path) for i in range(3)]
    finally:
        stop.set()
        writer.join()
    assert written[0] > 0
    for i, result in enumerate(results):
        assert result.returncode == 0 and "integrity check: ok" in result.stdout, result.stderr
        copy = sqlite3.connect(tmp_path / f"copy{i}.sqlite3")
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT COUNT(*) FROM provinces").fetchone()[0] == 31
        copy.close()
    missing = run_main("backup", str(tmp_path / "x"), env={"BOT_DB": str(tmp_path / "none")},
                       cwd=tmp_path)
    assert missing.returncode == 2 and "no database" in missing.stderr


async def _open_and_close(database, path):
    await (await database.open(path)).close()
