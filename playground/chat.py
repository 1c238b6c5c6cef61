"""The playground's chat: what a typed line does (a message, a command, a button by number, or a
playground command starting with ':'), and the transcript of what the bot did."""

from __future__ import annotations

import io
from collections.abc import Callable
from urllib.parse import parse_qs, urlparse

import zxingcpp
from PIL import Image

from bot.validation import normalize_digits
from emulator.client import EmulatedUser
from playground.render import Choice, action_lines, choice_lines, choices, line_for_terminal
from playground.session import IDENTITIES, PLATFORMS, Playground

# A sample center's neighbourhood in Hamadan: sharing it lists the nearest sample centers.
DEFAULT_LOCATION = (34.7989, 48.5146)
PLATFORM_NAMES = {"telegram": "Telegram", "bale": "Bale"}

HELP = """\
Type as the person would: a message, or a /command. Playground commands:
  3                   press button 3 of the list under the bot's message (:say 3 sends "3")
  :buttons            list the buttons again
  :contact [PHONE]    share your own phone number (the "share my number" button)
  :forward PHONE      forward someone else's contact card
  :location [LAT LON] share a location (default: a neighbourhood of Hamadan)
  :sticker | :photo | :voice             send a sticker, a photo or a voice note
  :open LINK          open a t.me / ble.ir link to the bot (QR posters, invites)
  :scan               point the phone's camera at the newest poster the bot sent anyone here
                      (its QR read as a camera app would; e.g. an event's check-in poster)
  :as citizen | coordinator | admin      act as another person
  :platform telegram | bale              talk to the bot on the other messenger
  :whoami             who and where you are
  :quit               leave (the playground's database is thrown away)"""


class PlaygroundChat:
    """One person at a time talking to the bot; the transcript goes to `write`."""

    def __init__(self, playground: Playground, write: Callable[[str], None], visual: bool):
        self._playground = playground
        self._write = write
        self._visual = visual
        self.role = "citizen"
        self.platform = "telegram"
        self._announced: dict[tuple[str, str], int] = {}
        self._presses: list[tuple[EmulatedUser, str]] = []  # (who, query id) awaiting the pop-up

    @property
    def user(self) -> EmulatedUser:
        return self._playground.user(self.role, self.platform)

    def prompt(self) -> str:
        return f"{self.role}@{self.platform}> "

    def welcome(self) -> None:
        """The first thing printed: where we are and how to start."""
        self._write(
            "Salam Mahalleh playground: the real bot, a throw-away database with the sample centers, "
            "and a Bot API emulator on 127.0.0.1 answering as Telegram and as Bale.\n"
            f"You are a citizen on Telegram. The coordinator runs all {self._playground.coordinated_centers} "
            "sample centers; the admin is in BOT_ADMINS.\n"
            f"Files the bot sends are saved in {self._playground.folder}.\n"
            "Type /start to begin, :help for playground commands.")

    # ----------------------------------------------------------------- transcript
    def show_new(self) -> None:
        """Print what the bot did in this chat since last shown; mention other people's news."""
        self._show_popups()
        user = self.user
        actions = user.pending()
        if actions:
            user.skip_all()
            for action in actions:
                self._write("🤖 " + "\n   ".join(action_lines(action, user.bot, self._playground.folder,
                                                          self._visual)))
            if any(a.reply_markup or a.message.get("reply_markup") for a in actions):
                self._list_buttons(user)
        for role, platform, other in self._playground.chats():
            waiting = len(other.pending())
            key = (role, platform)
            if key == (self.role, self.platform) or not waiting:
                self._announced.pop(key, None)
                continue
            if self._announced.get(key) != waiting:
                self._announced[key] = waiting
                self._write(f"🔔 {waiting} new for the {role} on {PLATFORM_NAMES[platform]} "
                            f"(:as {role}" + ("" if platform == self.platform else
                                              f", :platform {platform}") + ")")

    def _show_popups(self) -> None:
        """The short answer the messenger shows over the chat after a button press (a toast, or a
        box to dismiss when the bot asks for an alert)."""
        waiting = []
        for user, query_id in self._presses:
            answer = user.callback_answer(query_id)
            if answer is None:
                waiting.append((user, query_id))
            elif answer.text:
                mark = "⚠️ pop-up (tap OK)" if answer.show_alert else "💬 pop-up"
                self._write(f"{mark}: " + line_for_terminal(answer.text, self._visual, align=False))
        self._presses = waiting

    def _list_buttons(self, user: EmulatedUser) -> None:
        options = choices(user)
        if options:
            self._write("\n".join(choice_lines(options, self._visual)))

    # ----------------------------------------------------------------- input
    async def handle(self, line: str) -> bool:
        """Act on one typed line; False when the person wants to leave."""
        text = line.strip()
        if not text:
            return True
        if text.startswith(":"):
            return await self._playground_command(text)
        number = normalize_digits(text)
        options = choices(self.user)
        if number.isdigit() and 1 <= int(number) <= len(options):
            await self._press(options[int(number) - 1])
        elif text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            await self.user.command(name, args.strip())
        else:
            await self.user.send(text)
        return True

    async def _press(self, choice: Choice) -> None:
        user = self.user
        if choice.kind == "callback":
            current = user.state.messages.get(choice.message["message_id"], choice.message)
            self._presses.append((user, await user.press_data(choice.value, current)))
        elif choice.kind == "contact":
            await user.share_contact(IDENTITIES[self.role].phone)
        elif choice.kind == "location":
            await user.share_location(*DEFAULT_LOCATION)
        elif choice.kind == "url":
            await self._open(choice.value)
        else:
            await user.send(choice.value)

    async def _scan(self) -> None:
        """Read the QR codes of the newest poster the bot sent to anyone on this messenger (a
        coordinator prints it, a citizen scans it) with zxing-cpp, as a camera app does, and open
        the link for this messenger."""
        posters = [message for role in IDENTITIES
                   for message in self._playground.user(role, self.platform).state.messages.values()
                   if "photo" in message]
        if not posters:
            self._write("(no poster here yet: a coordinator asks for one, e.g. /poster 4175)")
            return
        newest = max(posters, key=lambda message: (message["date"], message["message_id"]))
        content = self.user.bot.files[newest["photo"][-1]["file_id"]].content
        links = [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(content)))]
        host = "ble.ir" if self.platform == "bale" else "t.me"
        mine = [link for link in links if urlparse(link).hostname == host] or links
        if not mine:
            self._write("(the camera finds no QR code in that picture)")
            return
        self._write(f"(scanned: {mine[0]})")
        await self._open(mine[0])

    async def _open(self, link: str) -> None:
        """A link to the bot starts it with the link's payload, as the messenger app does."""
        start = parse_qs(urlparse(link).query).get("start")
        if not start:
            self._write(f"(a link outside the bot: {link})")
            return
        await self.user.command("start", start[0])

    async def _playground_command(self, text: str) -> bool:
        name, *args = text[1:].split()
        name = name.lower()
        if name in ("quit", "exit", "q"):
            return False
        if name in ("help", "?", "h"):
            self._write(HELP)
        elif name == "buttons":
            if not choices(self.user):
                self._write("(no buttons right now)")
            self._list_buttons(self.user)
        elif name == "say":
            await self.user.send(" ".join(args))
        elif name == "contact":
            await self.user.share_contact(args[0] if args else IDENTITIES[self.role].phone)
        elif name == "location":
            await self._share_location(args)
        elif name == "forward" and args:
            await self.user.forward_contact(args[0])
        elif name == "sticker":
            await self.user.send_sticker()
        elif name == "photo":
            await self.user.send_photo()
        elif name == "voice":
            await self.user.send_voice()
        elif name == "open" and args:
            await self._open(args[0])
        elif name == "scan":
            await self._scan()
        elif name == "as" and args and args[0] in IDENTITIES:
            self.role = args[0]
            self._write(f"(you are now the {self.role})")
            self.show_new()
        elif name == "platform" and args and args[0] in PLATFORMS:
            self.platform = args[0]
            self._write(f"(you are now on {PLATFORM_NAMES[self.platform]})")
            self.show_new()
        elif name == "whoami":
            identity = IDENTITIES[self.role]
            self._write(f"the {self.role} (user id {identity.user_id}, {identity.phone}) "
                        f"on {PLATFORM_NAMES[self.platform]}")
        else:
            self._write(f"Unknown playground command {text!r}.\n{HELP}")
        return True

    async def _share_location(self, args: list[str]) -> None:
        if not args:
            await self.user.share_location(*DEFAULT_LOCATION)
            return
        try:
            latitude, longitude = (float(normalize_digits(value)) for value in args[:2])
        except ValueError:
            self._write("Usage: :location LAT LON, e.g. :location 34.80 48.51")
            return
        await self.user.share_location(latitude, longitude)
