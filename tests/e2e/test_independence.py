"""Each messenger on its own: one that cannot be reached, goes down mid-run or rejects its token
never stops the other; each recovers by itself; the process exits only when none can serve."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.health import Link
from bot.runner import running_bots, serve_forever
from emulator.bot_process import ROOT
from emulator.client import EmulatedUser
from emulator.server import BotApiEmulator
from handlers.routes import ROUTES
from tests.conftest import ADMIN_ID, BALE_TOKEN, TELEGRAM_TOKEN
from tests.e2e.signup_steps import register
from tests.storage_fixtures import insert_registrations


def closed_port() -> int:
    """A port nothing listens on (connection refused), free for a server to take later."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def env_for(db_path: Path, telegram_url: str, bale_url: str) -> dict[str, str]:
    return {"BOT_TOKEN": TELEGRAM_TOKEN, "BOT_API_BASE_URL": f"{telegram_url}/bot",
            "BOT_API_FILE_URL": f"{telegram_url}/file/bot",
            "BALE_TOKEN": BALE_TOKEN, "BALE_API_BASE_URL": f"{bale_url}/bot",
            "BALE_API_FILE_URL": f"{bale_url}/file/bot",
            "BOT_DB": str(db_path), "BOT_ADMINS": f"{ADMIN_ID},bale:{ADMIN_ID}"}


def root_url(emulator: BotApiEmulator) -> str:
    return f"http://127.0.0.1:{emulator.port}"


async def until(condition, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("down", ["telegram", "bale"])
async def test_one_messenger_down_the_whole_time_while_the_other_signs_a_citizen_up(
        emulator, db_path, clock, caplog, down):
    up = emulator.add_bot(TELEGRAM_TOKEN) if down == "bale" else \
        emulator.add_bot(BALE_TOKEN, dialect="bale")
    dead = f"http://127.0.0.1:{closed_port()}"
    urls = (dead, root_url(emulator)) if down == "telegram" else (root_url(emulator), dead)
    async with running_bots(Settings.from_env(env_for(db_path, *urls)), ROUTES, clock) as apps:
        down_app, up_app = apps if down == "telegram" else reversed(apps)
        citizen = EmulatedUser(emulator, up, 880_001)
        thanks = await register(citizen)
        assert "ثبت‌نام شما انجام شد" in thanks.text
        assert down_app.bot.health.state is Link.UNREACHABLE
        assert up_app.bot.health.state is Link.SERVING
        await asyncio.sleep(2.5)  # past the first retry
    said = [r for r in caplog.records if r.getMessage().startswith(f"{down.capitalize()} is unreachable")]
    assert len(said) == 1, [r.getMessage() for r in said]  # one warning, not one per retry
    assert dead.removeprefix("http://") in said[0].getMessage() and said[0].exc_info is None
    assert TELEGRAM_TOKEN not in caplog.text and BALE_TOKEN not in caplog.text


async def test_telegram_down_then_back_answers_what_waited(emulator, db_path, clock):
    bale = emulator.add_bot(BALE_TOKEN, dialect="bale")
    telegram_side = BotApiEmulator()
    telegram = telegram_side.add_bot(TELEGRAM_TOKEN)
    port = closed_port()
    settings = Settings.from_env(env_for(db_path, f"http://127.0.0.1:{port}", root_url(emulator)))
    try:
        async with running_bots(settings, ROUTES, clock) as (telegram_app, _):
            citizen = EmulatedUser(telegram_side, telegram, 890_001)
            await citizen.command("start")  # queued at Telegram while the bot cannot reach it
            assert telegram_app.bot.health.state is Link.UNREACHABLE
            await telegram_side.start(port=port)  # Telegram is back
            await citizen.receive_text("سلام", timeout=15)
            assert telegram_app.bot.health.state is Link.SERVING
            other = EmulatedUser(emulator, bale, 890_002)
            await other.command("start")
            await other.receive_text("سلام")
    finally:
        await telegram_side.stop()


async def test_an_outage_mid_run_loses_no_update_and_no_broadcast(db_path, clock):
    service = BotApiEmulator()
    bot = service.add_bot(TELEGRAM_TOKEN)
    await service.start()
    port = service.port
    settings = Settings.from_env({"BOT_TOKEN": TELEGRAM_TOKEN, "BOT_API_BASE_URL": f"{root_url(service)}/bot",
                                  "BOT_API_FILE_URL": f"{root_url(service)}/file/bot",
                                  "BOT_DB": str(db_path), "BOT_ADMINS": str(ADMIN_ID),
                                  "BROADCAST_RATE": "50"})
    try:
        async with running_bots(settings, ROUTES, clock) as (app,):
            services = app.bot_data.services
            center = await services.centers.by_code("4175")
            recipients = range(5_000_000, 5_000_060)
            await insert_registrations(services.db, center.id, len(recipients))
            bot.open_private_chats(recipients)
            admin = EmulatedUser(service, bot, ADMIN_ID)
            await admin.command("broadcast")
            await admin.receive_text("متن پیام همگانی")
            await admin.send("پیام در میان قطعی")
            await admin.question()
            for label in ("همه مراکز", "همه حوزه‌ها", "فعال (در انتظار و تأییدشده)"):
                await admin.press(label)
                await admin.answered()
                await admin.receive()
            await admin.press("📣 بفرست")
            await until(lambda: sum(len(bot.messages_to(u)) for u in recipients) >= 10)
            await service.stop()  # Telegram goes away mid-broadcast: connection refused
            await asyncio.sleep(3)
            citizen = EmulatedUser(service, bot, 890_101)
            await citizen.command("start")  # sent while the bot cannot reach Telegram
            await service.start(port=port)
            await citizen.receive_text("سلام", timeout=40)
            await until(lambda: all(bot.messages_to(u) for u in recipients), timeout=90)
            counts = await services.broadcasts._broadcasts.counts(1)
            assert counts["sent"] == len(recipients) and counts["failed"] == 0, counts
    finally:
        await service.stop()


async def test_a_rejected_token_names_its_variable_and_the_other_messenger_serves(emulator, db_path,
                                                                                  clock, caplog):
    bale = emulator.add_bot(BALE_TOKEN, dialect="bale")  # no Telegram bot: its token is unknown
    settings = Settings.from_env(env_for(db_path, root_url(emulator), root_url(emulator)))
    async with running_bots(settings, ROUTES, clock) as (telegram_app, _):
        assert telegram_app.bot.health.state is Link.TOKEN_REJECTED
        citizen = EmulatedUser(emulator, bale, 890_201)
        await citizen.command("start")
        await citizen.receive_text("سلام")
    [said] = [r.getMessage() for r in caplog.records if "rejected the token" in r.getMessage()]
    assert "BOT_TOKEN" in said and TELEGRAM_TOKEN not in caplog.text


async def test_no_messenger_can_serve_so_the_process_fails(emulator, db_path, caplog):
    emulator.unknown_token_dialect = "bale"  # Bale answers 403 "Token not found"
    settings = Settings.from_env(env_for(db_path, root_url(emulator), root_url(emulator)))
    assert await asyncio.wait_for(serve_forever(settings, ROUTES), 30) == 1
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "BOT_TOKEN" in messages and "BALE_TOKEN" in messages


async def test_the_deployer_sees_one_clear_line_and_no_noise(emulator, db_path, tmp_path):
    """`python main.py run` as deployed: both tokens rejected → exit 1, no traceback, no
    "Unclosed client session"; the message names each variable."""
    emulator.unknown_token_dialect = "bale"
    env = {**env_for(db_path, root_url(emulator), root_url(emulator)), "PYTHONUNBUFFERED": "1"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "main.py", "run", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    text = output.decode()
    assert process.returncode == 1, text
    assert "Traceback" not in text and "Unclosed" not in text, text
    assert "BOT_TOKEN" in text and "BALE_TOKEN" in text and TELEGRAM_TOKEN not in text


async def test_a_filter_page_is_an_unreachable_messenger_not_a_rejected_token(emulator, db_path,
                                                                              clock, caplog):
    """A middlebox answering 403 or 404 with an HTML page, at start or mid-run: the token is not
    the problem; the messenger is retried and serves when the page goes away."""
    bale = emulator.add_bot(BALE_TOKEN, dialect="bale")
    emulator.faults.middlebox(403)
    env = {k: v for k, v in env_for(db_path, root_url(emulator), root_url(emulator)).items()
           if not k.startswith("BOT_")} | {"BOT_DB": str(db_path)}
    async with running_bots(Settings.from_env(env), ROUTES, clock) as (app,):
        assert app.bot.health.state is Link.UNREACHABLE
        emulator.faults.clear()
        citizen = EmulatedUser(emulator, bale, 890_301)
        await citizen.command("start")
        await citizen.receive_text("سلام", timeout=10)
        await citizen.receive_text("زبان")
        emulator.faults.middlebox(404)  # mid-run now
        await until(lambda: app.bot.health.state is Link.UNREACHABLE)
        emulator.faults.clear()
        await citizen.command("help")
        await citizen.receive_text("راهنما", timeout=40)
    assert "rejected the token" not in caplog.text and "Traceback" not in caplog.text
    assert "not a Bot API answer" in caplog.text


async def test_flood_control_at_start_delays_a_messenger_but_never_ends_it(emulator, db_path, clock):
    telegram = emulator.add_bot(TELEGRAM_TOKEN)
    emulator.faults.flood(retry_after=1, times=4)  # the command menu is refused past PTB's retries
    env = {k: v for k, v in env_for(db_path, root_url(emulator), root_url(emulator)).items()
           if not k.startswith("BALE_")}
    async with running_bots(Settings.from_env(env), ROUTES, clock) as (app,):
        citizen = EmulatedUser(emulator, telegram, 890_401)
        await citizen.command("start")
        await citizen.receive_text("سلام", timeout=15)
        assert app.bot.health.state is Link.SERVING


async def test_sigterm_while_a_messenger_hangs_at_start_ends_the_process_at_once(emulator, db_path):
    """A messenger that accepts the connection and never answers: a deployer's Ctrl+C or
    systemd's SIGTERM still ends the process within moments, cleanly."""
    emulator.add_bot(BALE_TOKEN, dialect="bale")
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)  # never answer

    black_hole = await asyncio.start_server(hold, "127.0.0.1", 0)
    hole = f"http://127.0.0.1:{black_hole.sockets[0].getsockname()[1]}"
    env = {**env_for(db_path, hole, root_url(emulator)), "PYTHONUNBUFFERED": "1"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "main.py", "run", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    await asyncio.sleep(3)
    started = asyncio.get_running_loop().time()
    process.terminate()
    output, _ = await asyncio.wait_for(process.communicate(), 20)
    took = asyncio.get_running_loop().time() - started
    black_hole.close()
    for writer in held:
        writer.close()
    text = output.decode()
    assert process.returncode == 0 and took < 3, (took, text)
    assert "Traceback" not in text and "Unclosed" not in text and "destroyed" not in text, text
