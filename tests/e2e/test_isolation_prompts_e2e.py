"""Isolation of private prompt answers: before the reveal, nobody else sees or changes yours."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.db.repos import answers, prompt_posts
from bot.fake_discord.driver import Driver
from bot.fake_discord.world import User
from tests.e2e.conftest import BotRunner, StandardWorld
from tests.e2e.test_prompts_e2e import ANSWER_FIELD, MORNING, setup_prompts

pytestmark = pytest.mark.e2e

# Marker words found in no prompt or bot text, so any sighting outside Alice's own view is a leak.
ALICE_ANSWER = "Alice's wobbleferret secret answer"
ALICE_MARKER = "wobbleferret"
BOB_ANSWER = "Bob's own plain answer"


def seen_by(driver: Driver, user: User) -> str:
    """Return everything ``user`` could read: server messages, their DMs and ephemerals, their replies.

    Replies include modals, followups, edits and uploaded files of every interaction ``user`` made.
    """
    world = driver.world
    own_dm = world.dm_channel_by_user.get(user.id)
    parts: list[str] = []
    for message in world.messages.values():
        if message.deleted or (message.visible_to is not None and message.visible_to != user.id):
            continue
        if message.guild_id is None and message.channel_id != own_dm:
            continue
        parts.append(message.content + json.dumps(message.embeds) + json.dumps(message.components))
    for record in driver.server.interactions.values():
        if record.user_id != user.id:
            continue
        for attempt in record.attempts:
            parts.append(json.dumps(attempt.data))
            parts.extend(f.data.decode("utf-8", "replace") for f in attempt.files)
        for call in record.calls:
            parts.append(json.dumps(call.data))
            parts.extend(f.data.decode("utf-8", "replace") for f in call.files)
    return "\n".join(parts)


async def submit_answer(driver: Driver, world: StandardWorld, user: User, text: str) -> str:
    """Open /prompt answer as ``user``, submit ``text`` and return the private reply."""
    opened = await driver.invoke_slash(world.general, user, "prompt answer")
    assert (await opened.response()).type == 9
    submitted = await driver.submit_modal(opened, {ANSWER_FIELD: text})
    assert (await submitted.response()).ephemeral
    [reply] = await submitted.wait_for_followups()
    assert reply.flags & 64
    return reply.content or ""


async def run_private(driver: Driver, world: StandardWorld, user: User, command: str) -> None:
    """Run a command as ``user`` and wait for its private reply."""
    handle = await driver.invoke_slash(world.general, user, command)
    response = await handle.response()
    assert response.ephemeral
    if response.type == 5:
        await handle.wait_for_followups()


async def test_bob_neither_sees_nor_replaces_alices_unrevealed_answer(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Bob's form, replies, export and channels hold none of Alice's words; her stored answer is intact."""
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    await setup_prompts(driver, world, threads=True)
    # Three in the circle, so Bob's answer does not complete it and nothing is revealed.
    for user in (world.alice, world.bob, world.admin):
        await run_private(driver, world, user, "circle join")
    clock.advance(timedelta(hours=1))
    await bot.schedule_engine.tick()
    post = await prompt_posts.latest(bot.db, world.guild.id)
    assert post is not None

    assert "1 of 3" in await submit_answer(driver, world, world.alice, ALICE_ANSWER)
    assert "2 of 3" in await submit_answer(driver, world, world.bob, BOB_ANSWER)
    assert "2 of 3" in await submit_answer(driver, world, world.bob, BOB_ANSWER + " edited")
    for command in ("circle show", "privacy export"):
        await run_private(driver, world, world.bob, command)
    # Bob's form reopens with his own words only.
    reopened = await driver.invoke_slash(world.general, world.bob, "prompt answer")
    assert (await reopened.response()).type == 9
    assert BOB_ANSWER in json.dumps(reopened.modal)

    assert ALICE_MARKER not in seen_by(driver, world.bob)
    assert [driver.messages_in(thread) for thread in driver.threads_in(world.general)] == [[]]
    stored = {a.user_id: a for a in await answers.for_post(bot.db, bot.cipher, post.id)}
    assert set(stored) == {world.alice.id, world.bob.id}
    assert stored[world.alice.id].text == ALICE_ANSWER
    assert stored[world.alice.id].shared_at is None
    assert stored[world.bob.id].text == BOB_ANSWER + " edited"
    # The same view of Alice's own form does hold her words, so seen_by would have caught a leak.
    hers = await driver.invoke_slash(world.general, world.alice, "prompt answer")
    assert (await hers.response()).type == 9
    assert ALICE_MARKER in seen_by(driver, world.alice)
