"""/setup depth end to end: the real bot on the fake Discord keeps a light-only server's prompts light."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.content.library import load_content
from bot.content.prompts import Depth
from bot.fake_discord.driver import Driver
from tests.e2e.conftest import BotRunner, StandardWorld
from tests.e2e.test_prompts_e2e import MORNING, prompt_cards, setup_prompts
from tests.e2e.test_reminders_e2e import reply_of

pytestmark = pytest.mark.e2e

DEPTH_OF_TEXT = {f"**{prompt.text}**": prompt.depth for prompt in load_content().prompts.prompts}


async def test_setup_depth_light_then_every_posted_prompt_is_light(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """After /setup depth light, /setup show says so and a week of prompts (daily and manual) is light."""
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    await setup_prompts(driver, world, audience="family")
    reply = await reply_of(
        await driver.invoke_slash(world.general, world.admin, "setup depth", {"level": "light"})
    )
    assert "Light prompts only" in reply
    shown = await driver.invoke_slash(world.general, world.admin, "setup show")
    response = await shown.response()
    assert response.ephemeral and "Light prompts only" in json.dumps(response.embeds)
    # Re-running /setup prompts (a new time) keeps the server's depth.
    await setup_prompts(driver, world, time="09:30", audience="family")
    clock.advance(timedelta(hours=2))
    for _ in range(6):
        await bot.schedule_engine.tick()
        clock.advance(timedelta(days=1))
    # The 3rd's prompt is due but not yet posted: /prompt now posts it.
    now = await reply_of(await driver.invoke_slash(world.general, world.admin, "prompt now"))
    assert "counts as today's" in now
    cards = prompt_cards(driver, world.general)
    assert len(cards) == 7
    assert {DEPTH_OF_TEXT[card.embeds[0]["description"]] for card in cards} == {Depth.LIGHT}


async def test_setup_depth_before_setup_prompts_is_refused_kindly(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Without daily prompts there is no depth to set: a private pointer to /setup prompts, nothing saved."""
    world = standard_world
    await bot_runner.start(clock=ManualClock(MORNING))
    reply = await reply_of(
        await driver.invoke_slash(world.general, world.admin, "setup depth", {"level": "medium"})
    )
    assert "aren't set up" in reply
