"""Private answers under the privacy tools, end to end: sealed at rest, erased from reveals, exported."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.crypto import generate_key
from bot.fake_discord import P
from bot.fake_discord.driver import Driver
from tests.e2e.conftest import BotRunner, StandardWorld
from tests.e2e.test_prompts_e2e import MORNING, answer, setup_prompts, visible_text
from tests.privacy.raw import assert_file_hides

pytestmark = pytest.mark.e2e

# Marker words no prompt or bot text contains, so any sighting is one of these answers.
ALICE_ANSWER = "Alice's glimmerwort answer"
BOB_ANSWER = "Bob's snorkelfish answer"


async def test_answers_are_sealed_erased_from_the_reveal_and_exported(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, caplog: pytest.LogCaptureFixture
) -> None:
    """With a data key the file never holds an answer; erasing Alice edits her out of the reveal."""
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="cogs")
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock, hearth_data_key=generate_key())
    await setup_prompts(driver, world, threads=True)
    for user in (world.alice, world.bob):
        joined = await driver.invoke_slash(world.general, user, "circle join")
        assert (await joined.response()).ephemeral
    clock.advance(timedelta(hours=1))
    await bot.schedule_engine.tick()
    [thread] = driver.threads_in(world.general)

    assert "1 of 2" in await answer(driver, world, world.alice, ALICE_ANSWER)
    await assert_file_hides(bot.db, ALICE_ANSWER)
    assert "revealed" in await answer(driver, world, world.bob, BOB_ANSWER)
    [reveal] = driver.messages_in(thread)
    shown = json.dumps(reveal.embeds)
    assert ALICE_ANSWER in shown and BOB_ANSWER in shown
    await assert_file_hides(bot.db, ALICE_ANSWER, BOB_ANSWER)

    handle = await driver.invoke_slash(world.general, world.alice, "privacy delete")
    await handle.response()
    confirm = handle.original_message()
    assert confirm is not None
    click = await driver.click_button(confirm, f"hearth:privacy:erase:{world.alice.id}", user=world.alice)
    assert (await click.response()).type == 7
    [summary] = await click.wait_for_followups(1)
    assert summary.content is not None
    assert "Private answers: 1" in summary.content and "Circle memberships: 1" in summary.content

    [edited] = driver.messages_in(thread)
    assert edited.id == reveal.id
    shown = json.dumps(edited.embeds)
    assert ALICE_ANSWER not in shown and BOB_ANSWER in shown
    assert ALICE_ANSWER not in visible_text(driver)

    export = await driver.invoke_slash(world.general, world.bob, "privacy export")
    await export.response()
    [followup] = await export.wait_for_followups(1)
    document = json.loads(followup.files[0].data)
    assert [item["text"] for item in document["data"]["prompts"]["answers"]] == [BOB_ANSWER]
    assert ALICE_ANSWER not in followup.files[0].data.decode("utf-8")
    assert ALICE_ANSWER not in caplog.text and BOB_ANSWER not in caplog.text


@pytest.mark.parametrize("threads", [True, False])
async def test_erasing_a_revealed_answer_needs_no_read_message_history(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, threads: bool
) -> None:
    """With only the invite's permissions (no Read Message History), erasure still edits the reveal by id."""
    world = standard_world
    # @everyone grants Read Message History in the standard world; take it from the bot, as in servers
    # whose @everyone lacks it (the invite URL does not ask for it).
    await driver.deny_bot(world.general, P.READ_MESSAGE_HISTORY)
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    await setup_prompts(driver, world, threads=threads)
    for user in (world.alice, world.bob):
        await (await driver.invoke_slash(world.general, user, "circle join")).response()
    clock.advance(timedelta(hours=1))
    await bot.schedule_engine.tick()
    await answer(driver, world, world.alice, ALICE_ANSWER)
    assert "revealed" in await answer(driver, world, world.bob, BOB_ANSWER)
    place = driver.threads_in(world.general)[0] if threads else world.general
    [reveal] = [m for m in driver.messages_in(place) if m.embeds and ALICE_ANSWER in json.dumps(m.embeds)]
    header = reveal.content

    handle = await driver.invoke_slash(world.general, world.alice, "privacy delete")
    await handle.response()
    confirm = handle.original_message()
    assert confirm is not None
    click = await driver.click_button(confirm, f"hearth:privacy:erase:{world.alice.id}", user=world.alice)
    await click.response()
    await click.wait_for_followups(1)

    edited = driver.world.messages[reveal.id]
    assert not edited.deleted
    shown = json.dumps(edited.embeds)
    assert ALICE_ANSWER not in shown and BOB_ANSWER in shown
    assert ALICE_ANSWER not in visible_text(driver)
    assert edited.content == header
