"""Each messenger through its own proxy: a real proxy server (pproxy) in front of the emulator, the
API's host name one that only the proxy can resolve, so nothing reaches it but through the proxy."""

from __future__ import annotations

import asyncio
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.health import Link
from bot.runner import running_bots
from emulator.client import EmulatedUser
from handlers.routes import ROUTES
from tests.conftest import ADMIN_ID, BALE_TOKEN, TELEGRAM_TOKEN
from tests.e2e.signup_steps import register
from tests.proxy_server import PROXY_ONLY_HOST

LAUNCHER = Path(__file__).resolve().parents[1] / "proxy_server.py"
PASSWORD = "s3cret-pass"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def start_proxy(scheme: str) -> tuple[asyncio.subprocess.Process, int]:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-W", "ignore", str(LAUNCHER), f"{scheme}://127.0.0.1:{port}#salam:{PASSWORD}",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return process, port
    process.kill()
    raise AssertionError("the proxy did not start")


@pytest_asyncio.fixture(params=["socks5", "http"])
async def proxy(request) -> AsyncIterator[tuple[str, int]]:
    process, port = await start_proxy(request.param)
    yield request.param, port
    process.kill()
    await process.wait()


def settings_through(emulator, db_path, variable: str, proxy_url: str | None) -> Settings:
    base = f"http://{PROXY_ONLY_HOST}:{emulator.port}"
    if variable == "BALE_PROXY":
        env = {"BALE_TOKEN": BALE_TOKEN, "BALE_API_BASE_URL": f"{base}/bot",
               "BALE_API_FILE_URL": f"{base}/file/bot", "BOT_ADMINS": f"bale:{ADMIN_ID}"}
    else:
        env = {"BOT_TOKEN": TELEGRAM_TOKEN, "BOT_API_BASE_URL": f"{base}/bot",
               "BOT_API_FILE_URL": f"{base}/file/bot", "BOT_ADMINS": str(ADMIN_ID)}
    if proxy_url:
        env[variable] = proxy_url
    return Settings.from_env({**env, "BOT_DB": str(db_path)})


async def test_bale_serves_a_citizen_through_its_proxy(emulator, db_path, clock, proxy):
    scheme, port = proxy
    bale = emulator.add_bot(BALE_TOKEN, dialect="bale")
    settings = settings_through(emulator, db_path, "BALE_PROXY",
                                f"{scheme}://salam:{PASSWORD}@127.0.0.1:{port}")
    async with running_bots(settings, ROUTES, clock) as (app,):
        assert app.bot.health.state is Link.SERVING
        citizen = EmulatedUser(emulator, bale, 900_101)
        thanks = await register(citizen)
        assert "ثبت‌نام شما انجام شد" in thanks.text
        admin = EmulatedUser(emulator, bale, ADMIN_ID)
        await admin.command("poster", "4175")  # a file upload goes through the proxy too
        poster = await admin.receive_text("پوستر")
        assert poster.message["photo"]


async def test_telegram_through_its_proxy_while_bale_goes_direct(emulator, db_path, clock):
    process, port = await start_proxy("socks5")
    try:
        telegram = emulator.add_bot(TELEGRAM_TOKEN)
        bale = emulator.add_bot(BALE_TOKEN, dialect="bale")
        env = {"BOT_TOKEN": TELEGRAM_TOKEN,
               "BOT_API_BASE_URL": f"http://{PROXY_ONLY_HOST}:{emulator.port}/bot",
               "BOT_API_FILE_URL": f"http://{PROXY_ONLY_HOST}:{emulator.port}/file/bot",
               "TELEGRAM_PROXY": f"socks5://salam:{PASSWORD}@127.0.0.1:{port}",
               "BALE_TOKEN": BALE_TOKEN, "BALE_API_BASE_URL": emulator.base_url,
               "BALE_API_FILE_URL": emulator.file_url, "BOT_DB": str(db_path)}
        async with running_bots(Settings.from_env(env), ROUTES, clock):
            for bot, user_id in ((telegram, 900_201), (bale, 900_202)):
                user = EmulatedUser(emulator, bot, user_id)
                await user.command("start")
                await user.receive_text("سلام")
    finally:
        process.kill()
        await process.wait()


async def test_without_the_proxy_the_host_is_unreachable(emulator, db_path, clock, caplog):
    """The check that the tests above prove something: the host resolves only at the proxy."""
    emulator.add_bot(BALE_TOKEN, dialect="bale")
    async with running_bots(settings_through(emulator, db_path, "BALE_PROXY", None), ROUTES, clock) as (app,):
        assert app.bot.health.state is Link.UNREACHABLE


async def test_an_unreachable_proxy_is_reported_like_an_unreachable_messenger(emulator, db_path, clock,
                                                                              caplog):
    emulator.add_bot(BALE_TOKEN, dialect="bale")
    port = free_port()  # nothing listens there
    settings = settings_through(emulator, db_path, "BALE_PROXY",
                                f"socks5://salam:{PASSWORD}@127.0.0.1:{port}")
    async with running_bots(settings, ROUTES, clock) as (app,):
        assert app.bot.health.state is Link.UNREACHABLE
    [said] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Bale is unreachable")]
    assert f"through the proxy socks5://127.0.0.1:{port}" in said and PASSWORD not in caplog.text


@pytest.mark.parametrize("scheme", ["socks5"])
async def test_the_proxy_password_never_reaches_a_log(emulator, db_path, clock, caplog, scheme):
    process, port = await start_proxy(scheme)
    try:
        emulator.add_bot(BALE_TOKEN, dialect="bale")
        settings = settings_through(emulator, db_path, "BALE_PROXY",
                                    f"{scheme}://salam:{PASSWORD}@127.0.0.1:{port}")
        caplog.set_level("DEBUG")
        async with running_bots(settings, ROUTES, clock):
            pass
        assert "DEBUG" in caplog.text and PASSWORD not in caplog.text
    finally:
        process.kill()
        await process.wait()
