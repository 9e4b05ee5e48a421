"""Reveals with several people at once: interleaved answers, passes, leavers, and the close."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from bot.app import HearthBot
from bot.clock import ManualClock
from bot.db.repos import answers, circles, passes, prompt_posts
from bot.fake_discord.driver import Driver
from bot.fake_discord.interactions import InteractionHandle
from bot.fake_discord.world import Channel, Message, User
from tests.e2e.conftest import BotRunner, StandardWorld
from tests.e2e.test_prompts_e2e import ANSWER_FIELD, MORNING, prompt_cards, setup_prompts

pytestmark = pytest.mark.e2e


async def reply_text(handle: InteractionHandle) -> str:
    """Return an interaction's private reply, after a defer or not."""
    response = await handle.response()
    assert response.ephemeral
    if response.type == 5:
        [followup] = await handle.wait_for_followups()
        assert followup.data.get("flags", 0) & 64
        return str(followup.data.get("content") or "")
    return response.content or ""


async def posted_prompt(
    bot_runner: BotRunner, driver: Driver, world: StandardWorld, people: list[User]
) -> tuple[HearthBot, Message, Channel]:
    """Start the bot, set prompts up with threads, put ``people`` in the circle and post the prompt."""
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    await setup_prompts(driver, world, threads=True)
    for user in people:
        await reply_text(await driver.invoke_slash(world.general, user, "circle join"))
    clock.advance(timedelta(hours=1))
    await bot.schedule_engine.tick()
    [card] = prompt_cards(driver, world.general)
    [thread] = driver.threads_in(world.general)
    return bot, card, thread


async def answer_as(driver: Driver, world: StandardWorld, user: User, text: str) -> str:
    """Answer the open prompt with /prompt answer and return the private reply."""
    opened = await driver.invoke_slash(world.general, user, "prompt answer")
    assert (await opened.response()).type == 9
    return await reply_text(await driver.submit_modal(opened, {ANSWER_FIELD: text}))


def card_button(card: Message, action: str) -> str:
    """Return the custom_id of the card's Answer or Pass button."""
    [custom_id] = [c for c in card.custom_ids() if c.startswith(f"hearth:prompt:{action}:")]
    return custom_id


def shown_answers(driver: Driver, thread: Channel) -> list[str]:
    """Return the description of every answer embed revealed in a thread, in order."""
    return [embed.get("description", "") for m in driver.messages_in(thread) for embed in m.embeds]


@pytest.mark.parametrize("order", ["first-opened-first", "last-opened-first"])
async def test_interleaved_answers_are_each_their_own(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, order: str
) -> None:
    """Alice opens from the card, Bob by command; whichever submits first, each answer keeps its author."""
    world = standard_world
    bot, card, thread = await posted_prompt(bot_runner, driver, world, [world.alice, world.bob, world.admin])
    alice_form = await driver.click_button(card, card_button(card, "answer"), user=world.alice)
    bob_form = await driver.invoke_slash(world.general, world.bob, "prompt answer")
    assert (await alice_form.response()).type == 9 and (await bob_form.response()).type == 9
    steps = [(alice_form, "alice wrote this"), (bob_form, "bob wrote that")]
    if order == "last-opened-first":
        steps.reverse()
    submits = [await driver.submit_modal(form, {ANSWER_FIELD: text}) for form, text in steps]
    replies = await asyncio.gather(*(reply_text(handle) for handle in submits))
    assert all("Saved privately" in reply for reply in replies)
    post = await prompt_posts.latest(bot.db, world.guild.id)
    assert post is not None
    stored = {a.user_id: a.text for a in await answers.for_post(bot.db, bot.cipher, post.id)}
    assert stored == {world.alice.id: "alice wrote this", world.bob.id: "bob wrote that"}
    assert shown_answers(driver, thread) == []
    passed = await driver.click_button(card, card_button(card, "pass"), user=world.admin)
    assert "revealed" in await reply_text(passed)
    [reveal] = driver.messages_in(thread)
    assert "answered or passed" in reveal.content
    shown = shown_answers(driver, thread)
    assert len(shown) == 2
    assert any(f"<@{world.alice.id}>" in s and "alice wrote this" in s and "bob" not in s for s in shown)
    assert any(f"<@{world.bob.id}>" in s and "bob wrote that" in s and "alice" not in s for s in shown)


async def test_two_people_press_the_same_card_at_once(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Two passes on one card at once are both recorded, each person told privately, nothing revealed."""
    world = standard_world
    bot, card, thread = await posted_prompt(bot_runner, driver, world, [world.alice, world.bob, world.admin])
    pass_id = card_button(card, "pass")
    clicks = [await driver.click_button(card, pass_id, user=user) for user in (world.alice, world.bob)]
    replies = await asyncio.gather(*(reply_text(click) for click in clicks))
    assert all("passed" in reply for reply in replies)
    post = await prompt_posts.latest(bot.db, world.guild.id)
    assert post is not None
    assert await passes.passed_user_ids(bot.db, post.id) == {world.alice.id, world.bob.id}
    again = await driver.click_button(card, pass_id, user=world.alice)
    assert "already passed" in await reply_text(again)
    assert "stays private" in await answer_as(driver, world, world.admin, "only mine")
    assert driver.messages_in(thread) == []


async def test_passing_after_answering_withdraws_the_answer(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Pass takes back an unrevealed answer; answering again takes back the pass."""
    world = standard_world
    bot, card, _ = await posted_prompt(bot_runner, driver, world, [world.alice, world.bob])
    await answer_as(driver, world, world.alice, "second thoughts")
    passed = await driver.invoke_slash(world.general, world.alice, "prompt pass")
    assert "was deleted" in await reply_text(passed)
    post = await prompt_posts.latest(bot.db, world.guild.id)
    assert post is not None
    assert await answers.get(bot.db, bot.cipher, post.id, world.alice.id) is None
    opened = await driver.click_button(card, card_button(card, "answer"), user=world.alice)
    await opened.response()
    await reply_text(await driver.submit_modal(opened, {ANSWER_FIELD: "after all"}))
    assert await passes.passed_user_ids(bot.db, post.id) == set()


async def test_someone_who_left_the_server_no_longer_holds_up_the_reveal(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Bob left the server, which Hearth isn't told: once Alice and the admin answer, they are revealed."""
    world = standard_world
    bot, _, thread = await posted_prompt(bot_runner, driver, world, [world.alice, world.bob, world.admin])
    await driver.remove_member(world.guild, world.bob)
    await answer_as(driver, world, world.alice, "alice here")
    assert "revealed" in await answer_as(driver, world, world.admin, "admin here")
    assert len(shown_answers(driver, thread)) == 2
    assert set(await circles.members(bot.db, world.guild.id)) == {world.alice.id, world.admin.id}


async def test_an_admin_removing_the_last_holdout_reveals(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """/circle remove takes Bob out; the two answers already in are revealed at once."""
    world = standard_world
    _, _, thread = await posted_prompt(bot_runner, driver, world, [world.alice, world.bob, world.admin])
    await answer_as(driver, world, world.alice, "alice here")
    await answer_as(driver, world, world.admin, "admin here")
    refused = await driver.invoke_slash(
        world.general, world.alice, "circle remove", {"member": world.bob}, enforce_permissions=False
    )
    assert "Manage Server" in await reply_text(refused)
    assert shown_answers(driver, thread) == []
    removed = await driver.invoke_slash(world.general, world.admin, "circle remove", {"member": world.bob})
    assert "no longer in this server's circle" in await reply_text(removed)
    assert len(shown_answers(driver, thread)) == 2
    again = await driver.invoke_slash(world.general, world.admin, "circle remove", {"member": world.bob})
    assert "isn't in this server's circle" in await reply_text(again)


async def test_the_next_prompt_closes_the_last_one_and_reveals_what_was_shared(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Two of three answered: at the next day's prompt they are revealed, saying one didn't answer."""
    world = standard_world
    bot, card, thread = await posted_prompt(bot_runner, driver, world, [world.alice, world.bob, world.admin])
    await answer_as(driver, world, world.alice, "alice here")
    await answer_as(driver, world, world.admin, "admin here")
    assert bot_runner.clock is not None
    bot_runner.clock.advance(timedelta(days=1))
    await bot.schedule_engine.tick()
    assert len(prompt_cards(driver, world.general)) == 2
    [reveal] = driver.messages_in(thread)
    assert "2 of you answered and 1 didn't" in reveal.content
    assert len(shown_answers(driver, thread)) == 2
    old = await driver.click_button(card, card_button(card, "answer"), user=world.bob)
    assert "has closed" in json.dumps((await old.response()).data)


async def test_the_card_buttons_work_after_a_restart(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """The card's buttons carry the server and date, so a restarted bot still answers them."""
    world = standard_world
    _, card, _ = await posted_prompt(bot_runner, driver, world, [world.alice, world.bob])
    await bot_runner.restart()
    opened = await driver.click_button(card, card_button(card, "answer"), user=world.alice)
    assert (await opened.response()).type == 9
    passed = await driver.click_button(card, card_button(card, "pass"), user=world.bob)
    assert "passed" in await reply_text(passed)
