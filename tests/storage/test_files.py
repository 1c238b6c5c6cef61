"""Personal data on disk: the database, its -wal and -shm, backups and CLI exports are 0600 in
0700 folders, whatever the umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from emulator.bot_process import ROOT

SCRIPT = """
import asyncio, sys
from pathlib import Path
from storage.db import Database
async def main():
    db = await Database.open(Path(sys.argv[1]))
    await db.write_one("UPDATE activities SET name_en = name_en")  # the WAL is written
    print("open")
    sys.stdout.flush()
    await asyncio.sleep(0.5)
    await db.close()
asyncio.run(main())
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)



def test_database_wal_backup_and_export_are_private_under_umask_0(tmp_path):
    db = tmp_path / "deep" / "data" / "salam.sqlite3"
    probe = subprocess.Popen([sys.executable, "-c", SCRIPT, str(db)], cwd=ROOT, text=True,
                             stdout=subprocess.PIPE, preexec_fn=lambda: os.umask(0))
    assert probe.stdout.readline().strip() == "open"
    files = {p.name: mode(p) for p in db.parent.iterdir()}  # while open: -wal and -shm exist
    probe.wait(timeout=30)
    assert files == {"salam.sqlite3": 0o600, "salam.sqlite3-wal": 0o600, "salam.sqlite3-shm": 0o600}
    assert mode(db.parent) == 0o700 and mode(db.parent.parent) == 0o700  # the folders it made

    env = {**os.environ, "BOT_DB": str(db)}
    for args, made in ((["backup", str(tmp_path / "backups" / "copy.sqlite3")], "backups/copy.sqlite3"),
                       (["export", "--out", str(tmp_path / "out" / "all.csv")], "out/all.csv"),
                       (["export", "--out", str(tmp_path / "out" / "all.xlsx")], "out/all.xlsx")):
        result = subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env, text=True,
                                capture_output=True, timeout=60, preexec_fn=lambda: os.umask(0))
        assert result.returncode == 0, result.stderr
        assert mode(tmp_path / made) == 0o600 and mode((tmp_path / made).parent) == 0o700, made
