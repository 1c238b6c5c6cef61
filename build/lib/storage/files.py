"""Files that hold personal data: 0600 in 0700 folders, whatever the umask."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_folder(folder: Path) -> None:
    """Create the folder (and missing parents) readable by this user only. A folder that already
    exists keeps its mode: it may be shared (/tmp, a home), and is not ours to change."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists():
            break
        missing.append(parent)
    folder.mkdir(parents=True, exist_ok=True)
    for created in missing:
        os.chmod(created, PRIVATE_FOLDER)  # mkdir's mode is filtered by the umask


def private_file(path: Path) -> None:
    """Make sure the file exists and only this user can read or write it."""
    private_folder(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
    os.chmod(path, PRIVATE_FILE)


def write_private(path: Path, content: bytes) -> None:
    """Write the whole file, 0600 from its first byte."""
    private_file(path)
    with open(path, "wb") as file:
        file.write(content)
