"""The demo's script: a small server, three people, and Hearth's main features in a minute.

The real bot (``create_bot`` + ``run_bot``, as ``hearth run`` builds it)
connects to the fake Discord of :mod:`bot.fake_discord` on 127.0.0.1; a
manual clock stands in for the wait until the daily prompt. Nothing leaves
the machine and no token is needed. Each step prints what each person
sees, with how long Hearth took to answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from bot.app import HearthBot, create_bot, run_bot
from bot.clock import ManualClock
from bot.crypto import generate_key
from bot.demo.render import Names, milliseconds, render_message
from bot.fake_discord import FakeDiscord, InteractionHandle
from bot.fake_discord.driver import Driver
from bot.fake_discord.world import Channel, Message, User
from bot.settings import Settings
from cogs._checkin_form import FEELINGS_FIELD, NEEDS_FIELD, NOTE_FIELD, SCORE_FIELD

EXIT_OK = 0
EXIT_DEMO_FAILED = 1
READY_TIMEOUT = 20.0
# A Monday in March, one minute before the prompt time (London is on UTC until the end of March).
START = datetime(2025, 3, 3, 8, 59, tzinfo=UTC)
PROMPT_TIME = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
ANSWER_FIELD = "hearth:prompt-answer"
EPHEMERAL = 64


@contextlib.asynccontextmanager
async def running_hearth(server: FakeDiscord, folder: Path, clock: ManualClock) -> AsyncIterator[HearthBot]:
    """Run the real bot on the fake Discord until the block ends, with its database in ``folder``."""
    settings = Settings(
        _env_file=None,
        discord_token=server.world.token,
        discord_api_base=server.api_base,
        database_url=f"sqlite:///{folder / 'demo.db'}",
        hearth_data_key=generate_key(),
        log_level="ERROR",
    )
    bot = create_bot(settings, clock=clock)
    # discord.py waits 2 s after the last server for more; the fake sends them all at once.
    bot._connection.guild_ready_timeout = 0.3
    task = asyncio.create_task(run_bot(bot), name="hearth-demo-bot")
    try:
        ready = asyncio.create_task(bot.scheduler_started.wait())
        done, _ = await asyncio.wait(
            {ready, task}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if task.done() and not task.cancelled() and task.exception() is not None:
                raise RuntimeError("the bot stopped before it was ready") from task.exception()
            raise RuntimeError(f"the bot was not ready within {READY_TIMEOUT:.0f} s")
        yield bot
    finally:
        await bot.close()
        await asyncio.wait({task}, timeout=10)


class Tour:
    """Acts as the people of the demo server and prints what they see."""

    def __init__(self, driver: Driver, out: TextIO, clock: ManualClock) -> None:
        self.driver = driver
        self.out = out
        self.clock = clock
        self.names = Names({}, clock.now)
        self.step_number = 0

    def say(self, line: str = "") -> None:
        """Print one line."""
        self.out.write(line + "\n")
        self.out.flush()

    def step(self, title: str) -> None:
        """Start a numbered step."""
        self.step_number += 1
        self.say()
        self.say(f"{self.step_number}. {title}")

    def person(self, user: User) -> str:
        """Return the name shown for ``user``."""
        return (user.global_name or user.username).capitalize()

    def show(self, heading: str, lines: Sequence[str]) -> None:
        """Print a heading ("Only Alice sees, after 12 ms:") and a message's lines."""
        self.say(f"   {heading}")
        for line in lines:
            self.say(line)

    def show_message(self, heading: str, message: Message) -> None:
        """Print a message as stored by the fake Discord."""
        files = [(a.filename, a.data) for a in message.attachments]
        lines = render_message(
            self.names,
            content=message.content,
            embeds=message.embeds,
            components=message.components,
            files=files,
        )
        self.show(heading, lines)

    def audience(self, user: User, data: Mapping[str, Any], channel: Channel) -> str:
        """Return who sees a reply: only its user when ephemeral, else the channel."""
        if int(data.get("flags", 0)) & EPHEMERAL:
            return f"Only {self.person(user)} sees"
        return f"Everyone in #{channel.name} sees"

    async def command(
        self, channel: Channel, user: User, command: str, options: Mapping[str, Any] | None = None
    ) -> InteractionHandle:
        """Run a slash command as ``user`` and print its reply (a form, a message, or a deferred one)."""
        shown = " ".join(f"{k}:{self._option(v)}" for k, v in (options or {}).items())
        self.say(f"   {self.person(user)} types /{command} {shown}".rstrip())
        handle = await self.driver.invoke_slash(channel, user, command, options)
        await self.print_reply(handle, user, channel)
        return handle

    async def submit(
        self, opened: InteractionHandle, user: User, channel: Channel, values: Mapping[str, Any]
    ) -> None:
        """Fill in and send the form ``opened`` showed, printing the reply."""
        filled = ", ".join(str(v if isinstance(v, str) else ", ".join(v)) for v in values.values() if v)
        self.say(f"   {self.person(user)} fills in the form ({filled}) and sends it")
        handle = await self.driver.submit_modal(opened, values)
        await self.print_reply(handle, user, channel)

    def _option(self, value: Any) -> str:
        if isinstance(value, Channel):
            return f"#{value.name}"
        if isinstance(value, User):
            return f"@{self.person(value)}"
        return f'"{value}"' if isinstance(value, str) and " " in value else str(value)

    async def print_reply(self, handle: InteractionHandle, user: User, channel: Channel) -> None:
        """Print the reply to an interaction: a form's fields, or the message with its timing."""
        response = await handle.response()
        if response.type == 9:
            modal = response.data
            labels = [self._label(row) for row in modal.get("components", [])]
            self.show(
                f"A form opens for {self.person(user)}, after {milliseconds(response.elapsed)}:",
                [f"      ▌ {modal.get('title', '')}", *(f"      ▌ {label}" for label in labels if label)],
            )
            return
        if response.type == 5:
            [followup] = await handle.wait_for_followups(1, timeout=10)
            data, files, elapsed = (
                followup.data,
                [(f.filename, f.data) for f in followup.files],
                followup.elapsed,
            )
        else:
            data, files, elapsed = (
                response.data,
                [(f.filename, f.data) for f in response.files],
                response.elapsed,
            )
        lines = render_message(
            self.names,
            content=data.get("content"),
            embeds=data.get("embeds") or [],
            components=data.get("components") or [],
            files=files,
        )
        self.show(f"{self.audience(user, data, channel)}, after {milliseconds(elapsed)}:", lines)

    @staticmethod
    def _label(row: Mapping[str, Any]) -> str:
        """Return a form field's label (a Label component, or an action row's text input)."""
        if row.get("label"):
            return str(row["label"])
        inner = row.get("components") or []
        return str(inner[0].get("label", "")) if inner else ""


async def play(tour: Tour, server: FakeDiscord, folder: Path) -> None:
    """Build the server, start Hearth and walk through the tour."""
    driver = tour.driver
    olivia, alice, bob = driver.add_user("olivia"), driver.add_user("alice"), driver.add_user("bob")
    guild = await driver.add_guild("Hearth Demo", owner=olivia, text_channels=("general", "gratitude"))
    await driver.add_member(guild, alice)
    await driver.add_member(guild, bob)
    general, gratitude = (driver.world.channels[c] for c in guild.channel_ids)
    for thing_id, name in ((olivia.id, "Olivia"), (alice.id, "Alice"), (bob.id, "Bob")):
        tour.names.add(thing_id, name)
    for channel in (general, gratitude):
        tour.names.add(channel.id, channel.name or "channel")
    tour.say("Hearth demo: the real bot, talking to a fake Discord on 127.0.0.1 (no token, no network).")
    tour.say('The server "Hearth Demo": Olivia (its owner), Alice and Bob; channels #general and #gratitude.')
    clock = tour.clock
    started = time.perf_counter()
    async with running_hearth(server, folder, clock) as bot:
        tour.say(f"Hearth connected and was ready after {milliseconds(time.perf_counter() - started)}.")
        tour.names.add(driver.bot_user.id, "Hearth")

        tour.step("Olivia turns on daily prompts in #general, each with its own thread")
        await tour.command(
            general,
            olivia,
            "setup prompts",
            {"channel": general, "time": "09:00", "timezone": "Europe/London", "threads": True},
        )
        tour.step("Alice and Bob join the circle whose answers are revealed together")
        for person in (alice, bob):
            await tour.command(general, person, "circle join")

        tour.step("09:00 in London: the day's prompt is posted, with a thread for the answers")
        clock.set(PROMPT_TIME)
        posting = time.perf_counter()
        await bot.schedule_engine.tick()
        took = milliseconds(time.perf_counter() - posting)
        [card] = [m for m in driver.messages_in(general) if m.author_id == driver.bot_user.id and m.embeds]
        tour.show_message(f"Everyone in #general sees, {took} after 09:00:", card)
        [thread] = driver.threads_in(general)
        tour.names.add(thread.id, thread.name or "thread")
        tour.say(f'   and a thread under it: "{thread.name}"')

        tour.step("Alice answers privately; nobody sees it yet")
        opened = await tour.command(general, alice, "prompt answer")
        await tour.submit(
            opened, alice, general, {ANSWER_FIELD: "When you made tea without asking, on a long day."}
        )
        tour.step("Bob answers too: the circle is complete, so both answers are revealed in the thread")
        opened = await tour.command(general, bob, "prompt answer")
        await tour.submit(
            opened, bob, general, {ANSWER_FIELD: "Our walk on Sunday, when we left our phones at home."}
        )
        for message in driver.messages_in(thread):
            tour.show_message(f'Everyone in the thread "{thread.name}" sees:', message)

        tour.step("Alice checks in: how safe and connected she feels, only for her")
        opened = await tour.command(general, alice, "checkin now")
        await tour.submit(
            opened,
            alice,
            general,
            {
                SCORE_FIELD: "4",
                FEELINGS_FIELD: ["hopeful"],
                NEEDS_FIELD: ["listened"],
                NOTE_FIELD: "Tired but glad.",
            },
        )

        tour.step("Olivia chooses #gratitude for thank-you cards; Bob thanks Alice")
        await tour.command(general, olivia, "setup gratitude", {"channel": gratitude})
        await tour.command(
            general, bob, "gratitude send", {"who": alice, "message": "Thank you for the tea."}
        )
        for message in driver.messages_in(gratitude):
            tour.show_message("Everyone in #gratitude sees:", message)

        tour.step("Alice asks for everything Hearth keeps about her")
        await tour.command(general, alice, "privacy export")
    tour.say()
    tour.say(
        "That was Hearth. To run it for real: put a bot token in .env (see the README) and run `hearth run`."
    )


async def run_demo(out: TextIO | None = None) -> int:
    """Play the tour on a fresh fake Discord and database; return the exit code."""
    tour_out = out or sys.stdout
    server = FakeDiscord(heartbeat_interval_ms=5000)
    await server.start()
    tour = Tour(Driver(server), tour_out, ManualClock(START))
    try:
        with tempfile.TemporaryDirectory(prefix="hearth-demo-") as folder:
            await play(tour, server, Path(folder))
    except (AssertionError, RuntimeError, TimeoutError, ValueError) as error:
        tour.say()
        tour.say(f"The demo stopped at step {tour.step_number}: {error or type(error).__name__}")
        return EXIT_DEMO_FAILED
    finally:
        await server.stop()
    problems = server.problems()
    if problems:
        tour.say("The fake Discord noticed problems: " + "; ".join(problems))
        return EXIT_DEMO_FAILED
    return EXIT_OK
