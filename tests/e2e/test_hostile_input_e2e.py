"""Hostile input end to end: odd, huge, invisible, pinging and SQL-looking text in every free-text field."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.db.repos import prompt_config, reminders, suggestions
from bot.fake_discord.driver import Driver
from bot.fake_discord.interactions import InteractionHandle
from bot.fake_discord.world import Message
from cogs._checkin_form import FEELINGS_FIELD, NEEDS_FIELD, NOTE_FIELD, SCORE_FIELD
from tests.e2e.conftest import BotRunner, StandardWorld

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
ERROR_ID = re.compile(r"Error [0-9a-f]{8}|error id")
ANSWER_FIELD = "hearth:prompt-answer"
REPAIR_FIELDS = {part: f"hearth:repair:{part}" for part in ("feel", "when", "because", "need", "will_do")}


def hostile_texts(role_id: int, user_id: int) -> list[str]:
    """Return the hostile free-text values (some refused as blank, the rest to be kept verbatim)."""
    return [
        "",
        "   \t  ",
        "\u200b\u200b\u200b",
        "w" * 4100,
        "thanks\u200b for \u202eevil reversed text",
        "**bold** _it_ ~~gone~~ ||spoiler|| `tick` ```py print('x')``` > quote # heading",
        "@everyone @here come look",
        "'); DROP TABLE users;--",
        f"<@&{role_id}> and <@{user_id}> and <@!{user_id}> @everyone",
    ]


BAD_TIMES = [
    "24:00",
    "7",
    "13pm",
    "-1:30",
    "   ",
    "\u200b",
    "12:00\u202e",
    "t" * 4100,
    "'); DROP TABLE users;--",
    "@everyone",
]
# Left out: a blank optional timezone on /remind means "not given" and falls back to the remembered one.
SKIPPED: dict[str, set[tuple[str, str]]] = {
    "remind appreciation": {("timezone", "   ")},
}
BAD_ZONES = [
    "Mars/Olympus",
    "   ",
    "\u200bEurope/London",
    "Europe/London\u202e",
    "z" * 4100,
    "'); DROP TABLE users;--",
    "@everyone @here",
    "**Europe**/`London`",
]


def fitted(value: str, low: int, high: int) -> str | None:
    """Clip ``value`` to what Discord's client lets through for a field, or None if it can't be sent."""
    clipped = value[:high]
    return clipped if len(clipped) >= low else None


async def reply_text(handle: InteractionHandle) -> str:
    """Return the private reply's text, failing if it is public or an unhandled-error apology."""
    response = await handle.response()
    assert response.ephemeral and response.flags & 64, response
    if response.type == 5:
        [followup] = await handle.wait_for_followups()
        assert followup.flags & 64
        text = (followup.content or "") + json.dumps(followup.embeds)
    else:
        text = (response.content or "") + json.dumps(response.embeds)
    assert not ERROR_ID.search(text), text
    return text


def assert_no_pings_and_no_crashes(driver: Driver, caplog: pytest.LogCaptureFixture) -> None:
    """No bot message may ping everyone, here or a role; no unhandled error reached the logs."""
    mine = [m for m in driver.world.messages.values() if m.author_id == driver.bot_user.id]
    assert mine, "the bot said nothing at all"
    for message in mine:
        assert_safe_mentions(message)
    for record in caplog.records:
        if record.name.startswith(("discord.app_commands", "bot.tree")):
            assert not (record.levelno >= logging.ERROR and record.exc_info), record.getMessage()
        assert not ERROR_ID.search(record.getMessage()) or record.levelno < logging.ERROR, record.getMessage()


def assert_safe_mentions(message: Message) -> None:
    """Check one stored message: no @everyone/@here, no roles, in what it allows and what it pings."""
    assert not message.mention_everyone, message
    assert message.mention_roles == [], message
    allowed = message.allowed_mentions
    assert allowed is not None, message
    assert "everyone" not in (allowed.get("parse") or []), message
    assert "roles" not in (allowed.get("parse") or []), message
    assert not allowed.get("roles"), message


@pytest.mark.parametrize(
    ("command", "base", "limits"),
    [
        (
            "setup prompts",
            {"time": "09:00", "timezone": "Europe/London"},
            {"time": (1, 10**6), "timezone": (1, 10**6)},
        ),
        (
            "checkin schedule",
            {"time": "20:30", "timezone": "Asia/Kolkata"},
            {"time": (1, 10**6), "timezone": (1, 10**6)},
        ),
        (
            "remind appreciation",
            {"every": "daily", "time": "19:30", "timezone": "America/New_York"},
            {"time": (1, 20), "timezone": (1, 64), "every": (1, 100)},
        ),
    ],
)
async def test_bad_times_and_timezones_are_refused(
    bot_runner: BotRunner,
    driver: Driver,
    standard_world: StandardWorld,
    caplog: pytest.LogCaptureFixture,
    command: str,
    base: dict[str, Any],
    limits: dict[str, tuple[int, int]],
) -> None:
    """Every bad time, timezone or repeat is refused privately and nothing is saved, scheduled or DM'd."""
    caplog.set_level(logging.INFO)
    world = standard_world
    bot = await bot_runner.start(clock=ManualClock(NOW))
    user = world.admin if command == "setup prompts" else world.alice
    extra: dict[str, Any] = {"channel": world.general} if command == "setup prompts" else {}
    if command == "remind appreciation":
        extra = {"who": world.admin}
    skip = SKIPPED.get(command, set())
    cases = [("time", v) for v in BAD_TIMES] + [("timezone", v) for v in BAD_ZONES]
    if "every" in base:
        cases += [("every", v) for v in ("   ", "\u200b", "'); DROP TABLE users;--", "@everyone", "e" * 4100)]
    for option, value in cases:
        if (option, value) in skip:
            continue
        low, high = limits[option]
        sent = fitted(value, low, high)
        if sent is None:
            continue
        handle = await driver.invoke_slash(world.general, user, command, {**extra, **base, option: sent})
        await reply_text(handle)
    assert await prompt_config.get(bot.db, world.guild.id) is None
    assert await reminders.for_user(bot.db, world.alice.id) == []
    assert driver.dms_to(world.alice) == [] and driver.dms_to(world.admin) == []
    assert [m for m in driver.messages_in(world.general) if m.author_id == driver.bot_user.id] == []
    assert_no_pings_and_no_crashes(driver, caplog)


def is_blank(text: str) -> bool:
    """Return whether ``text`` has nothing but spaces and zero-width characters."""
    return not text.replace("\u200b", "").strip()


async def start_with_role(
    bot_runner: BotRunner, driver: Driver, world: StandardWorld
) -> tuple[Any, list[str]]:
    """Add a pingable role, start the bot and return it with the hostile texts naming that role and bob."""
    role = await driver.add_role(world.guild, "Pingable", mentionable=True)
    bot = await bot_runner.start(clock=ManualClock(NOW))
    return bot, hostile_texts(role.id, world.bob.id)


async def test_gratitude_send_keeps_text_verbatim_or_refuses(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, caplog: pytest.LogCaptureFixture
) -> None:
    """/gratitude send: blank text is refused privately; other text is the card's text, pinging bob only."""
    caplog.set_level(logging.INFO)
    world = standard_world
    channel = await driver.add_channel(world.guild, "gratitude")
    _, texts = await start_with_role(bot_runner, driver, world)
    setup = await driver.invoke_slash(world.general, world.admin, "setup gratitude", {"channel": channel})
    await reply_text(setup)
    for value in texts:
        sent = fitted(value, 1, 1000)
        if sent is None:
            continue
        before = [m for m in driver.messages_in(channel) if m.embeds]
        handle = await driver.invoke_slash(
            world.general, world.alice, "gratitude send", {"who": world.bob, "message": sent}
        )
        await reply_text(handle)
        cards = [m for m in driver.messages_in(channel) if m.embeds]
        if is_blank(sent):
            assert cards == before, repr(sent)
            continue
        assert len(cards) == len(before) + 1, repr(sent)
        card = cards[-1]
        assert card.embeds[0]["description"] == sent
        assert card.mentions == [world.bob.id]
    assert_no_pings_and_no_crashes(driver, caplog)


async def test_prompt_suggest_keeps_text_or_refuses(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, caplog: pytest.LogCaptureFixture
) -> None:
    """/prompt suggest: blank text is refused; anything else is stored as typed (spaces collapsed)."""
    caplog.set_level(logging.INFO)
    world = standard_world
    bot, texts = await start_with_role(bot_runner, driver, world)
    for value in texts:
        sent = fitted(value, 1, 200)
        if sent is None:
            continue
        before = await suggestions.by_author(bot.db, world.alice.id)
        handle = await driver.invoke_slash(world.general, world.alice, "prompt suggest", {"text": sent})
        await reply_text(handle)
        after = await suggestions.by_author(bot.db, world.alice.id)
        if not sent.strip():
            assert after == before, repr(sent)
            continue
        assert len(after) == len(before) + 1, repr(sent)
        assert " ".join(sent.split()) in [s.text for s in after]
    review = await driver.invoke_slash(world.general, world.admin, "prompt review")
    await review.response()
    assert_no_pings_and_no_crashes(driver, caplog)


async def test_prompt_answer_modal_keeps_text_or_refuses(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, caplog: pytest.LogCaptureFixture
) -> None:
    """The /prompt answer form: each answer is kept verbatim (the form comes back prefilled) or refused."""
    caplog.set_level(logging.INFO)
    world = standard_world
    _, texts = await start_with_role(bot_runner, driver, world)
    values = {"channel": world.general, "time": "09:00", "timezone": "Europe/London"}
    await reply_text(await driver.invoke_slash(world.general, world.admin, "setup prompts", values))
    # Bob joins too and never answers, so the circle is never complete and nothing is revealed.
    for user in (world.alice, world.bob):
        await reply_text(await driver.invoke_slash(world.general, user, "circle join"))
    await reply_text(await driver.invoke_slash(world.general, world.admin, "prompt now"))
    kept: str | None = None
    for value in texts:
        sent = fitted(value, 1, 1500)
        if sent is None:
            continue
        opened = await driver.invoke_slash(world.general, world.alice, "prompt answer")
        await opened.response()
        assert opened.modal is not None
        await reply_text(await driver.submit_modal(opened, {ANSWER_FIELD: sent}))
        # Zero-width characters alone count as an answer here (kept verbatim); only whitespace is refused.
        if sent.strip():
            kept = sent
        again = await driver.invoke_slash(world.general, world.alice, "prompt answer")
        await again.response()
        assert again.modal is not None
        prefill = again.modal["components"][0]["component"].get("value")
        assert prefill == kept, (repr(sent), repr(prefill))
    # Bob completes the circle with the mention-laden text: the reveal is public but pings no one.
    opened = await driver.invoke_slash(world.general, world.bob, "prompt answer")
    await opened.response()
    await reply_text(await driver.submit_modal(opened, {ANSWER_FIELD: texts[-1]}))
    [reveal] = [m for m in driver.messages_in(world.general) if len(m.embeds) == 2]
    shared = sorted(str(e["description"]) for e in reveal.embeds)
    assert shared == sorted(
        [f"<@{world.alice.id}> shared:\n{kept}", f"<@{world.bob.id}> shared:\n{texts[-1]}"]
    )
    assert_no_pings_and_no_crashes(driver, caplog)


async def test_checkin_note_modal_accepts_or_refuses(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, caplog: pytest.LogCaptureFixture
) -> None:
    """The check-in form's note: every hostile note gets a private reply, never a crash or a public post."""
    caplog.set_level(logging.INFO)
    world = standard_world
    _, texts = await start_with_role(bot_runner, driver, world)
    for value in texts:
        sent = fitted(value, 0, 1000)
        assert sent is not None
        opened = await driver.invoke_slash(world.general, world.alice, "checkin now")
        assert (await opened.response()).type == 9
        answers: dict[str, Any] = {SCORE_FIELD: "3", FEELINGS_FIELD: [], NEEDS_FIELD: [], NOTE_FIELD: sent}
        await reply_text(await driver.submit_modal(opened, answers))
    # Notes are private: none reaches a channel.
    public = [m for m in driver.world.messages.values() if not m.ephemeral and not m.flags & 64]
    assert not [m for m in public if "DROP TABLE" in m.content + json.dumps(m.embeds)]
    assert [m for m in driver.messages_in(world.general) if m.author_id == driver.bot_user.id] == []
    assert_no_pings_and_no_crashes(driver, caplog)


async def test_repair_statement_modal_previews_or_refuses(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, caplog: pytest.LogCaptureFixture
) -> None:
    """The I-statement form: hostile words come back in the private preview, never posted or crashing."""
    caplog.set_level(logging.INFO)
    world = standard_world
    _, texts = await start_with_role(bot_runner, driver, world)
    handle = await driver.invoke_slash(world.general, world.alice, "repair start", {"who": world.admin})
    assert (await handle.response()).ephemeral
    message = handle.original_message()
    assert message is not None
    for value in texts:
        words = {
            part: fitted(value, 1, 150 if part == "feel" else 300)
            for part in ("feel", "when", "because", "need")
        }
        if any(w is None for w in words.values()):
            continue
        [write] = [c for c in message.custom_ids() if c.startswith("hearth:repair:write:")]
        opened = await driver.click_button(message, write, user=world.alice)
        await opened.response()
        submitted = await driver.submit_modal(opened, {REPAIR_FIELDS[p]: str(w) for p, w in words.items()})
        response = await submitted.response()
        assert response.type == 7, response
        message = driver.world.messages[message.id]
        assert message.flags & 64
        shown = message.content + json.dumps(message.embeds, ensure_ascii=False)
        if value.strip():
            assert f"I feel {words['feel']} when {words['when']}" in shown, shown
        else:
            assert "Nothing was sent" in shown, shown
    assert driver.dms_to(world.admin) == []
    # Send the last (mention-laden) statement: the DM pings nobody it names.
    [send] = [c for c in message.custom_ids() if c.startswith("hearth:repair:send:")]
    pressed = await driver.click_button(message, send, user=world.alice)
    assert (await pressed.response()).type == 6
    await pressed.wait_for_edits()
    [dm] = [m for m in driver.dms_to(world.admin) if "<@&" in m.content + json.dumps(m.embeds)]
    assert dm.mentions in ([], [world.alice.id])
    assert_no_pings_and_no_crashes(driver, caplog)
