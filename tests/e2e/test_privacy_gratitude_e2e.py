"""Erasing someone who gave and got gratitude, end to end: their card messages go, cards to them stay."""

from __future__ import annotations

import pytest

from bot.clock import ManualClock
from bot.db.repos import gratitude
from bot.fake_discord.driver import Driver
from tests.e2e.conftest import BotRunner, StandardWorld
from tests.e2e.test_gratitude_e2e import MONDAY, add_gratitude_channel, cards_in, send_card, setup_gratitude

pytestmark = pytest.mark.e2e


async def test_privacy_delete_removes_the_persons_cards_from_the_channel(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Alice's card message is deleted with its record; Bob's card to her stays, without her id."""
    world = standard_world
    channel = await add_gratitude_channel(driver, world)
    bot = await bot_runner.start(clock=ManualClock(MONDAY))
    await setup_gratitude(driver, world, channel)
    await send_card(driver, world.general, world.alice, world.bob, "Thank you for the soup, Bob.")
    await send_card(driver, world.general, world.bob, world.alice, "Thank you for the walk, Alice.")
    assert len(cards_in(driver, channel)) == 2

    handle = await driver.invoke_slash(world.general, world.alice, "privacy delete")
    await handle.response()
    confirm = handle.original_message()
    assert confirm is not None
    click = await driver.click_button(confirm, f"hearth:privacy:erase:{world.alice.id}", user=world.alice)
    assert (await click.response()).type == 7
    [summary] = await click.wait_for_followups(1)
    assert summary.content is not None
    assert "Gratitude cards you posted: 1" in summary.content
    assert "Gratitude cards to you (your name removed): 1" in summary.content

    [left] = cards_in(driver, channel)
    assert "Thank you for the walk, Alice." in str(left.embeds)
    [kept] = await gratitude.cards_for_user(bot.db, world.bob.id)
    assert kept.sender_id == world.bob.id and kept.recipient_id is None
