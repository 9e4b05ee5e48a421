"""Appreciation reminders end to end: the real bot on the fake Discord, the clock moved by the test."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.content.library import load_content
from bot.db.repos import reminders, schedules
from bot.fake_discord.driver import Driver
from bot.fake_discord.interactions import InteractionHandle
from bot.fake_discord.world import Message, User
from tests.e2e.conftest import BotRunner, StandardWorld

pytestmark = pytest.mark.e2e

# Friday 27 November 2026, 08:00 UTC: 03:00 in New York.
MORNING = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
# 19:30 in New York (EST, UTC-5) on the 27th.
EVENING_NY = datetime(2026, 11, 28, 0, 30, tzinfo=UTC)
IDEAS = {idea.text for idea in load_content().appreciation.ideas}


async def reply_of(handle: InteractionHandle) -> str:
    """Return the private reply to an interaction (initial or, after a defer, its followup) as text."""
    response = await handle.response()
    assert response.ephemeral, response
    if response.type == 5:
        [followup] = await handle.wait_for_followups()
        assert followup.flags & 64
        return (followup.content or "") + json.dumps(followup.embeds)
    return (response.content or "") + json.dumps(response.embeds)


async def remind(driver: Driver, world: StandardWorld, user: User, **options: Any) -> str:
    """Run /remind appreciation as ``user`` and return the private reply."""
    values: dict[str, Any] = {
        "who": world.admin,
        "every": "daily",
        "time": "19:30",
        "timezone": "America/New_York",
    }
    values.update(options)
    return await reply_of(await driver.invoke_slash(world.general, user, "remind appreciation", values))


def nudges(driver: Driver, user: User) -> list[Message]:
    """Return the reminder DMs (those with a Done button) the bot sent ``user``."""
    return [m for m in driver.dms_to(user) if any(c.startswith("hearth:appr:done:") for c in m.custom_ids())]


def button(message: Message, prefix: str) -> str:
    """Return the custom_id on ``message`` starting with ``prefix``."""
    [custom_id] = [c for c in message.custom_ids() if c.startswith(prefix)]
    return custom_id


def idea_in(message: Message) -> str:
    """Return the idea a nudge suggested."""
    [idea] = [idea for idea in IDEAS if idea in message.content]
    return idea


def public_bot_posts(driver: Driver, world: StandardWorld) -> list[Message]:
    """Return everything the bot posted publicly in the server's channels."""
    return [
        m
        for channel in (world.general, world.checkins)
        for m in driver.messages_in(channel)
        if m.author_id == driver.bot_user.id
    ]


async def test_reminder_arrives_at_local_time_and_its_buttons_work_after_restarts(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """A daily 19:30 New York reminder DMs an idea on time; snooze and done work after restarts."""
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    reply = await remind(driver, world, world.alice)
    assert "every day at 19:30 (America/New_York)" in reply and "<t:" in reply
    [test_dm] = driver.dms_to(world.alice)
    assert "This is where I'll send your reminders" in test_dm.content

    bot = await bot_runner.restart()
    clock.set(EVENING_NY - timedelta(minutes=1))
    await bot.schedule_engine.tick()
    assert nudges(driver, world.alice) == []
    clock.set(EVENING_NY)
    await bot.schedule_engine.tick()
    [nudge] = nudges(driver, world.alice)
    first_idea = idea_in(nudge)
    assert f"<@{world.admin.id}>" in nudge.content
    assert nudge.allowed_mentions == {"parse": []} and nudge.mentions == []
    assert nudge.nonce is not None
    assert [c.split(":")[2] for c in nudge.custom_ids()] == ["thank", "snooze", "done", "stop"]

    # Snooze after a restart: "In 1 hour" brings the same idea back exactly an hour later.
    bot = await bot_runner.restart()
    clock.advance(timedelta(minutes=5))
    snooze = await driver.click_button(nudge, button(nudge, "hearth:appr:snooze:"), user=world.alice)
    response = await snooze.response()
    assert response.ephemeral and "When should I bring it back?" in (response.content or "")
    choices = snooze.original_message()
    assert choices is not None
    # At 19:35 local time "this evening" has passed, so it isn't offered.
    assert [c.rsplit(":", 1)[1] for c in choices.custom_ids()] == ["hour", "tomorrow"]
    hour = next(c for c in choices.custom_ids() if c.endswith(":hour"))
    chosen = await driver.click_button(choices, hour, user=world.alice)
    edited = await chosen.response()
    assert edited.type == 7 and "Snoozed" in (edited.content or "")
    bot = await bot_runner.restart()
    clock.advance(timedelta(minutes=59))
    await bot.schedule_engine.tick()
    assert len(nudges(driver, world.alice)) == 1
    clock.advance(timedelta(minutes=1))
    await bot.schedule_engine.tick()
    [_, again] = nudges(driver, world.alice)
    assert "Here's the nudge you snoozed" in again.content
    assert idea_in(again) == first_idea

    # Done after a restart records it, once.
    bot = await bot_runner.restart()
    done = await driver.click_button(again, button(again, "hearth:appr:done:"), user=world.alice)
    assert "noted it as done" in await reply_of(done)
    nudge_id = int(button(again, "hearth:appr:done:").rsplit(":", 1)[1])
    record = await reminders.get_nudge(bot.db, nudge_id)
    assert record is not None and record.done_at == clock.now()
    twice = await driver.click_button(again, button(again, "hearth:appr:done:"), user=world.alice)
    assert "already done" in await reply_of(twice)

    # The next evening brings a different idea; nothing was ever posted in a channel.
    clock.set(EVENING_NY + timedelta(days=1))
    await bot.schedule_engine.tick()
    newest = nudges(driver, world.alice)[-1]
    assert idea_in(newest) != first_idea
    assert len(nudges(driver, world.alice)) == 3
    assert public_bot_posts(driver, world) == []


async def test_snooze_tomorrow_and_stop_from_the_dm(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Snoozing until tomorrow moves the nudge by a day; "Stop this reminder" ends it and its snooze."""
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    await remind(
        driver, world, world.alice, every="weekly", day="friday", time="09:15", timezone="Europe/London"
    )
    clock.set(datetime(2026, 11, 27, 9, 15, tzinfo=UTC))
    await bot.schedule_engine.tick()
    [nudge] = nudges(driver, world.alice)
    snooze = await driver.click_button(nudge, button(nudge, "hearth:appr:snooze:"), user=world.alice)
    await snooze.response()
    choices = snooze.original_message()
    assert choices is not None
    tomorrow = next(c for c in choices.custom_ids() if c.endswith(":tomorrow"))
    await (await driver.click_button(choices, tomorrow, user=world.alice)).response()
    [reminder] = await reminders.for_user(bot.db, world.alice.id)
    pending = await schedules.get_by_owner_key(bot.db, f"appreciation:{reminder.id}:snooze")
    assert pending is not None and pending.next_run_at == datetime(2026, 11, 28, 9, 15, tzinfo=UTC)

    stop = await driver.click_button(nudge, button(nudge, "hearth:appr:stop:"), user=world.alice)
    assert "won't get this reminder any more" in await reply_of(stop)
    assert await reminders.for_user(bot.db, world.alice.id) == []
    assert await schedules.get_by_owner_key(bot.db, f"appreciation:{reminder.id}:snooze") is None
    clock.set(datetime(2026, 12, 4, 9, 15, tzinfo=UTC))
    await bot.schedule_engine.tick()
    assert len(nudges(driver, world.alice)) == 1
    gone = await driver.click_button(nudge, button(nudge, "hearth:appr:done:"), user=world.alice)
    assert "won't get this reminder any more" in await reply_of(gone)


async def test_list_and_cancel_only_your_own(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """The list shows number, person and next time; another person's number answers like a missing one."""
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    await remind(driver, world, world.alice)
    await remind(driver, world, world.alice, who=world.owner, every="mon, wed, fri", time="07:05")
    await remind(driver, world, world.admin, who=world.alice, every="weekdays", time="12:00")
    alice_ids = [r.id for r in await reminders.for_user(bot.db, world.alice.id)]
    [adam_id] = [r.id for r in await reminders.for_user(bot.db, world.admin.id)]

    listed = await reply_of(await driver.invoke_slash(world.general, world.alice, "remind list"))
    for reminder_id in alice_ids:
        assert f"**#{reminder_id}**" in listed
    assert f"<@{world.admin.id}>" in listed and f"<@{world.owner.id}>" in listed
    assert "every Monday, Wednesday and Friday at 07:05" in listed
    assert listed.count(":R>") == 2
    assert f"#{adam_id}" not in listed

    suggest = await driver.invoke_autocomplete(
        world.general, world.admin, "remind cancel", {"id": ""}, focused="id"
    )
    await suggest.response()
    assert [choice["value"] for choice in suggest.choices or []] == [adam_id]

    others = await reply_of(
        await driver.invoke_slash(world.general, world.admin, "remind cancel", {"id": alice_ids[0]})
    )
    missing = await reply_of(
        await driver.invoke_slash(world.general, world.admin, "remind cancel", {"id": 9999})
    )
    assert others.replace(f"#{alice_ids[0]} ", "#N ") == missing.replace("#9999 ", "#N ")
    assert "couldn't find" in others
    assert len(await reminders.for_user(bot.db, world.alice.id)) == 2

    cancelled = await reply_of(
        await driver.invoke_slash(world.general, world.alice, "remind cancel", {"id": alice_ids[0]})
    )
    assert f"#{alice_ids[0]} is cancelled" in cancelled
    assert await schedules.get_by_owner_key(bot.db, f"appreciation:{alice_ids[0]}") is None
    empty = await reply_of(await driver.invoke_slash(world.general, world.owner, "remind list"))
    assert "no appreciation reminders yet" in empty
    assert public_bot_posts(driver, world) == []


async def test_reminder_refusals_change_nothing(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Bots, yourself, strangers, bad schedules, closed DMs and the 25-reminder cap are refused kindly."""
    world = standard_world
    stranger = driver.add_user("stranger")
    bot = await bot_runner.start(clock=ManualClock(MORNING))
    cases: list[tuple[dict[str, Any], str]] = [
        ({"who": driver.bot_user}, "that's a bot"),
        ({"who": world.alice}, "for someone else"),
        ({"who": stranger}, "people in this server"),
        ({"every": "fortnightly"}, "couldn't read 'fortnightly'"),
        ({"every": "weekly"}, "pick the `day`"),
        ({"time": "7"}, "7:30 pm or 9am"),
        ({"timezone": "Mars/Olympus"}, "I don't know the timezone Mars/Olympus"),
    ]
    for options, expected in cases:
        reply = await remind(driver, world, world.alice, **options)
        assert expected in reply, (options, reply)
    assert "haven't set up the reminder" in await remind(driver, world, world.bob)
    assert await reminders.for_user(bot.db, world.alice.id) == []
    assert await reminders.for_user(bot.db, world.bob.id) == []
    assert driver.dms_to(world.alice) == []

    for _ in range(25):
        await reminders.create(
            bot.db,
            user_id=world.alice.id,
            guild_id=world.guild.id,
            target_id=world.admin.id,
            target_name="adam",
            now=MORNING,
            cap=25,
        )
    assert "You already have 25 reminders" in await remind(driver, world, world.alice)
    assert len(await reminders.for_user(bot.db, world.alice.id)) == 25
    assert public_bot_posts(driver, world) == []


async def test_closed_dms_pause_the_reminder_until_a_new_one_gets_through(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """A refused reminder DM pauses it (shown in the list); a new reminder's test DM resumes it."""
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    await remind(driver, world, world.alice)
    driver.close_dms(world.alice)
    clock.set(EVENING_NY)
    await bot.schedule_engine.tick()
    listed = await reply_of(await driver.invoke_slash(world.general, world.alice, "remind list"))
    assert "paused" in listed
    driver.open_dms(world.alice)
    await remind(driver, world, world.alice, who=world.owner)
    [first, _] = await reminders.for_user(bot.db, world.alice.id)
    schedule = await schedules.get_by_owner_key(bot.db, f"appreciation:{first.id}")
    assert schedule is not None and not schedule.paused
    clock.set(EVENING_NY + timedelta(days=1))
    await bot.schedule_engine.tick()
    assert len(nudges(driver, world.alice)) == 2
