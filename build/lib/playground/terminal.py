"""`python main.py playground`: the chat in a terminal (prompt_toolkit), the bot's replies printed
above the input line as they arrive."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.patch_stdout import patch_stdout

from playground.chat import PlaygroundChat
from playground.session import open_playground

REFRESH_SECONDS = 0.1


async def run_playground(visual: bool, folder: Path | None = None) -> int:
    """Serve the playground until the person types :quit or presses Ctrl+D / Ctrl+C."""
    print("starting the emulator and the bot …", flush=True)
    async with open_playground(folder) as playground:
        chat = PlaygroundChat(playground, lambda text: print(text, flush=True), visual)
        session: PromptSession[str] = PromptSession()
        with patch_stdout(raw=True):
            chat.welcome()
            watcher = asyncio.create_task(_watch(chat))
            try:
                while True:
                    try:
                        line = await session.prompt_async(chat.prompt)
                    except (EOFError, KeyboardInterrupt):
                        break
                    if not await chat.handle(line):
                        break
            finally:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher
    print("playground closed.", file=sys.stderr)
    return 0


async def _watch(chat: PlaygroundChat) -> None:
    """Print the bot's replies as they arrive, whatever the person is typing."""
    while True:
        chat.show_new()
        await asyncio.sleep(REFRESH_SECONDS)
