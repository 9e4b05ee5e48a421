"""Isolation between servers: an admin of one server neither changes nor sees another's set-up."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.db.database import Database
from bot.db.repos import suggestions
from bot.db.repos.suggestions import SuggestionStatus
from bot.fake_discord import P
from bot.fake_discord.driver import Driver
from bot.fake_discord.world import Channel, Guild, Message, User
from tests.backends import table_columns
from tests.e2e.conftest import BotRunner, StandardWorld
from tests.e2e.test_prompts_e2e import MORNING
from tests.e2e.test_reminders_e2e import reply_of

pytestmark = pytest.mark.e2e

# A suggestion only server B's admins should ever read.
B_SUGGESTION = "What does the maplewhirl tradition mean to you?"
B_MARKER = "maplewhirl"


@dataclass
class OtherServer:
    """Server B: its own owner and admin; Adam (admin of A) and Alice are plain members here."""

    guild: Guild
    admin: User
    lounge: Channel


@pytest.fixture
async def other_server(driver: Driver, standard_world: StandardWorld) -> OtherServer:
    """Build server B next to the standard world (before the bot starts)."""
    owner = driver.add_user("greta")
    guild = await driver.add_guild("Other Home", owner=owner, text_channels=("lounge",))
    stewards = await driver.add_role(guild, "Stewards", int(P.MANAGE_GUILD))
    admin = driver.add_user("beth")
    await driver.add_member(guild, admin, [stewards])
    await driver.add_member(guild, standard_world.admin)
    await driver.add_member(guild, standard_world.alice)
    [lounge] = (driver.world.channels[c] for c in guild.channel_ids)
    return OtherServer(guild, admin, lounge)


async def rows_of_guild(db: Database, guild_id: int) -> dict[str, list[str]]:
    """Return every row, in every table with a guild_id column, that belongs to ``guild_id``."""
    found: dict[str, list[str]] = {}
    for name, columns in sorted((await table_columns(db)).items()):
        if "guild_id" in columns:
            # Table names come from the database's catalogue, never from a user.
            sql = f'SELECT * FROM "{name}" WHERE guild_id = ?'  # noqa: S608
            rows = await db.fetch_all(sql, (guild_id,))
            found[name] = sorted(repr(dict(row)) for row in rows)
    return found


def shown(driver: Driver, channel: Channel) -> list[str]:
    """Return the messages of a channel and its threads as text, with their edits."""
    channels = [channel, *driver.threads_in(channel)]
    return [
        f"{m.id} {m.edits} {m.content} {json.dumps(m.embeds)}"
        for c in channels
        for m in driver.messages_in(c)
    ]


async def run(driver: Driver, place: Channel, user: User, command: str, **options: Any) -> str:
    """Run a command as ``user`` in ``place``, Discord's default permissions overridden; return the reply."""
    handle = await driver.invoke_slash(place, user, command, options, enforce_permissions=False)
    return await reply_of(handle)


async def configure_b(driver: Driver, b: OtherServer, world: StandardWorld) -> None:
    """Set server B up as its own admin: prompts (one posted), gratitude, a circle, a pending suggestion."""
    await run(driver, b.lounge, b.admin, "setup prompts", channel=b.lounge, time="09:00", timezone="UTC")
    await run(driver, b.lounge, b.admin, "setup gratitude", channel=b.lounge)
    for user in (b.admin, world.alice):
        await run(driver, b.lounge, user, "circle join")
    await run(driver, b.lounge, world.alice, "prompt suggest", text=B_SUGGESTION)
    await run(driver, b.lounge, b.admin, "prompt now")


async def test_admin_commands_in_a_leave_b_untouched(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, other_server: OtherServer
) -> None:
    """Adam sets up, posts, pauses, resumes and reviews in A; B's rows and channel don't change."""
    world, b = standard_world, other_server
    bot = await bot_runner.start(clock=ManualClock(MORNING))
    await configure_b(driver, b, world)
    before, b_messages = await rows_of_guild(bot.db, b.guild.id), shown(driver, b.lounge)
    assert all(
        before[t] for t in ("prompt_configs", "gratitude_configs", "prompt_suggestions", "prompt_posts")
    )

    general = world.general
    adam = world.admin
    await run(driver, general, adam, "setup prompts", channel=general, time="21:00", timezone="Asia/Tokyo")
    await run(driver, general, adam, "setup gratitude", channel=world.checkins, rotation=True)
    assert "counts as today's" in await run(driver, general, adam, "prompt now")
    assert "paused" in await run(driver, general, adam, "prompt pause")
    assert "<t:" in await run(driver, general, adam, "prompt resume")
    review = await run(driver, general, adam, "prompt review")
    shown_to_adam = review + await run(driver, general, adam, "setup show")
    shown_to_adam += await run(driver, general, adam, "circle join") + await run(
        driver, general, adam, "circle show"
    )
    assert B_MARKER not in shown_to_adam and f"<@{b.admin.id}>" not in shown_to_adam

    assert await rows_of_guild(bot.db, b.guild.id) == before
    assert shown(driver, b.lounge) == b_messages
    assert (await rows_of_guild(bot.db, world.guild.id))["prompt_configs"]


async def test_admin_of_a_is_a_plain_member_in_b(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, other_server: OtherServer
) -> None:
    """In B, Adam's admin commands are refused privately and a forged Approve from A can't reach B."""
    world, b = standard_world, other_server
    bot = await bot_runner.start(clock=ManualClock(MORNING))
    await configure_b(driver, b, world)
    [pending] = await suggestions.with_status(bot.db, b.guild.id, SuggestionStatus.PENDING)
    before, b_messages = await rows_of_guild(bot.db, b.guild.id), shown(driver, b.lounge)

    adam, lounge = world.admin, b.lounge
    refusals = [
        await run(driver, lounge, adam, "setup prompts", channel=lounge, time="21:00", timezone="Asia/Tokyo"),
        await run(driver, lounge, adam, "setup gratitude", channel=lounge, rotation=True),
        await run(driver, lounge, adam, "setup show"),
        await run(driver, lounge, adam, "prompt now"),
        await run(driver, lounge, adam, "prompt pause"),
        await run(driver, lounge, adam, "prompt review"),
    ]
    assert all("Manage Server" in text and B_MARKER not in text for text in refusals), refusals

    # An Approve button for B's suggestion, pressed in A by A's admin, finds nothing to approve.
    forged = approve_button(driver, world.general, pending.id)
    clicked = await driver.click_button(forged, f"hearth:suggestion:approve:{pending.id}", user=adam)
    result = await clicked.response()
    assert "Approved" not in (result.content or "") and B_MARKER not in json.dumps(result.data)

    assert await rows_of_guild(bot.db, b.guild.id) == before
    assert shown(driver, b.lounge) == b_messages
    still = await suggestions.get(bot.db, pending.id)
    assert still is not None and still.status is SuggestionStatus.PENDING


def approve_button(driver: Driver, channel: Channel, suggestion_id: int) -> Message:
    """Seed a bot message carrying the review Approve button for ``suggestion_id``."""
    button = {
        "type": 2,
        "style": 3,
        "label": "Approve",
        "custom_id": f"hearth:suggestion:approve:{suggestion_id}",
    }
    return driver.seed_message(channel, content="Review", components=[{"type": 1, "components": [button]}])
