"""Private text never reaches the logs or a public channel during the private flows."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest

from bot.app import HearthBot
from bot.clock import ManualClock
from bot.fake_discord.driver import Driver
from cogs._checkin_form import FEELINGS_FIELD, NEEDS_FIELD, NOTE_FIELD, SCORE_FIELD
from tests.e2e.conftest import BotRunner, StandardWorld
from tests.e2e.test_prompts_e2e import MORNING, answer, setup_prompts
from tests.e2e.test_reminders_e2e import reply_of
from tests.e2e.test_repair_e2e import NOW, WORDS, custom_id, requests_to, send, start, text_of, write

pytestmark = pytest.mark.e2e

NOTE_MARKER = "logmarker quokkaplinth"


async def test_checkin_note_and_share_stay_out_of_logs(
    running_bot: HearthBot,
    driver: Driver,
    standard_world: StandardWorld,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A check-in note and its shared summary appear in no log record and no public message."""
    world = standard_world
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="cogs")
    opened = await driver.invoke_slash(world.general, world.alice, "checkin now")
    assert (await opened.response()).type == 9
    submitted = await driver.submit_modal(
        opened,
        {SCORE_FIELD: "2", FEELINGS_FIELD: ["anxious"], NEEDS_FIELD: ["space"], NOTE_FIELD: NOTE_MARKER},
    )
    assert (await submitted.response()).ephemeral
    message = submitted.original_message()
    assert message is not None
    [share_id] = [c for c in message.custom_ids() if c.startswith("hearth:checkin:share:")]
    shared = await driver.select(message, share_id, [world.admin], user=world.alice)
    first = await shared.response()
    assert first.ephemeral
    if first.type == 5:
        await shared.wait_for_followups()
    assert len(driver.dms_to(world.admin)) == 1
    for part in NOTE_MARKER.split():
        assert part not in caplog.text
    channels = [driver.world.channels[c] for c in world.guild.channel_ids]
    public = [m for channel in channels for m in driver.messages_in(channel)]
    for m in public:
        assert "quokkaplinth" not in m.content + json.dumps(m.embeds)


def capture_everything(caplog: pytest.LogCaptureFixture) -> None:
    """Capture INFO from everyone and DEBUG from Hearth's own loggers (the levels an operator may run)."""
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="cogs")


def assert_not_logged(caplog: pytest.LogCaptureFixture, markers: tuple[str, ...]) -> None:
    """Fail if any marker is in a log record: its message, arguments, traceback or stack."""
    assert caplog.records, "nothing was logged, so the check below would prove nothing"
    for record in caplog.records:
        logged = " ".join(
            (record.getMessage(), repr(record.args), record.exc_text or "", record.stack_info or "")
        )
        for marker in markers:
            assert marker not in logged, (marker, record.name, record.levelname)
    for marker in markers:
        assert marker not in caplog.text


def public_text(driver: Driver, world: StandardWorld) -> str:
    """Return every server channel and thread message, as text."""
    channels = [driver.world.channels[c] for c in world.guild.channel_ids]
    channels += [t for channel in channels for t in driver.threads_in(channel)]
    return "\n".join(m.content + json.dumps(m.embeds) for c in channels for m in driver.messages_in(c))


# Marker words no prompt, bot text or other test uses.
FIRST_DRAFT = "Alice's drabblewick first try"
EDITED = "Alice's plumtangle second try"
BOBS = "Bob's snickerbloom answer"


async def test_prompt_answers_stay_out_of_logs_and_channels_until_revealed(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, caplog: pytest.LogCaptureFixture
) -> None:
    """Answer, edit and reveal: no answer in any log record; none in a channel before the reveal."""
    capture_everything(caplog)
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    await setup_prompts(driver, world, threads=True)
    for user in (world.alice, world.bob):
        assert (await (await driver.invoke_slash(world.general, user, "circle join")).response()).ephemeral
    clock.advance(timedelta(hours=1))
    await bot.schedule_engine.tick()
    assert "1 of 2" in await answer(driver, world, world.alice, FIRST_DRAFT)
    assert "updated" in await answer(driver, world, world.alice, EDITED)
    for marker in ("drabblewick", "plumtangle"):
        assert marker not in public_text(driver, world)
    assert "revealed" in await answer(driver, world, world.bob, BOBS)
    # The reveal shows the answers in the thread; the first draft never appears anywhere.
    assert "plumtangle" in public_text(driver, world) and "snickerbloom" in public_text(driver, world)
    assert "drabblewick" not in public_text(driver, world)
    assert_not_logged(caplog, ("drabblewick", "plumtangle", "snickerbloom"))


async def test_repair_statement_stays_out_of_logs(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, caplog: pytest.LogCaptureFixture
) -> None:
    """Write, edit, send and answer a repair request: the statement is in no log record and no channel."""
    capture_everything(caplog)
    world = standard_world
    await bot_runner.start(clock=ManualClock(NOW))
    words = {**WORDS, "feel": "I feel flustergrump", "when": "the quindlewhoop happens"}
    _, pause = await start(driver, world, world.alice, world.admin)
    assert pause is not None
    preview = await write(driver, world.alice, pause, {**words, "need": "a snorfle first"})
    preview = await write(driver, world.alice, preview, words)
    assert "Sent to" in await send(driver, world.alice, preview)
    [request_dm] = requests_to(driver, world.admin)
    assert "flustergrump" in text_of(request_dm)
    answered = await driver.click_button(
        request_dm, custom_id(request_dm, "hearth:repair:answer:", ":time"), user=world.admin
    )
    assert "I've let" in await reply_of(answered)
    markers = ("flustergrump", "quindlewhoop", "snorfle")
    for marker in markers:
        assert marker not in public_text(driver, world)
    assert_not_logged(caplog, markers)
