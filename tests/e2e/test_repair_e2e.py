"""The guided repair flow end to end: the real bot on the fake Discord, the clock moved by the test."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.db.repos import blocks, repairs
from bot.db.repos.repairs import RepairStatus
from bot.fake_discord.driver import Driver
from bot.fake_discord.interactions import InteractionHandle
from bot.fake_discord.world import Message, User
from tests.e2e.conftest import BotRunner, StandardWorld
from tests.e2e.test_reminders_e2e import reply_of

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
FIELDS = {part: f"hearth:repair:{part}" for part in ("feel", "when", "because", "need", "will_do")}
WORDS = {
    "feel": "I feel hurt and a little lonely",
    "when": "plans change at the last minute",
    "because": "I was looking forward to our evening",
    "need": "a heads-up when things change",
    "will_do": "",
}
STATEMENT = (
    "I feel hurt and a little lonely when plans change at the last minute, because I was looking "
    "forward to our evening. What I need is a heads-up when things change."
)
UNDELIVERABLE = "I couldn't deliver your message to"


def text_of(message: Message) -> str:
    """Return a message's content and embeds as one string."""
    return message.content + json.dumps(message.embeds)


def custom_id(message: Message, prefix: str, suffix: str = "") -> str:
    """Return the custom_id on ``message`` with ``prefix`` (and ``suffix``)."""
    [found] = [c for c in message.custom_ids() if c.startswith(prefix) and c.endswith(suffix)]
    return found


async def start(
    driver: Driver, world: StandardWorld, user: User, who: User
) -> tuple[InteractionHandle, Message | None]:
    """Run /repair start and return its handle and the ephemeral pause step (None if refused)."""
    handle = await driver.invoke_slash(world.general, user, "repair start", {"who": who})
    response = await handle.response()
    assert response.ephemeral
    return handle, handle.original_message() if response.components else None


async def write(driver: Driver, user: User, message: Message, words: dict[str, str]) -> Message:
    """Open the I-statement form from ``message``, submit ``words`` and return the updated message."""
    opened = await driver.click_button(message, custom_id(message, "hearth:repair:write:"), user=user)
    await opened.response()
    modal = opened.modal
    assert modal is not None and len(modal["components"]) == 5 and len(modal["title"]) <= 45
    submitted = await driver.submit_modal(opened, {FIELDS[part]: text for part, text in words.items()})
    response = await submitted.response()
    assert response.type == 7, response
    return driver.world.messages[message.id]


async def send(driver: Driver, user: User, preview: Message) -> str:
    """Press Send on the preview and return what the preview says afterwards."""
    pressed = await driver.click_button(preview, custom_id(preview, "hearth:repair:send:"), user=user)
    assert (await pressed.response()).type == 6
    await pressed.wait_for_edits()
    return driver.world.messages[preview.id].content


async def full_request(driver: Driver, world: StandardWorld, user: User, who: User) -> str:
    """Start, write and send a request; return the initiator's final notice."""
    _, pause = await start(driver, world, user, who)
    assert pause is not None
    preview = await write(driver, user, pause, WORDS)
    return await send(driver, user, preview)


def requests_to(driver: Driver, user: User) -> list[Message]:
    """Return the repair requests DM'd to ``user``."""
    return [
        m for m in driver.dms_to(user) if any(c.startswith("hearth:repair:answer:") for c in m.custom_ids())
    ]


def visible_text(driver: Driver, world: StandardWorld) -> str:
    """Return every message anyone in the server can read (no DMs, no ephemeral replies)."""
    return "\n".join(
        text_of(m) for channel in (world.general, world.checkins) for m in driver.messages_in(channel)
    )


async def test_full_repair_flow_with_answer_notice_and_follow_up(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, caplog: pytest.LogCaptureFixture
) -> None:
    """Pause step, form, preview and edit, send, the answer, the initiator's notice, the follow-up."""
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="cogs")
    world = standard_world
    clock = ManualClock(NOW)
    bot = await bot_runner.start(clock=clock, repair_follow_up_hours=24)
    _, pause = await start(driver, world, world.alice, world.admin)
    assert pause is not None and pause.ephemeral
    shown = text_of(pause)
    assert "everyday conflict" in shown and "abuse" in shown and "resources" in shown
    assert "Remind me in 20 minutes" in json.dumps(pause.components)

    preview = await write(driver, world.alice, pause, {**WORDS, "when": "you never tell me plans changed"})
    assert "you never tell me" in text_of(preview)
    assert "A gentle tip" in text_of(preview)
    # Edit: the form opens with the draft filled in.
    opened = await driver.click_button(preview, custom_id(preview, "hearth:repair:write:"), user=world.alice)
    await opened.response()
    assert opened.modal is not None
    assert "hurt and a little lonely" in json.dumps(opened.modal)
    submitted = await driver.submit_modal(opened, {FIELDS["when"]: WORDS["when"]})
    assert (await submitted.response()).type == 7
    preview = driver.world.messages[preview.id]
    assert STATEMENT in text_of(preview)
    assert "A gentle tip" not in text_of(preview)

    assert "Sent to" in await send(driver, world.alice, preview)
    [request_dm] = requests_to(driver, world.admin)
    assert "**Alice**" in request_dm.content and STATEMENT in text_of(request_dm)
    assert request_dm.allowed_mentions == {"parse": []}
    labels = json.dumps(request_dm.components)
    for label in (
        "I'm ready to talk",
        "I need some time",
        "Let's talk later today",
        "Stop messages from this person",
    ):
        assert label in labels
    stored = await repairs.latest_pending(bot.db, world.alice.id)
    assert stored is not None and stored.status is RepairStatus.SENT and stored.statement is None

    # After a restart the recipient answers; the initiator is told by DM.
    bot = await bot_runner.restart(repair_follow_up_hours=24)
    answer = await driver.click_button(
        request_dm, custom_id(request_dm, "hearth:repair:answer:", ":ready"), user=world.admin
    )
    assert "I've let" in await reply_of(answer)
    notices = [m for m in driver.dms_to(world.alice) if "ready to talk" in m.content]
    assert len(notices) == 1 and "**Adam**" in notices[0].content

    clock.advance(timedelta(hours=24) - timedelta(minutes=1))
    await bot.schedule_engine.tick()
    assert not [m for m in driver.dms_to(world.alice) if "How are things" in m.content]
    clock.advance(timedelta(minutes=1))
    await bot.schedule_engine.tick()
    for person in (world.alice, world.admin):
        [follow_up] = [m for m in driver.dms_to(person) if "How are things" in m.content]
        assert "checkin now" in follow_up.content
        assert any(c.startswith("hearth:block:") for c in follow_up.custom_ids())

    assert STATEMENT not in visible_text(driver, world)
    assert "hurt and a little lonely" not in visible_text(driver, world)
    assert not any("lonely" in record.getMessage() for record in caplog.records)
    assert not any("lonely" in (record.exc_text or "") for record in caplog.records)


async def test_pause_reminder_brings_the_form_back_by_dm(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """ "Remind me in 20 minutes" DMs a way back to the form after 20 minutes; the flow finishes in DMs."""
    world = standard_world
    clock = ManualClock(NOW)
    bot = await bot_runner.start(clock=clock)
    _, pause = await start(driver, world, world.alice, world.admin)
    assert pause is not None
    pressed = await driver.click_button(
        pause, custom_id(pause, "hearth:repair:pause:", ":20"), user=world.alice
    )
    response = await pressed.response()
    assert response.type == 7 and "Take the time you need" in (response.content or "")
    clock.advance(timedelta(minutes=19))
    await bot.schedule_engine.tick()
    assert driver.dms_to(world.alice) == []
    clock.advance(timedelta(minutes=1))
    await bot.schedule_engine.tick()
    [reminder] = driver.dms_to(world.alice)
    assert "calm enough" in reminder.content and f"<@{world.admin.id}>" in reminder.content
    preview = await write(driver, world.alice, reminder, WORDS)
    assert STATEMENT in text_of(preview)
    assert "Sent to" in await send(driver, world.alice, preview)
    assert len(requests_to(driver, world.admin)) == 1


async def test_three_requests_a_day_then_a_kind_no(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Three requests to the same person in 24 h go out; the fourth is refused until a day has passed."""
    world = standard_world
    clock = ManualClock(NOW)
    await bot_runner.start(clock=clock)
    for _ in range(3):
        assert "Sent to" in await full_request(driver, world, world.alice, world.admin)
        clock.advance(timedelta(hours=1))
    handle, pause = await start(driver, world, world.alice, world.admin)
    assert pause is None
    refused = (await handle.response()).content or ""
    assert "3 times in the last 24 hours" in refused and "<t:" in refused
    assert len(requests_to(driver, world.admin)) == 3
    # Another person is not affected, and the first attempt leaving the window opens it again.
    assert "Sent to" in await full_request(driver, world, world.alice, world.owner)
    clock.set(NOW + timedelta(hours=24, seconds=1))
    assert "Sent to" in await full_request(driver, world, world.alice, world.admin)


async def test_block_stops_later_requests_without_revealing_it(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """After "Stop messages from this person", requests answer exactly like closed DMs; undo lifts it."""
    world = standard_world
    clock = ManualClock(NOW)
    bot = await bot_runner.start(clock=clock)
    await full_request(driver, world, world.alice, world.admin)
    [request_dm] = requests_to(driver, world.admin)
    block = await driver.click_button(request_dm, custom_id(request_dm, "hearth:block:"), user=world.admin)
    assert "won't receive repair messages" in await reply_of(block)
    assert await blocks.is_blocked(bot.db, world.admin.id, world.alice.id)

    blocked_notice = await full_request(driver, world, world.alice, world.admin)
    closed_notice = await full_request(driver, world, world.alice, world.bob)
    assert blocked_notice.startswith(UNDELIVERABLE)
    assert blocked_notice.replace(f"<@{world.admin.id}>", "X") == closed_notice.replace(
        f"<@{world.bob.id}>", "X"
    )
    assert len(requests_to(driver, world.admin)) == 1
    assert driver.dms_to(world.bob) == []

    undo_message = block.original_message()
    assert undo_message is not None
    undo = await driver.click_button(
        undo_message, custom_id(undo_message, "hearth:unblock:"), user=world.admin
    )
    assert (await undo.response()).type == 7
    assert not await blocks.is_blocked(bot.db, world.admin.id, world.alice.id)


async def test_cancel_withdraws_a_pending_request(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """/repair cancel takes a sent request back: the recipient's copy loses the statement and its answers."""
    world = standard_world
    await bot_runner.start(clock=ManualClock(NOW))
    nothing = await reply_of(await driver.invoke_slash(world.general, world.alice, "repair cancel"))
    assert "nothing to withdraw" in nothing
    await full_request(driver, world, world.alice, world.admin)
    [request_dm] = requests_to(driver, world.admin)
    withdrawn = await reply_of(await driver.invoke_slash(world.general, world.alice, "repair cancel"))
    assert "Withdrawn" in withdrawn
    copy = driver.world.messages[request_dm.id]
    assert "withdrew" in copy.content and STATEMENT not in text_of(copy)
    assert [c.split(":")[1] for c in copy.custom_ids()] == ["block"]
    again = await reply_of(await driver.invoke_slash(world.general, world.alice, "repair cancel"))
    assert "nothing to withdraw" in again


async def test_repair_refusals(bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld) -> None:
    """Bots, yourself and people outside the server are refused kindly, ephemerally, with nothing stored."""
    world = standard_world
    stranger = driver.add_user("stranger")
    bot = await bot_runner.start(clock=ManualClock(NOW))
    for who, expected in (
        (driver.bot_user, "that's a bot"),
        (world.alice, "go to someone else"),
        (stranger, "in this server"),
    ):
        handle, pause = await start(driver, world, world.alice, who)
        assert pause is None
        assert expected in ((await handle.response()).content or "")
    assert await repairs.latest_pending(bot.db, world.alice.id) is None
    assert driver.dms_to(world.alice) == []


async def test_an_answer_is_thanked_even_when_the_initiator_closed_their_dms(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Telling the initiator is a courtesy: their closed DMs neither fail the answer nor show an error id."""
    world = standard_world
    bot = await bot_runner.start(clock=ManualClock(NOW))
    assert "Sent to" in await full_request(driver, world, world.alice, world.admin)
    [request_dm] = requests_to(driver, world.admin)
    driver.close_dms(world.alice)
    answer = await driver.click_button(
        request_dm, custom_id(request_dm, "hearth:repair:answer:", ":ready"), user=world.admin
    )
    reply = await reply_of(answer)
    assert "I've let" in reply and "error id" not in reply
    stored = await repairs.latest_pending(bot.db, world.alice.id)
    assert stored is None or stored.status is not RepairStatus.SENT
