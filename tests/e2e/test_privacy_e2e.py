"""Privacy through the real bot: export file, erase with confirmation, /resources, server purge, data key."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.app import HearthBot
from bot.crypto import generate_key
from bot.db.repos import privacy, schedules, users
from bot.db.timestamps import to_unix
from bot.fake_discord.driver import Driver
from bot.privacy import catalog
from bot.privacy.keys import DataKeyError
from bot.privacy.registry import RetainedTable
from bot.schedule.recurrence import Recurrence
from tests.e2e.conftest import START_TIME, BotRunner, StandardWorld

pytestmark = pytest.mark.e2e

RULE = Recurrence("Europe/Paris", time(20, 0))
# The daily housekeeping runs at 03:30 UTC; tick a minute after it.
HOUSEKEEPING_TIME = time(3, 31)


async def until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait (bounded by steps, not time) until ``check`` holds, e.g. for a gateway event to land."""
    for _ in range(500):
        if await check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


def housekeeping_after(day: datetime) -> datetime:
    """Return the first housekeeping tick time on or after ``day``'s date."""
    return datetime.combine(day.date(), HOUSEKEEPING_TIME, tzinfo=UTC)


async def seed_alice(bot: HearthBot, world: StandardWorld) -> None:
    """Give Alice a profile, a retention choice and a scheduled item of her own."""
    now = bot.clock.now()
    await users.set_timezone(bot.db, world.alice.id, "Europe/Paris", now)
    await privacy.set_retention(bot.db, world.alice.id, 90, now)
    await schedules.upsert_recurring(
        bot.db, kind="privacy_e2e", owner_key="e2e:alice", rule=RULE, now=now, user_id=world.alice.id
    )


async def test_privacy_export_attaches_the_users_data_as_json(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """/privacy export answers privately with a JSON file holding the person's records only."""
    await seed_alice(running_bot, standard_world)
    handle = await driver.invoke_slash(standard_world.general, standard_world.alice, "privacy export")
    response = await handle.response()
    assert response.type == 5 and response.ephemeral
    [followup] = await handle.wait_for_followups(1)
    [file] = followup.files
    assert file.filename == f"hearth-export-{standard_world.alice.id}.json"
    document = json.loads(file.data)
    assert document["format"] == "hearth-export"
    assert document["user_id"] == str(standard_world.alice.id)
    assert document["data"]["profile"]["timezone"] == "Europe/Paris"
    assert document["data"]["privacy_settings"] == {"retention_days": 90}
    assert [item["kind"] for item in document["data"]["schedules"]["items"]] == ["privacy_e2e"]
    message = handle.original_message()
    assert message is not None and message.ephemeral
    assert message.visible_to == standard_world.alice.id
    assert driver.messages_in(standard_world.general) == []


async def test_privacy_export_in_dms_is_a_plain_reply(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """Used in DMs, the export file stays in the DM (not ephemeral)."""
    await seed_alice(running_bot, standard_world)
    dm = driver.dm_channel(standard_world.alice)
    handle = await driver.invoke_slash(dm, standard_world.alice, "privacy export")
    response = await handle.response()
    assert response.type == 5 and not response.ephemeral
    [followup] = await handle.wait_for_followups(1)
    assert json.loads(followup.files[0].data)["data"]["profile"]["timezone"] == "Europe/Paris"


async def test_privacy_delete_asks_then_erases_and_counts(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """/privacy delete shows a confirm button; pressing it erases everything and reports numbers."""
    world = standard_world
    await seed_alice(running_bot, world)
    await schedules.upsert_recurring(
        running_bot.db,
        kind="privacy_e2e",
        owner_key="e2e:bob",
        rule=RULE,
        now=running_bot.clock.now(),
        user_id=world.bob.id,
    )
    handle = await driver.invoke_slash(world.general, world.alice, "privacy delete")
    response = await handle.response()
    assert response.ephemeral
    confirm = handle.original_message()
    assert confirm is not None
    erase = f"hearth:privacy:erase:{world.alice.id}"
    assert erase in confirm.custom_ids()
    assert await users.get(running_bot.db, world.alice.id) is not None, "asking erases nothing"

    click = await driver.click_button(confirm, erase, user=world.alice)
    clicked = await click.response()
    assert clicked.type == 7
    [summary] = await click.wait_for_followups(1)
    assert summary.flags & 64
    assert summary.content is not None
    assert "Scheduled check-ins and reminders: 1" in summary.content
    assert "Your profile (timezone and DM settings): 1" in summary.content
    assert "Your privacy choices: 1" in summary.content
    assert await users.get(running_bot.db, world.alice.id) is None
    assert await privacy.get_retention(running_bot.db, world.alice.id) is None
    assert await schedules.get_by_owner_key(running_bot.db, "e2e:alice") is None
    assert await schedules.get_by_owner_key(running_bot.db, "e2e:bob") is not None
    assert driver.messages_in(world.general) == []


async def test_privacy_delete_keep_button_changes_nothing(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """Choosing to keep the data leaves every record in place."""
    await seed_alice(running_bot, standard_world)
    handle = await driver.invoke_slash(standard_world.general, standard_world.alice, "privacy delete")
    await handle.response()
    confirm = handle.original_message()
    assert confirm is not None
    click = await driver.click_button(
        confirm, f"hearth:privacy:keep:{standard_world.alice.id}", user=standard_world.alice
    )
    assert (await click.response()).type == 7
    assert await users.get(running_bot.db, standard_world.alice.id) is not None


async def test_privacy_retention_buttons_store_the_choice(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """/privacy retention shows the default period and a button per choice; a press stores it."""
    handle = await driver.invoke_slash(standard_world.general, standard_world.alice, "privacy retention")
    response = await handle.response()
    assert response.ephemeral and "365 days" in (response.content or "")
    message = handle.original_message()
    assert message is not None
    click = await driver.click_button(
        message, f"hearth:privacy:retain:30:{standard_world.alice.id}", user=standard_world.alice
    )
    assert (await click.response()).type == 7
    assert await privacy.get_retention(running_bot.db, standard_world.alice.id) == 30


async def test_resources_is_ephemeral_with_crisis_lines(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """/resources answers only the asker, with the directory, 988 and Crisis Text Line."""
    handle = await driver.invoke_slash(
        standard_world.general, standard_world.alice, "resources", {"country": "US"}
    )
    response = await handle.response()
    assert response.type == 4 and response.ephemeral
    text = json.dumps(response.embeds)
    for needle in ("findahelpline.com", "988", "741741", "emergency"):
        assert needle in text
    assert driver.messages_in(standard_world.general) == []


async def seed_guild(bot: HearthBot, guild_id: int) -> None:
    """Give the server a schedule of its own (the foundation's per-server data)."""
    await schedules.upsert_recurring(
        bot.db, kind="privacy_e2e", owner_key="e2e:guild", rule=RULE, now=bot.clock.now(), guild_id=guild_id
    )


async def test_guild_removal_purges_after_the_grace_period_only(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Removed from a server: data stays through the grace period, then housekeeping purges it."""
    bot = await bot_runner.start()
    clock = bot_runner.clock
    assert clock is not None
    guild_id = standard_world.guild.id
    await seed_guild(bot, guild_id)
    await driver.remove_bot_from_guild(standard_world.guild)
    await until(lambda: _departed(bot, guild_id), "the leave was recorded")

    clock.set(housekeeping_after(START_TIME + timedelta(days=29)))
    await bot.schedule_engine.tick()
    assert await schedules.get_by_owner_key(bot.db, "e2e:guild") is not None, "purged inside the grace"

    clock.set(housekeeping_after(START_TIME + timedelta(days=31)))
    await bot.schedule_engine.tick()
    assert await schedules.get_by_owner_key(bot.db, "e2e:guild") is None
    assert await privacy.get_departed(bot.db, guild_id) is None


async def test_rejoining_within_the_grace_keeps_the_data(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Re-adding the bot before the grace period ends clears the mark; nothing is purged later."""
    bot = await bot_runner.start()
    clock = bot_runner.clock
    assert clock is not None
    guild_id = standard_world.guild.id
    await seed_guild(bot, guild_id)
    await driver.remove_bot_from_guild(standard_world.guild)
    await until(lambda: _departed(bot, guild_id), "the leave was recorded")
    clock.advance(timedelta(days=10))
    await driver.add_bot_to_guild(standard_world.guild)

    async def cleared() -> bool:
        return not await _departed(bot, guild_id)

    await until(cleared, "the rejoin cleared the mark")
    clock.set(housekeeping_after(START_TIME + timedelta(days=45)))
    await bot.schedule_engine.tick()
    assert await schedules.get_by_owner_key(bot.db, "e2e:guild") is not None


async def _departed(bot: HearthBot, guild_id: int) -> bool:
    return await privacy.get_departed(bot.db, guild_id) is not None


async def test_bot_refuses_to_start_without_the_key_once_data_is_encrypted(
    bot_runner: BotRunner, standard_world: StandardWorld
) -> None:
    """Started once with HEARTH_DATA_KEY, the bot will not start without it, nor with another key."""
    key = generate_key()
    await bot_runner.start(hearth_data_key=key)
    await bot_runner.stop()
    with pytest.raises(AssertionError, match="crashed") as missing:
        await bot_runner.start()
    assert isinstance(missing.value.__cause__, DataKeyError)
    assert "HEARTH_DATA_KEY is not set" in str(missing.value.__cause__)
    with pytest.raises(AssertionError, match="crashed") as wrong:
        await bot_runner.start(hearth_data_key=generate_key())
    assert isinstance(wrong.value.__cause__, DataKeyError)
    await bot_runner.start(hearth_data_key=key)


async def test_housekeeping_schedule_survives_restarts_unchanged(
    bot_runner: BotRunner, standard_world: StandardWorld
) -> None:
    """The daily clean-up is created once; a restart neither duplicates nor postpones it."""
    bot = await bot_runner.start()
    first = await schedules.get_by_owner_key(bot.db, "privacy:housekeeping")
    assert first is not None and first.next_run_at == datetime(2025, 3, 4, 3, 30, tzinfo=UTC)
    assert bot_runner.clock is not None
    bot_runner.clock.advance(timedelta(hours=12))
    bot = await bot_runner.restart()
    again = await schedules.get_by_owner_key(bot.db, "privacy:housekeeping")
    assert again is not None and (again.id, again.next_run_at) == (first.id, first.next_run_at)


async def test_daily_housekeeping_applies_each_persons_retention(
    bot_runner: BotRunner, standard_world: StandardWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scheduled clean-up deletes rows older than their owner's chosen period, and only those."""
    monkeypatch.setattr(catalog, "RETAINED", (RetainedTable("e2e_private", "user_id", "created_at"),))
    bot = await bot_runner.start()
    clock = bot_runner.clock
    assert clock is not None
    await bot.db.run_script("CREATE TABLE e2e_private (user_id BIGINT NOT NULL, created_at BIGINT NOT NULL);")
    alice, bob = standard_world.alice.id, standard_world.bob.id
    await privacy.set_retention(bot.db, alice, 30, clock.now())
    for user_id in (alice, bob):
        await bot.db.execute(
            "INSERT INTO e2e_private (user_id, created_at) VALUES (?, ?)", (user_id, to_unix(clock.now()))
        )
    clock.set(housekeeping_after(START_TIME + timedelta(days=31)))
    await bot.schedule_engine.tick()
    rows = await bot.db.fetch_all("SELECT user_id FROM e2e_private")
    assert [row["user_id"] for row in rows] == [bob], "Alice's 30 days passed; Bob keeps the default year"
