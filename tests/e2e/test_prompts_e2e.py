"""Daily prompts end to end: the real bot on the fake Discord, with the clock moved by the test."""

from __future__ import annotations

import itertools
import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.fake_discord import FakeDiscord, P
from bot.fake_discord.driver import Driver
from bot.fake_discord.world import Channel, Message
from tests.e2e.conftest import BotRunner, StandardWorld

pytestmark = pytest.mark.e2e

# 08:00 in London (UTC in November): an hour before the configured 09:00.
MORNING = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
ANSWER_FIELD = "hearth:prompt-answer"


def bot_posts(driver: Driver, channel: Channel) -> list[Message]:
    """Return the bot's public messages in a channel."""
    return [m for m in driver.messages_in(channel) if m.author_id == driver.bot_user.id]


def prompt_cards(driver: Driver, channel: Channel) -> list[Message]:
    """Return the prompt cards the bot posted in a channel."""
    return [
        m for m in bot_posts(driver, channel) if m.embeds and m.embeds[0].get("title") == "Today's prompt"
    ]


def visible_text(driver: Driver) -> str:
    """Return everything anyone but an ephemeral reply's owner can read: every public message."""
    return "\n".join(
        m.content + json.dumps(m.embeds) for m in driver.world.messages.values() if not m.ephemeral
    )


async def setup_prompts(driver: Driver, world: StandardWorld, **options: Any) -> Any:
    """Run /setup prompts as the admin and return its ephemeral response."""
    values: dict[str, Any] = {"channel": world.general, "time": "09:00", "timezone": "Europe/London"}
    values.update(options)
    handle = await driver.invoke_slash(world.general, world.admin, "setup prompts", values)
    response = await handle.response()
    assert response.ephemeral
    if response.type == 5:
        [followup] = await handle.wait_for_followups()
        return followup
    return response


async def test_prompt_posted_at_local_time_with_thread_and_ping(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """At 19:30 New York time the card appears once, pinging only the role, with a thread named by date."""
    world = standard_world
    role = await driver.add_role(world.guild, "Prompt pals", mentionable=True)
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    response = await setup_prompts(
        driver, world, time="19:30", timezone="America/New_York", ping=role, threads=True, audience="couple"
    )
    assert "<t:" in json.dumps(response.embeds)
    await bot.schedule_engine.tick()
    assert prompt_cards(driver, world.general) == []
    # 19:30 EST on 27 November is 00:30 UTC on the 28th.
    clock.set(datetime(2026, 11, 28, 0, 29, tzinfo=UTC))
    await bot.schedule_engine.tick()
    assert prompt_cards(driver, world.general) == []
    clock.advance(timedelta(minutes=1))
    await bot.schedule_engine.tick()
    [card] = prompt_cards(driver, world.general)
    assert card.mention_roles == [role.id]
    assert card.allowed_mentions is not None and card.allowed_mentions.get("parse") == []
    assert [int(r) for r in card.allowed_mentions.get("roles", [])] == [role.id]
    assert not card.mention_everyone and card.mentions == []
    assert card.nonce is not None
    [thread] = driver.threads_in(world.general)
    assert thread.name is not None and "Friday 27 November 2026" in thread.name
    embed = card.embeds[0]
    assert "prompt answer" in json.dumps(embed)
    await bot.schedule_engine.tick()
    assert len(prompt_cards(driver, world.general)) == 1


async def test_one_post_per_local_day_across_restart_and_prompt_now(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """A restart mid-day doesn't post again; /prompt now counts as the day's prompt; the next day posts."""
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    await setup_prompts(driver, world)
    clock.advance(timedelta(hours=1))
    await bot.schedule_engine.tick()
    assert len(prompt_cards(driver, world.general)) == 1
    clock.advance(timedelta(hours=3))
    bot = await bot_runner.restart()
    await bot.schedule_engine.tick()
    clock.advance(timedelta(hours=3))
    await bot.schedule_engine.tick()
    assert len(prompt_cards(driver, world.general)) == 1
    # Next morning, before 09:00: /prompt now posts the day's prompt early.
    clock.set(datetime(2026, 11, 28, 7, 0, tzinfo=UTC))
    handle = await driver.invoke_slash(world.general, world.admin, "prompt now")
    response = await handle.response()
    assert response.ephemeral
    [reply] = await handle.wait_for_followups()
    assert "counts as today's" in (reply.data.get("content") or "")
    assert len(prompt_cards(driver, world.general)) == 2
    again = await driver.invoke_slash(world.general, world.admin, "prompt now")
    await again.response()
    [second] = await again.wait_for_followups()
    assert "already out" in (second.data.get("content") or "")
    clock.set(datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    await bot.schedule_engine.tick()
    bot = await bot_runner.restart()
    clock.advance(timedelta(hours=2))
    await bot.schedule_engine.tick()
    assert len(prompt_cards(driver, world.general)) == 2
    clock.set(datetime(2026, 11, 29, 9, 0, tzinfo=UTC))
    await bot.schedule_engine.tick()
    assert len(prompt_cards(driver, world.general)) == 3


async def test_no_repeat_across_thirty_days(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Thirty simulated days post thirty different prompts, never the same theme twice running."""
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    await setup_prompts(driver, world, audience="family")
    clock.advance(timedelta(hours=1))
    for _ in range(30):
        await bot.schedule_engine.tick()
        clock.advance(timedelta(days=1))
    cards = prompt_cards(driver, world.general)
    assert len(cards) == 30
    texts = [card.embeds[0]["description"] for card in cards]
    themes = [card.embeds[0]["fields"][0]["name"] for card in cards]
    assert len(set(texts)) == 30
    assert all(a != b for a, b in itertools.pairwise(themes))


async def test_setup_refuses_channel_with_missing_permissions(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """A channel where the bot can't send is refused, naming the missing permission; nothing is saved."""
    world = standard_world
    await bot_runner.start(clock=ManualClock(MORNING))
    handle = await driver.invoke_slash(
        world.general,
        world.admin,
        "setup prompts",
        {"channel": world.locked, "time": "09:00", "timezone": "Europe/London", "threads": True},
    )
    response = await handle.response()
    assert response.ephemeral
    assert "**Send Messages**" in (response.content or "")
    assert "Nothing was changed" in (response.content or "")
    shown = await driver.invoke_slash(world.general, world.admin, "setup show")
    assert "aren't set up" in ((await shown.response()).content or "")


async def test_setup_bad_time_and_timezone_autocomplete(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """An impossible time gets a kind ephemeral error; timezone autocomplete searches by city."""
    world = standard_world
    await bot_runner.start(clock=ManualClock(MORNING))
    handle = await driver.invoke_slash(
        world.general,
        world.admin,
        "setup prompts",
        {"channel": world.general, "time": "24:10", "timezone": "UTC"},
    )
    response = await handle.response()
    assert response.ephemeral and "Nothing was changed" in (response.content or "")
    suggest = await driver.invoke_autocomplete(
        world.general,
        world.admin,
        "setup prompts",
        {"channel": world.general, "time": "09:00", "timezone": "adela"},
        focused="timezone",
    )
    await suggest.response()
    assert suggest.choices is not None and suggest.choices[0]["value"] == "Australia/Adelaide"
    assert len(suggest.choices) <= 25


async def test_non_admin_is_refused(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Even where a server admin let everyone see /setup and /prompt now, a non-admin is refused kindly."""
    world = standard_world
    await bot_runner.start(clock=ManualClock(MORNING))
    handle = await driver.invoke_slash(
        world.general,
        world.alice,
        "setup prompts",
        {"channel": world.general, "time": "09:00", "timezone": "UTC"},
        enforce_permissions=False,
    )
    response = await handle.response()
    assert response.ephemeral and "Manage Server" in (response.content or "")
    now = await driver.invoke_slash(world.general, world.alice, "prompt now")
    response = await now.response()
    assert response.ephemeral and "Manage Server" in (response.content or "")


async def answer(driver: Driver, world: StandardWorld, user: Any, text: str) -> str:
    """Answer the latest prompt through the modal and return the private reply."""
    opened = await driver.invoke_slash(world.general, user, "prompt answer")
    await opened.response()
    assert opened.modal is not None
    submitted = await driver.submit_modal(opened, {ANSWER_FIELD: text})
    response = await submitted.response()
    assert response.ephemeral
    [reply] = await submitted.wait_for_followups()
    assert reply.data.get("flags", 0) & 64
    return str(reply.data.get("content") or "")


async def test_reveal_after_the_last_circle_member_answers(
    bot_runner: BotRunner,
    driver: Driver,
    standard_world: StandardWorld,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No answer is visible anywhere (channels, threads, logs) until the whole circle answered."""
    # Everything at INFO (the default LOG_LEVEL), and Hearth's own loggers even at DEBUG.
    # (Third-party DEBUG logs, e.g. aiosqlite's statement parameters, are not safe for private text.)
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="cogs")
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    await setup_prompts(driver, world, threads=True)
    for user in (world.alice, world.bob):
        joined = await driver.invoke_slash(world.general, user, "circle join")
        assert (await joined.response()).ephemeral
    clock.advance(timedelta(hours=1))
    await bot.schedule_engine.tick()
    [thread] = driver.threads_in(world.general)
    # Marker words no prompt or bot text contains, so any sighting is a leaked answer.
    reply = await answer(driver, world, world.alice, "Alice's zorblat first draft")
    assert "1 of 2" in reply
    reply = await answer(driver, world, world.alice, "Alice's quaxxle edited answer")
    assert "updated" in reply
    for marker in ("zorblat", "quaxxle"):
        assert marker not in visible_text(driver)
        assert marker not in caplog.text
    reply = await answer(driver, world, world.bob, "Bob's frumious honest answer")
    assert "revealed" in reply
    revealed = driver.messages_in(thread)
    assert len(revealed) == 1
    shown = json.dumps(revealed[0].embeds)
    assert "Alice's quaxxle edited answer" in shown and "Bob's frumious honest answer" in shown
    assert "zorblat" not in visible_text(driver)
    assert revealed[0].allowed_mentions is not None and revealed[0].allowed_mentions.get("parse") == []
    for marker in ("zorblat", "quaxxle", "frumious"):
        assert marker not in caplog.text


async def test_deleted_channel_pauses_and_tells_the_admin_once(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, fake_discord: FakeDiscord
) -> None:
    """A deleted prompt channel (404 10003) pauses prompts and DMs the admin once; no retry storm."""
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    await setup_prompts(driver, world)
    await driver.delete_channel(world.general)
    clock.advance(timedelta(hours=1))
    await bot.schedule_engine.tick()
    [notice] = driver.dms_to(world.admin)
    assert "paused" in notice.content and "Hearth Test" in notice.content
    channel_requests = [r for r in fake_discord.requests if f"/channels/{world.general.id}" in r.path]
    for _ in range(3):
        clock.advance(timedelta(days=1))
        await bot.schedule_engine.tick()
    assert len(driver.dms_to(world.admin)) == 1
    assert [r for r in fake_discord.requests if f"/channels/{world.general.id}" in r.path] == channel_requests
    shown = await driver.invoke_slash(world.checkins, world.admin, "setup show")
    assert "Paused" in json.dumps((await shown.response()).embeds)


async def test_review_buttons_work_after_a_restart(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """A suggestion's Approve button, shown before a restart, still approves it afterwards."""
    world = standard_world
    await bot_runner.start(clock=ManualClock(MORNING))
    suggested = await driver.invoke_slash(
        world.general,
        world.alice,
        "prompt suggest",
        {"text": "What made you laugh this week?", "theme": "empathy"},
    )
    assert (await suggested.response()).ephemeral
    review = await driver.invoke_slash(world.general, world.admin, "prompt review")
    response = await review.response()
    assert response.ephemeral and "What made you laugh" in json.dumps(response.embeds)
    message = review.original_message()
    assert message is not None
    [approve] = [custom_id for custom_id in message.custom_ids() if ":approve:" in custom_id]
    await bot_runner.restart()
    clicked = await driver.click_button(message, approve, user=world.admin)
    result = await clicked.response()
    assert result.type == 7 and "Approved" in (result.content or "")
    again = await driver.invoke_slash(world.general, world.admin, "prompt review")
    assert "No suggestions" in json.dumps((await again.response()).embeds)


async def test_setup_check_and_resume_report_what_is_missing(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """/setup check names a lost permission; /prompt resume refuses until it is back, then resumes."""
    world = standard_world
    await bot_runner.start(clock=ManualClock(MORNING))
    await setup_prompts(driver, world, threads=True)
    check = await driver.invoke_slash(world.general, world.admin, "setup check")
    await check.response()
    [ok] = await check.wait_for_followups()
    assert "✅" in json.dumps(ok.data, ensure_ascii=False)
    assert "post prompts here and open a thread on each" in json.dumps(ok.data)
    await driver.deny_bot(world.general, int(P.CREATE_PUBLIC_THREADS))
    check = await driver.invoke_slash(world.general, world.admin, "setup check")
    await check.response()
    [missing] = await check.wait_for_followups()
    assert "**Create Public Threads**" in json.dumps(missing.data)
    paused = await driver.invoke_slash(world.general, world.admin, "prompt pause")
    assert "paused" in ((await paused.response()).content or "")
    refused = await driver.invoke_slash(world.general, world.admin, "prompt resume")
    assert "**Create Public Threads**" in ((await refused.response()).content or "")
    await driver.set_overwrite(world.general, driver.bot_user)
    resumed = await driver.invoke_slash(world.general, world.admin, "prompt resume")
    assert "<t:" in ((await resumed.response()).content or "")


async def test_setup_show_speaks_in_sentences(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """No ping, an empty circle and an admin's pause read as sentences, not as "None" or "(s)"."""
    world = standard_world
    await bot_runner.start(clock=ManualClock(MORNING))
    await setup_prompts(driver, world)
    shown = json.dumps(
        (await (await driver.invoke_slash(world.general, world.admin, "setup show")).response()).embeds
    )
    assert "No role is pinged" in shown and "Nobody has joined yet" in shown
    assert "None" not in shown and "(s)" not in shown
    await (await driver.invoke_slash(world.general, world.alice, "circle join")).response()
    await (await driver.invoke_slash(world.general, world.admin, "prompt pause")).response()
    shown = json.dumps(
        (await (await driver.invoke_slash(world.general, world.admin, "setup show")).response()).embeds
    )
    assert "1 member" in shown and "1 members" not in shown
    assert "Paused: an admin paused them." in shown
