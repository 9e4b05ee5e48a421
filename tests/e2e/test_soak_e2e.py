"""Fifty people at once through /checkin now and /prompt answer: nothing lost, nothing crossed."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.db.repos import answers, checkins, prompt_posts
from bot.fake_discord.driver import Driver
from bot.fake_discord.interactions import InteractionHandle
from bot.fake_discord.world import User
from cogs._checkin_form import FEELINGS_FIELD, NEEDS_FIELD, NOTE_FIELD, SCORE_FIELD
from tests.e2e.conftest import BotRunner, StandardWorld
from tests.e2e.test_prompts_e2e import ANSWER_FIELD, MORNING, setup_prompts
from tests.e2e.test_reveals_e2e import reply_text, shown_answers

pytestmark = [pytest.mark.e2e, pytest.mark.soak]
PEOPLE = 50


async def crowd(driver: Driver, world: StandardWorld) -> list[User]:
    """Add PEOPLE members to the standard server (before the bot starts)."""
    people = [driver.add_user(f"person{index:02d}") for index in range(PEOPLE)]
    for user in people:
        await driver.add_member(world.guild, user)
    return people


async def all_at_once(handles: list[InteractionHandle]) -> list[str]:
    """Wait for every handle's private reply together."""
    return await asyncio.gather(*(reply_text(handle) for handle in handles))


async def test_fifty_check_ins_at_once(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Fifty forms open together and sent in a shuffled order: fifty replies, each person's own row."""
    people = await crowd(driver, standard_world)
    bot = await bot_runner.start()
    opened = [await driver.invoke_slash(standard_world.general, user, "checkin now") for user in people]
    assert [response.type for response in await asyncio.gather(*(h.response() for h in opened))] == [
        9
    ] * PEOPLE
    order = list(zip(people, opened, strict=True))
    random.Random(15).shuffle(order)
    submits = []
    for index, (user, form) in enumerate(order):
        values = {
            SCORE_FIELD: str(index % 5 + 1),
            FEELINGS_FIELD: [],
            NEEDS_FIELD: [],
            NOTE_FIELD: f"note of {user.username}",
        }
        submits.append(await driver.submit_modal(form, values))
    replies = await all_at_once(submits)
    lost = [user.username for (user, _), reply in zip(order, replies, strict=True) if "/5" not in reply]
    crossed = []
    for index, (user, _) in enumerate(order):
        rows = await checkins.list_for_user(bot.db, user.id)
        got = [(row.score, checkins.open_note(row, bot.cipher)) for row in rows]
        if got != [(index % 5 + 1, f"note of {user.username}")]:
            crossed.append((user.username, got))
    assert lost == [] and crossed == []


async def test_fifty_answers_at_once(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Fifty people answer together: every answer stored as its author's, revealed once, attributed right."""
    world = standard_world
    people = await crowd(driver, world)
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    await setup_prompts(driver, world, threads=True)
    await all_at_once([await driver.invoke_slash(world.general, user, "circle join") for user in people])
    clock.advance(timedelta(hours=1))
    await bot.schedule_engine.tick()
    [thread] = driver.threads_in(world.general)
    opened = [await driver.invoke_slash(world.general, user, "prompt answer") for user in people]
    assert [response.type for response in await asyncio.gather(*(h.response() for h in opened))] == [
        9
    ] * PEOPLE
    order = list(zip(people, opened, strict=True))
    random.Random(19).shuffle(order)
    submits = [
        await driver.submit_modal(form, {ANSWER_FIELD: f"answer of {user.username}"}) for user, form in order
    ]
    replies = await all_at_once(submits)
    assert sum("revealed" in reply for reply in replies) >= 1
    assert all("Saved privately" in reply or "revealed" in reply for reply in replies)
    post = await prompt_posts.latest(bot.db, world.guild.id)
    assert post is not None
    stored = {answer.user_id: answer.text for answer in await answers.for_post(bot.db, bot.cipher, post.id)}
    assert stored == {user.id: f"answer of {user.username}" for user in people}
    shown = shown_answers(driver, thread)
    assert len(shown) == PEOPLE
    for user in people:
        [mine] = [text for text in shown if f"<@{user.id}>" in text]
        assert f"answer of {user.username}" in mine
