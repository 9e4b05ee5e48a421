"""Fixtures for end-to-end tests: the fake Discord, the driver, and the real bot started on it."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.fake_discord import FakeDiscord, P
from bot.fake_discord.driver import Driver
from bot.fake_discord.world import Channel, Guild, Role, User

if TYPE_CHECKING:
    from bot.app import HearthBot
    from bot.clock import ManualClock

READY_TIMEOUT = 10.0
# discord.py waits this long after the last GUILD_CREATE before READY (default 2 s); shortened for speed.
GUILD_READY_TIMEOUT = 0.3
START_TIME = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def _is_loopback(host: Any) -> bool:
    """Return True for localhost names and loopback addresses."""
    if host is None:
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


@pytest.fixture
def network_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse name resolution of anything but loopback, so no test can reach the real Discord."""
    blocked: list[str] = []
    real = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        """Resolve loopback only."""
        if not _is_loopback(host):
            blocked.append(str(host))
            raise socket.gaierror(socket.EAI_NONAME, f"e2e tests may not resolve {host!r}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    yield blocked


@pytest.fixture
async def fake_discord(
    network_guard: list[str], monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[FakeDiscord]:
    """A running fake Discord; teardown fails the test on unknown endpoints, crashes or late answers."""
    server = FakeDiscord(heartbeat_interval_ms=1000)
    server.blocked_hosts = network_guard
    # discord.py keeps these as class attributes: restore whatever the test changed.
    monkeypatch.setattr(Route, "BASE", Route.BASE)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
    problems = server.problems()
    assert not problems, "fake Discord saw problems:\n" + "\n".join(problems)


@pytest.fixture
def driver(fake_discord: FakeDiscord) -> Driver:
    """The driver for building the world and acting as users."""
    return Driver(fake_discord)


class BotRunner:
    """Starts, restarts and stops the real Hearth bot (bot.app.create_bot + run_bot) on the fake."""

    def __init__(self, server: FakeDiscord, driver: Driver, database_url: str, key_dir: Path) -> None:
        self.server = server
        self.driver = driver
        self.database_url = database_url
        # Without a key the bot makes a key file; on PostgreSQL it would go to the working directory.
        self.key_file = key_dir / "hearth.key"
        self.bot: HearthBot | None = None
        self.task: asyncio.Task[None] | None = None
        self.clock: ManualClock | None = None
        self.starts = 0

    def settings(self, **overrides: Any) -> Any:
        """Return the Settings the bot runs with (ignoring any .env)."""
        from bot.settings import Settings

        values: dict[str, Any] = {
            "discord_token": self.server.world.token,
            "database_url": self.database_url,
            "discord_api_base": self.server.api_base,
        }
        if self.database_url.startswith("postgresql"):
            values["hearth_data_key_file"] = str(self.key_file)
        values.update(overrides)
        return Settings(_env_file=None, **values)

    async def start(self, *, clock: ManualClock | None = None, **settings: Any) -> HearthBot:
        """Start the bot exactly as ``python -m bot`` builds it and wait until it is ready."""
        from bot.app import create_bot, run_bot
        from bot.clock import ManualClock

        if self.bot is not None:
            raise RuntimeError("the bot is already running; use restart()")
        self.clock = clock or self.clock or ManualClock(START_TIME)
        bot = create_bot(self.settings(**settings), clock=self.clock)
        bot._connection.guild_ready_timeout = GUILD_READY_TIMEOUT
        self.bot = bot
        self.task = task = asyncio.create_task(run_bot(bot), name="hearth-bot")
        self.starts += 1
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait(
            {ready, task}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if ready in done:
            if not bot.settings.disable_scheduler:
                # The engine starts right after READY; tests expect it (and its recovery) to have run.
                await asyncio.wait_for(bot.scheduler_started.wait(), timeout=READY_TIMEOUT)
            return bot
        ready.cancel()
        crashed = task.exception() if task.done() and not task.cancelled() else None
        await self.stop(check=False)
        if task.done() and not crashed:
            raise AssertionError("the bot stopped before it was ready")
        if crashed:
            raise AssertionError("the bot crashed before it was ready") from crashed
        raise AssertionError(f"the bot was not ready within {READY_TIMEOUT} s")

    async def stop(self, *, check: bool = True) -> None:
        """Close the bot (and its database); optionally check every interaction was answered first."""
        bot, task = self.bot, self.task
        if bot is None or task is None:
            return
        try:
            if check:
                await self._settle_interactions()
        finally:
            self.bot = self.task = None
            await bot.close()
            await asyncio.wait({task}, timeout=10)
        if not task.done():
            task.cancel()
            raise AssertionError("run_bot did not return within 10 s of bot.close()")
        crashed = None if task.cancelled() else task.exception()
        if check and crashed is not None:
            raise AssertionError("the bot crashed while the test ran") from crashed
        if check:
            unanswered = self.driver.unanswered_interactions()
            assert not unanswered, "interactions never answered: " + ", ".join(
                r.describe() for r in unanswered
            )

    async def _settle_interactions(self) -> None:
        """Give pending interactions the rest of their 3 s before the bot goes away."""
        for record in self.driver.unanswered_interactions():
            remaining = 3.0 - record.elapsed()
            if remaining > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(record.changed.wait(), remaining)

    async def restart(self, **settings: Any) -> HearthBot:
        """Stop the bot and start a new one on the same database, clock and fake Discord."""
        await self.stop()
        return await self.start(**settings)


@pytest.fixture
async def bot_runner(
    fake_discord: FakeDiscord, driver: Driver, database_url: str, tmp_path: Path
) -> AsyncIterator[BotRunner]:
    """Starts the real bot on demand (build the world first) on each backend; always closes it."""
    runner = BotRunner(fake_discord, driver, database_url, tmp_path)
    try:
        yield runner
    finally:
        await runner.stop()


@dataclass
class StandardWorld:
    """A small server: owner, an admin, two members (bob's DMs closed), and three channels."""

    guild: Guild
    owner: User
    admin: User
    alice: User
    bob: User
    admin_role: Role
    general: Channel
    checkins: Channel
    locked: Channel


@pytest.fixture
async def standard_world(driver: Driver) -> StandardWorld:
    """Build the standard world (before the bot starts, so READY carries it)."""
    owner = driver.add_user("olivia")
    guild = await driver.add_guild("Hearth Test", owner=owner, text_channels=("general", "checkins"))
    admin_role = await driver.add_role(guild, "Admins", int(P.MANAGE_GUILD | P.MANAGE_CHANNELS))
    admin = driver.add_user("adam")
    alice = driver.add_user("alice")
    bob = driver.add_user("bob", dms_open=False)
    await driver.add_member(guild, admin, [admin_role])
    await driver.add_member(guild, alice)
    await driver.add_member(guild, bob)
    general, checkins = (driver.world.channels[c] for c in guild.channel_ids)
    locked = await driver.add_channel(guild, "bot-locked")
    await driver.deny_bot(locked, int(P.SEND_MESSAGES))
    return StandardWorld(guild, owner, admin, alice, bob, admin_role, general, checkins, locked)


@pytest.fixture
async def running_bot(bot_runner: BotRunner, standard_world: StandardWorld) -> HearthBot:
    """The real bot, started on the standard world and ready."""
    return await bot_runner.start()
