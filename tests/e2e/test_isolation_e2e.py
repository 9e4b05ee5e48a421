"""Isolation end to end: one user's private check-ins stay out of another user's reach."""

from __future__ import annotations

import json

import pytest

from bot.app import HearthBot
from bot.db.repos import checkins, prompt_config, reminders
from bot.fake_discord.driver import Driver
from bot.fake_discord.interactions import InteractionHandle
from cogs._checkin_form import FEELINGS_FIELD, NEEDS_FIELD, NOTE_FIELD, SCORE_FIELD
from tests.e2e.conftest import StandardWorld

pytestmark = pytest.mark.e2e

ALICE_NOTE = "isolationmarker zephyrquill alice only"


async def reply_text(handle: InteractionHandle) -> str:
    """Return an interaction's private reply (initial or followup after a defer) as text."""
    response = await handle.response()
    assert response.ephemeral, response
    if response.type == 5:
        [followup] = await handle.wait_for_followups()
        assert followup.flags & 64
        return (followup.content or "") + json.dumps(followup.embeds)
    return (response.content or "") + json.dumps(response.embeds)


async def test_checkin_history_shows_only_your_own(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """Bob's /checkin history neither shows nor touches Alice's check-in."""
    world = standard_world
    opened = await driver.invoke_slash(world.general, world.alice, "checkin now")
    assert (await opened.response()).type == 9
    submitted = await driver.submit_modal(
        opened,
        {SCORE_FIELD: "4", FEELINGS_FIELD: ["content"], NEEDS_FIELD: [], NOTE_FIELD: ALICE_NOTE},
    )
    assert (await submitted.response()).ephemeral
    history = await driver.invoke_slash(world.general, world.bob, "checkin history")
    text = await reply_text(history)
    assert ALICE_NOTE not in text and "4/5" not in text
    assert await checkins.list_for_user(running_bot.db, world.bob.id) == []
    [kept] = await checkins.list_for_user(running_bot.db, world.alice.id)
    assert running_bot.cipher.open_optional(kept.note, checkins.note_context(kept.id)) == ALICE_NOTE


@pytest.mark.parametrize(
    ("command", "needs_options"),
    [("setup prompts", True), ("setup show", False), ("setup check", False)],
)
async def test_setup_commands_check_manage_server_at_run_time(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld, command: str, needs_options: bool
) -> None:
    """With the default overridden, a non-admin still gets a private refusal and nothing changes."""
    world = standard_world
    options: dict[str, object] = (
        {"channel": world.general, "time": "19:30", "timezone": "Europe/London"} if needs_options else {}
    )
    handle = await driver.invoke_slash(
        world.general, world.alice, command, options, enforce_permissions=False
    )
    text = await reply_text(handle)
    assert "Manage Server" in text, text
    assert await prompt_config.get(running_bot.db, world.guild.id) is None
    channels = [driver.world.channels[c] for c in world.guild.channel_ids]
    assert [m for channel in channels for m in driver.messages_in(channel)] == []


async def test_reminders_cannot_be_listed_or_cancelled_by_others(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """Another user's reminder id answers like a missing one, stays active and is not in their list."""
    world = standard_world
    values: dict[str, object] = {
        "who": world.admin,
        "every": "daily",
        "time": "19:30",
        "timezone": "America/New_York",
    }
    await reply_text(await driver.invoke_slash(world.general, world.alice, "remind appreciation", values))
    [mine] = await reminders.for_user(running_bot.db, world.alice.id)
    listed = await reply_text(await driver.invoke_slash(world.general, world.bob, "remind list"))
    assert f"#{mine.id}" not in listed
    others = await reply_text(
        await driver.invoke_slash(world.general, world.bob, "remind cancel", {"id": mine.id})
    )
    missing = await reply_text(
        await driver.invoke_slash(world.general, world.bob, "remind cancel", {"id": 9999})
    )
    assert others.replace(f"#{mine.id} ", "#N ") == missing.replace("#9999 ", "#N ")
    assert [r.id for r in await reminders.for_user(running_bot.db, world.alice.id)] == [mine.id]
