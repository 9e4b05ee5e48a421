"""Repair statements under a data key, end to end: sealed in the file, readable where they are shown."""

from __future__ import annotations

import json

import pytest

from bot.clock import ManualClock
from bot.crypto import generate_key
from bot.fake_discord.driver import Driver
from tests.e2e.conftest import BotRunner, StandardWorld
from tests.e2e.test_repair_e2e import (
    FIELDS,
    NOW,
    STATEMENT,
    WORDS,
    custom_id,
    requests_to,
    send,
    start,
    text_of,
    write,
)
from tests.privacy.raw import assert_file_hides

pytestmark = pytest.mark.e2e


async def test_a_sealed_draft_previews_edits_and_sends_as_written(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """With HEARTH_DATA_KEY the draft's parts never reach the file, yet the form and the DM show them."""
    world = standard_world
    bot = await bot_runner.start(clock=ManualClock(NOW), hearth_data_key=generate_key())
    _, pause = await start(driver, world, world.alice, world.admin)
    assert pause is not None
    preview = await write(driver, world.alice, pause, WORDS)
    assert STATEMENT in text_of(preview)
    await assert_file_hides(bot.db, *(text for text in WORDS.values() if text))
    opened = await driver.click_button(preview, custom_id(preview, "hearth:repair:write:"), user=world.alice)
    await opened.response()
    assert opened.modal is not None and "hurt and a little lonely" in json.dumps(opened.modal)
    submitted = await driver.submit_modal(opened, {FIELDS["when"]: WORDS["when"]})
    assert (await submitted.response()).type == 7
    assert "Sent to" in await send(driver, world.alice, driver.world.messages[preview.id])
    [request_dm] = requests_to(driver, world.admin)
    assert STATEMENT in text_of(request_dm)
