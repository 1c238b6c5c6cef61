from __future__ import annotations

import pytest
import pytest_asyncio

from bot.services.center_import import CenterImporter, MalformedFile
from storage.centers import CenterRepository
from storage.db import Database

HEADER = "code,name,province,county,address,lat,lon\n"


@pytest_asyncio.fixture
async def repo(db_path):
    db = await Database.open(db_path)
    yield CenterRepository(db)
    await db.close()


async def test_upsert_reports_added_updated_and_rejected_rows(repo):
    text = HEADER + (
        "۹۰۰۱,مرکز تازه,همدان,همدان,خیابان بوعلی,34.8,48.5\n"     # added (Persian digits)
        "4170,مرکز اکباتان (ویرایش),Hamadan,همدان,نشانی نو,34.79,48.51\n"  # updated, English province
        "9002,مرکز بی‌استان,آتلانتیس,شهر,نشانی,34.8,48.5\n"        # rejected: province
        "9003,مرکز بد,همدان,همدان,نشانی,48.5,34.8\n"              # rejected: swapped lat/lon
        ",بی‌کد,همدان,همدان,نشانی,34.8,48.5\n"                    # rejected: no code
        "9001,تکراری,همدان,همدان,نشانی,34.8,48.5\n"              # rejected: twice in file
        "9004,مرکز شهرستان جدید,همدان,لالجین,نشانی,,\n"           # added; county created
    )
    report = await CenterImporter(repo).import_text(text)
    assert report.added == ["9001", "9004"]
    assert report.updated == ["4170"]
    assert [(r.line, r.code) for r in report.rejected] == [(4, "9002"), (5, "9003"), (6, ""), (7, "9001")]
    assert "province" in report.rejected[0].reason
    assert "lat" in report.rejected[1].reason
    assert (await repo.by_code("4170")).name == "مرکز اکباتان (ویرایش)"
    assert (await repo.by_code("4170")).is_sample is False
    assert (await repo.by_code("9004")).county_fa == "لالجین"


async def test_malformed_file_changes_nothing(repo):
    before = await repo.count()
    for text in ("code,name\n1,x\n",                                      # missing columns
                 HEADER + "9010,الف,همدان,همدان,نشانی,34.8,48.5\n9011,ب,همدان\n",  # short row
                 ""):
        with pytest.raises(MalformedFile):
            await CenterImporter(repo).import_text(text)
    assert await repo.count() == before
    assert await repo.by_code("9010") is None


async def test_an_optional_phone_column_is_read_and_checked(repo):
    text = "code,name,province,county,address,lat,lon,phone\n" + (
        "9101,مرکز با تلفن,همدان,همدان,خیابان بوعلی,34.8,48.5,۰۸۱-۳۲۲۲-۱۲۳۴\n"   # Persian digits, dashes
        "9102,مرکز بی‌تلفن,همدان,همدان,نشانی,34.8,48.5,\n"                      # none given: fine
        "9103,مرکز با تلفن بد,همدان,همدان,نشانی,34.8,48.5,تلفن ندارد\n"          # rejected
        "9104,مرکز با همراه,همدان,همدان,نشانی,34.8,48.5,+98 912 123 4567\n"
    )
    report = await CenterImporter(repo).import_text(text)
    assert report.added == ["9101", "9102", "9104"] and [r.code for r in report.rejected] == ["9103"]
    assert "phone" in report.rejected[0].reason
    assert [(await repo.by_code(c)).phone for c in ("9101", "9102", "9104")] == [
        "08132221234", "", "09121234567"]
    await CenterImporter(repo).import_text(HEADER + "9101,مرکز با تلفن,همدان,همدان,نشانی نو,34.8,48.5\n")
    assert (await repo.by_code("9101")).phone == "08132221234"  # a file without the column keeps it
