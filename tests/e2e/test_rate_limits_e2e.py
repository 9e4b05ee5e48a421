"""429s as a pace signal: the fake answers 429 with retry_after, and no scheduled post is lost or doubled."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.clock import ManualClock
from bot.db.repos import schedules
from bot.fake_discord import FakeDiscord
from bot.fake_discord.driver import Driver
from bot.fake_discord.world import Guild
from bot.prompts import posting
from bot.schedule.engine import Occurrence
from tests.e2e.conftest import BotRunner
from tests.seeding import configure_daily_prompts

pytestmark = pytest.mark.e2e

MORNING = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
NINE = datetime(2026, 11, 30, 9, 0, 30, tzinfo=UTC)
SERVERS = 12
MESSAGES_ROUTE = "POST /channels/{channel_id}/messages"


class LimitedError(Exception):
    """What discord.py raises for a 429 it gave up on, as far as the engine looks."""

    status = 429


async def servers_with_prompts(driver: Driver, bot_runner: BotRunner) -> list[Guild]:
    """Return servers, each with a daily prompt at 09:00 UTC in its #general."""
    owner = driver.add_user("owner")
    return [await driver.add_guild(f"Server {n}", owner=owner) for n in range(SERVERS)]


async def test_global_429s_are_retried_by_hearth_and_every_prompt_posts_once(
    bot_runner: BotRunner, driver: Driver, fake_discord: FakeDiscord
) -> None:
    """The pace is set far above a global limit of 3/s: every 429 waits and goes again, none fails."""
    guilds = await servers_with_prompts(driver, bot_runner)
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock, scheduled_send_rate=20)
    for guild in guilds:
        await configure_daily_prompts(
            bot.db, guild.id, guild.channel_ids[0], guild.owner_id, local_time="09:00", now=clock.now()
        )
    fake_discord.enable_rate_limits(global_limit=3, global_per=1.0, routes={MESSAGES_ROUTE: (5, 5.0)})
    clock.set(NINE)
    report = await bot.schedule_engine.tick()

    posts = {g.id: len(driver.messages_in(driver.world.channels[g.channel_ids[0]])) for g in guilds}
    assert posts == {g.id: 1 for g in guilds}
    # Not one 429 reached the engine as a failure: everything went out in the one tick.
    assert (report.sent, report.retrying, report.failed) == (SERVERS, 0, 0)
    served = [hit for hit in fake_discord.rate_limit_hits if hit.scope == "global"]
    assert served, "the fake's limit was meant to answer 429s"
    # Hearth saw and retried every one of them itself; discord.py never had to.
    assert bot.response_guard.rate_limits.get("global") == len(served)
    assert bot.response_guard.invalid.by_status.get(429) == len(served)
    assert fake_discord.nonce_duplicates == []
    assert await schedules.count_due(bot.db, clock.now()) == 0


async def test_a_429_that_reaches_a_handler_keeps_the_occurrence_in_place(
    bot_runner: BotRunner, driver: Driver, fake_discord: FakeDiscord
) -> None:
    """A 429 raised by discord.py (multipart bodies are not resent by Hearth) is retried within seconds."""
    guilds = await servers_with_prompts(driver, bot_runner)
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    guild = guilds[0]
    await configure_daily_prompts(
        bot.db, guild.id, guild.channel_ids[0], guild.owner_id, local_time="09:00", now=clock.now()
    )
    engine = bot.schedule_engine
    original = bot.schedule_routes.handler_for(posting.SCHEDULE_KIND)
    assert original is not None
    calls = 0

    async def limited_once(occurrence: Occurrence) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise LimitedError
        await original(occurrence)

    bot.schedule_routes.unregister(posting.SCHEDULE_KIND)
    bot.schedule_routes.register(posting.SCHEDULE_KIND, limited_once, guild_bound=True)
    clock.set(NINE)
    first = await engine.tick()
    assert (first.sent, first.retrying) == (0, 1)
    assert await schedules.fetch_claimed(bot.db) == [], "the occurrence was released, not left claimed"
    # Seconds later, not minutes: the same occurrence (same attempt) goes out.
    clock.set(NINE.replace(second=40))
    second = await engine.tick()
    assert second.sent == 1
    assert len(driver.messages_in(driver.world.channels[guild.channel_ids[0]])) == 1
