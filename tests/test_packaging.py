"""Installing the project is quiet and carries its data: the fonts, the seed files, the schemas."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_wheel_builds_without_warnings_and_holds_the_data_files(tmp_path):
    # Built from a copy: setuptools writes build/ beside the sources, never into the checkout.
    source = tmp_path / "source"
    for name in ("pyproject.toml", "README.md"):
        source.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, source / name)
    for package in ("bot", "handlers", "storage", "emulator", "playground"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    output = built.stdout + built.stderr
    assert "absent from the `packages` configuration" not in output and "SetuptoolsDeprecationWarning" \
        not in output, output
    [wheel] = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"bot/assets/fonts/Vazirmatn-Regular.ttf", "storage/seed/sample_centers.csv",
            "storage/schema_v1.sql", "storage/schema_v10.sql"} <= names
