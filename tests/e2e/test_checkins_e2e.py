"""Private check-ins end to end: the real bot on the fake Discord, with the clock moved by the test."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.app import HearthBot
from bot.clock import ManualClock
from bot.db.repos import checkins, schedules
from bot.delivery import DM_UNDELIVERABLE_NOTICE
from bot.fake_discord.driver import Driver
from bot.fake_discord.interactions import InteractionHandle
from bot.fake_discord.world import Channel, Message, User
from cogs._checkin_form import FEELINGS_FIELD, NEEDS_FIELD, NOTE_FIELD, SCORE_FIELD
from tests.e2e.conftest import BotRunner, StandardWorld

pytestmark = pytest.mark.e2e

# Friday 27 November 2026, 08:00 UTC. 20:30 in Kolkata (UTC+05:30) is 15:00 UTC.
MORNING = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
KOLKATA_EVENING = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
PRIVATE_NOTE = "a private sentence nobody else may read"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def public_messages(driver: Driver, world: StandardWorld) -> list[Message]:
    """Return every non-ephemeral message in the server's channels."""
    channels = [driver.world.channels[c] for c in world.guild.channel_ids]
    return [m for channel in channels for m in driver.messages_in(channel)]


def text_of(message: Message) -> str:
    """Return everything a message shows as one string."""
    return message.content + json.dumps(message.embeds) + json.dumps(message.components)


def custom_id_starting(message: Message, prefix: str) -> str:
    """Return the one custom_id on ``message`` that starts with ``prefix``."""
    [found] = [c for c in message.custom_ids() if c.startswith(prefix)]
    return found


async def check_in(
    driver: Driver,
    channel: Channel,
    user: User,
    *,
    score: str,
    feelings: list[str] | None = None,
    needs: list[str] | None = None,
    note: str = "",
) -> InteractionHandle:
    """Run /checkin now and submit its form; return the submit's handle."""
    opened = await driver.invoke_slash(channel, user, "checkin now")
    assert (await opened.response()).type == 9
    values: dict[str, Any] = {SCORE_FIELD: score, FEELINGS_FIELD: feelings or [], NEEDS_FIELD: needs or []}
    if note:
        values[NOTE_FIELD] = note
    return await driver.submit_modal(opened, values)


async def final_reply(handle: InteractionHandle) -> str:
    """Return the text of an interaction's reply, waiting for the followup after a defer."""
    response = await handle.response()
    assert response.ephemeral, "every check-in reply is private"
    if response.type == 5:
        [followup] = await handle.wait_for_followups()
        assert followup.flags & 64
        return followup.content or ""
    return response.content or ""


async def schedule_checkins(driver: Driver, user: User, channel: Channel, **options: Any) -> str:
    """Run /checkin schedule and return its private reply."""
    values: dict[str, Any] = {"time": "20:30", "timezone": "Asia/Kolkata"}
    values.update(options)
    handle = await driver.invoke_slash(channel, user, "checkin schedule", values)
    return await final_reply(handle)


def checkin_dms(driver: Driver, user: User) -> list[Message]:
    """Return the scheduled check-in DMs sent to ``user``: their nonce is the occurrence key."""
    return [m for m in driver.dms_to(user) if re.match(r"^[so][0-9]+-", str(m.nonce))]


async def test_checkin_saved_privately_and_shared_by_choice(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """The form saves score, feelings, needs and note; every reply is ephemeral; a share DMs no note."""
    world = standard_world
    opened = await driver.invoke_slash(world.general, world.alice, "checkin now")
    assert (await opened.response()).type == 9
    modal = opened.modal
    assert modal is not None and len(modal["title"]) <= 45
    children = [top["component"] for top in modal["components"]]
    assert [top["type"] for top in modal["components"]] == [18, 18, 18, 18]
    assert [child["type"] for child in children] == [21, 3, 3, 4]
    assert [o["value"] for o in children[0]["options"]] == ["1", "2", "3", "4", "5"]
    submitted = await driver.submit_modal(
        opened,
        {
            SCORE_FIELD: "2",
            FEELINGS_FIELD: ["anxious", "tired"],
            NEEDS_FIELD: ["reassurance"],
            NOTE_FIELD: PRIVATE_NOTE,
        },
    )
    reply = await submitted.response()
    assert reply.type == 4 and reply.ephemeral
    text = reply.content or ""
    assert "2/5" in text
    assert "If you need reassurance" in text
    assert "resources" in text, "a score of 2 points gently to /resources"
    [saved] = await checkins.list_for_user(running_bot.db, world.alice.id)
    # Private by default: the note is stored encrypted, under the key file made on the first start.
    note = running_bot.cipher.open_optional(saved.note, checkins.note_context(saved.id))
    assert (saved.score, saved.feelings, saved.needs, note) == (
        2,
        ("anxious", "tired"),
        ("reassurance",),
        PRIVATE_NOTE,
    )
    # Share with adam (DMs open) and bob (DMs closed), through the user select on the private reply.
    message = submitted.original_message()
    assert message is not None and message.ephemeral
    share_id = custom_id_starting(message, "hearth:checkin:share:")
    shared = await driver.select(message, share_id, [world.admin, world.bob], user=world.alice)
    outcome = await final_reply(shared)
    assert f"<@{world.admin.id}>" in outcome.split("\n")[0]
    assert f"<@{world.bob.id}>" in outcome and "closed" in outcome
    [summary] = driver.dms_to(world.admin)
    assert "2/5" in summary.content and "Anxious" in summary.content and "Reassurance" in summary.content
    assert PRIVATE_NOTE not in text_of(summary)
    assert summary.allowed_mentions == {"parse": []}
    assert driver.dms_to(world.bob) == []
    # Nothing about the check-in was ever posted where others could read it.
    assert public_messages(driver, world) == []
    everything_public = "".join(text_of(m) for m in driver.world.messages.values() if not m.ephemeral)
    assert PRIVATE_NOTE not in everything_public


async def test_checkin_refuses_bad_answers_and_works_in_dms(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """A forged feeling id is refused kindly and nothing is saved; in DMs the reply has no share menu."""
    world = standard_world
    opened = await driver.invoke_slash(world.general, world.alice, "checkin now")
    await opened.response()
    assert opened.modal is not None
    bad = await driver.submit_modal_raw(
        world.general,
        world.alice,
        opened.modal["custom_id"],
        [
            {"type": 18, "component": {"type": 21, "custom_id": SCORE_FIELD, "value": "3"}},
            {"type": 18, "component": {"type": 3, "custom_id": FEELINGS_FIELD, "values": ["smug"]}},
        ],
    )
    assert "nothing was saved" in await final_reply(bad)
    assert await checkins.list_for_user(running_bot.db, world.alice.id) == []
    dm = driver.dm_channel(world.alice)
    submitted = await check_in(driver, dm, world.alice, score="4", needs=["fun"])
    reply = await submitted.response()
    assert reply.ephemeral and "4/5" in (reply.content or "")
    assert "resources" not in (reply.content or "")
    assert not any(c["type"] == 1 for c in reply.components)
    assert len(await checkins.list_for_user(running_bot.db, world.alice.id)) == 1


async def test_history_returns_a_chart_and_the_average(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """Two check-ins (2 and 5) give a PNG chart and an average of 3.5; an empty history is explained."""
    world = standard_world
    for score in ("2", "5"):
        handle = await check_in(driver, world.general, world.alice, score=score, feelings=["hopeful"])
        await handle.response()
    history = await driver.invoke_slash(world.general, world.alice, "checkin history", {"days": 7})
    first = await history.response()
    assert first.type == 5 and first.ephemeral
    [followup] = await history.wait_for_followups()
    assert followup.flags & 64
    assert "3.5/5" in (followup.content or "")
    assert "Hopeful (2)" in (followup.content or "")
    [message] = history.followup_messages()
    [chart] = message.attachments
    assert chart.filename.endswith(".png") and chart.data.startswith(PNG_MAGIC)
    empty = await driver.invoke_slash(world.general, world.bob, "checkin history")
    assert "haven't checked in" in await final_reply(empty)
    assert public_messages(driver, world) == []


async def test_scheduled_dm_checkin_answered_after_restart(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """The DM arrives at 20:30 Kolkata time; after a restart its buttons still record the answer."""
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    reply = await schedule_checkins(driver, world.alice, world.general, days="weekdays")
    assert "20:30 (Asia/Kolkata) on weekdays" in reply
    [test_dm] = driver.dms_to(world.alice)
    assert "hearth:checkin:stop" in test_dm.custom_ids()
    clock.set(KOLKATA_EVENING - timedelta(minutes=1))
    await bot.schedule_engine.tick()
    assert checkin_dms(driver, world.alice) == []
    clock.set(KOLKATA_EVENING)
    await bot.schedule_engine.tick()
    [dm] = checkin_dms(driver, world.alice)
    assert dm.nonce is not None
    bot = await bot_runner.restart()
    press = await driver.click_button(dm, custom_id_starting(dm, "hearth:checkin:dm:3:"), user=world.alice)
    answer = await press.response()
    assert answer.type == 7
    assert "3/5" in dm.content
    [saved] = await checkins.list_for_user(bot.db, world.alice.id)
    assert saved.score == 3 and saved.source == "dm"
    details = await driver.click_button(
        dm, custom_id_starting(dm, "hearth:checkin:details:"), user=world.alice
    )
    assert (await details.response()).type == 9
    assert details.modal is not None and len(details.modal["components"]) == 3
    submitted = await driver.submit_modal(details, {FEELINGS_FIELD: ["content"], NEEDS_FIELD: ["space"]})
    assert "If you need space" in await final_reply(submitted)
    [updated] = await checkins.list_for_user(bot.db, world.alice.id)
    assert (updated.score, updated.feelings, updated.needs) == (3, ("content",), ("space",))
    # The next weekday's check-in is Monday: Saturday and Sunday bring nothing.
    clock.set(KOLKATA_EVENING + timedelta(days=1))
    await bot.schedule_engine.tick()
    clock.set(KOLKATA_EVENING + timedelta(days=2))
    await bot.schedule_engine.tick()
    assert len(checkin_dms(driver, world.alice)) == 1
    clock.set(KOLKATA_EVENING + timedelta(days=3))
    await bot.schedule_engine.tick()
    assert len(checkin_dms(driver, world.alice)) == 2


async def test_later_not_today_expiry_and_stop(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Later asks again in an hour, Not today records nothing, a day-old DM has expired, Stop ends it."""
    world = standard_world
    clock = ManualClock(KOLKATA_EVENING - timedelta(hours=1))
    bot = await bot_runner.start(clock=clock)
    await schedule_checkins(driver, world.alice, world.general)
    clock.set(KOLKATA_EVENING)
    await bot.schedule_engine.tick()
    [first] = checkin_dms(driver, world.alice)
    later = await driver.click_button(
        first, custom_id_starting(first, "hearth:checkin:dm:later:"), user=world.alice
    )
    assert (await later.response()).type == 7
    assert "in about an hour" in first.content and first.custom_ids() == []
    clock.advance(timedelta(minutes=59))
    await bot.schedule_engine.tick()
    assert len(checkin_dms(driver, world.alice)) == 1
    clock.advance(timedelta(minutes=1))
    await bot.schedule_engine.tick()
    second = checkin_dms(driver, world.alice)[-1]
    assert second.id != first.id
    skip = await driver.click_button(
        second, custom_id_starting(second, "hearth:checkin:dm:skip:"), user=world.alice
    )
    await skip.response()
    assert "Nothing is missed" in second.content
    clock.set(KOLKATA_EVENING + timedelta(days=1))
    await bot.schedule_engine.tick()
    third = checkin_dms(driver, world.alice)[-1]
    clock.advance(timedelta(hours=25))
    late = await driver.click_button(
        third, custom_id_starting(third, "hearth:checkin:dm:4:"), user=world.alice
    )
    await late.response()
    assert "expired" in third.content or "closed" in third.content
    assert await checkins.list_for_user(bot.db, world.alice.id) == []
    # An hour after the next evening's time: the late check-in is still sent, within the grace.
    await bot.schedule_engine.tick()
    fourth = checkin_dms(driver, world.alice)[-1]
    assert fourth.id != third.id
    stop = await driver.click_button(fourth, "hearth:checkin:stop", user=world.alice)
    await stop.response()
    assert "stopped" in fourth.content
    assert await schedules.get_by_owner_key(bot.db, f"dm_checkin:user:{world.alice.id}") is None
    stopped_again = await driver.invoke_slash(world.general, world.alice, "checkin stop")
    assert "don't have scheduled check-ins" in await final_reply(stopped_again)


async def test_closed_dms_pause_the_schedule_and_the_user_is_told(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Closed DMs at opt-in save nothing; closed later, the schedule pauses and the next command says why."""
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    refused = await schedule_checkins(driver, world.bob, world.general)
    assert "Privacy Settings" in refused and "Direct Messages" in refused
    assert await schedules.get_by_owner_key(bot.db, f"dm_checkin:user:{world.bob.id}") is None
    following = await driver.invoke_slash(world.general, world.bob, "checkin stop")
    await following.response()
    assert following.followups == [], "bob was already told at opt-in"
    await schedule_checkins(driver, world.alice, world.general)
    driver.close_dms(world.alice)
    clock.set(KOLKATA_EVENING)
    await bot.schedule_engine.tick()
    assert checkin_dms(driver, world.alice) == []
    schedule = await schedules.get_by_owner_key(bot.db, f"dm_checkin:user:{world.alice.id}")
    assert schedule is not None and schedule.paused
    next_command = await driver.invoke_slash(world.general, world.alice, "checkin history")
    await next_command.response()
    notices = await next_command.wait_for_followups(2)
    assert any(n.content == DM_UNDELIVERABLE_NOTICE and n.flags & 64 for n in notices)
    # Opening DMs and scheduling again resumes the same schedule.
    driver.open_dms(world.alice)
    await schedule_checkins(driver, world.alice, world.general)
    resumed = await schedules.get_by_owner_key(bot.db, f"dm_checkin:user:{world.alice.id}")
    assert resumed is not None and not resumed.paused and resumed.id == schedule.id
    assert public_messages(driver, world) == []


async def test_schedule_input_is_checked_and_autocompleted(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """A bad time, unknown days or timezone get kind errors; the timezone is remembered per person."""
    world = standard_world
    bad_time = await schedule_checkins(driver, world.alice, world.general, time="25:00")
    assert "hours go from 00 to 23" in bad_time
    bad_days = await schedule_checkins(driver, world.alice, world.general, days="someday")
    assert "couldn't read" in bad_days
    bad_zone = await driver.invoke_slash(
        world.general, world.alice, "checkin schedule", {"time": "08:00", "timezone": "Mars/Olympus"}
    )
    assert "don't know the timezone" in await final_reply(bad_zone)
    no_zone = await driver.invoke_slash(world.general, world.alice, "checkin schedule", {"time": "08:00"})
    assert "Which timezone" in await final_reply(no_zone)
    assert driver.dms_to(world.alice) == []
    await schedule_checkins(driver, world.alice, world.general)
    remembered = await driver.invoke_slash(world.general, world.alice, "checkin schedule", {"time": "07:15"})
    assert "07:15 (Asia/Kolkata)" in await final_reply(remembered)
    zones = await driver.invoke_autocomplete(
        world.general,
        world.alice,
        "checkin schedule",
        {"time": "08:00", "timezone": "kolk"},
        focused="timezone",
    )
    await zones.response()
    assert zones.choices is not None and zones.choices[0]["value"] == "Asia/Kolkata"
    days = await driver.invoke_autocomplete(
        world.general, world.alice, "checkin schedule", {"time": "08:00", "days": "week"}, focused="days"
    )
    await days.response()
    assert days.choices is not None and {"weekdays", "weekends"} <= {c["value"] for c in days.choices}
