"""/prompt skip, /prompt history and /setup days end to end: the real bot on the fake Discord."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.fake_discord.driver import Driver
from bot.fake_discord.models import Message
from tests.e2e.conftest import BotRunner, StandardWorld
from tests.e2e.test_prompts_e2e import ANSWER_FIELD, MORNING, answer, prompt_cards, setup_prompts
from tests.e2e.test_reminders_e2e import reply_of

pytestmark = pytest.mark.e2e


def card_text(card: Message) -> str:
    """Return the prompt a card shows."""
    return str(card.embeds[0]["description"])


async def posted_today(driver: Driver, world: StandardWorld) -> Message:
    """Set up prompts with Alice and Bob in the circle, post today's by hand and return its card."""
    await setup_prompts(driver, world)
    for user in (world.alice, world.bob):
        await (await driver.invoke_slash(world.general, user, "circle join")).response()
    now = await reply_of(await driver.invoke_slash(world.general, world.admin, "prompt now"))
    assert "counts as today's" in now
    [card] = prompt_cards(driver, world.general)
    return card


async def test_skip_shows_another_prompt_on_the_same_card_once(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """The card changes in place (no new message, no second ping); a second skip is refused kindly."""
    world = standard_world
    await bot_runner.start(clock=ManualClock(MORNING))
    card = await posted_today(driver, world)
    before, buttons = card_text(card), card.custom_ids()
    reply = await reply_of(await driver.invoke_slash(world.general, world.admin, "prompt skip"))
    assert "now shows a different prompt" in reply
    [same] = prompt_cards(driver, world.general)
    assert same.id == card.id and card_text(same) != before and same.custom_ids() == buttons
    again = await reply_of(await driver.invoke_slash(world.general, world.admin, "prompt skip"))
    assert "already skipped once" in again
    assert [card_text(c) for c in prompt_cards(driver, world.general)] == [card_text(same)]
    # The new prompt is the one people answer.
    opened = await driver.invoke_slash(world.general, world.alice, "prompt answer")
    await opened.response()
    assert opened.modal is not None
    [label] = opened.modal["components"]
    assert card_text(same).strip("*")[:40] in label["description"]


async def test_two_admins_skipping_at_once_change_the_card_once(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Open A, open B, then both replies: one skip replaces the prompt, the other is told it was done."""
    world = standard_world
    sam = driver.add_user("sam")
    await driver.add_member(world.guild, sam, [world.admin_role])
    await bot_runner.start(clock=ManualClock(MORNING))
    card = await posted_today(driver, world)
    before = card_text(card)
    first = await driver.invoke_slash(world.general, world.admin, "prompt skip")
    second = await driver.invoke_slash(world.general, sam, "prompt skip")
    replies = sorted([await reply_of(first), await reply_of(second)])
    assert ["already skipped once" in r for r in replies].count(True) == 1
    assert ["now shows a different prompt" in r for r in replies].count(True) == 1
    [after] = prompt_cards(driver, world.general)
    assert card_text(after) != before


async def test_a_day_someone_answered_keeps_its_prompt(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Answer first, skip second: the skip is refused and nothing changes."""
    world = standard_world
    await bot_runner.start(clock=ManualClock(MORNING))
    card = await posted_today(driver, world)
    assert "1 of 2" in await answer(driver, world, world.alice, "Alice answers first")
    reply = await reply_of(await driver.invoke_slash(world.general, world.admin, "prompt skip"))
    assert "already answered or passed" in reply and "Nothing was changed" in reply
    [same] = prompt_cards(driver, world.general)
    assert card_text(same) == card_text(card)


async def test_an_answer_form_open_during_a_skip_gives_the_words_back(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Open the form, skip, submit: nothing is saved under the new prompt and the author gets their text."""
    world = standard_world
    await bot_runner.start(clock=ManualClock(MORNING))
    await posted_today(driver, world)
    opened = await driver.invoke_slash(world.general, world.alice, "prompt answer")
    await opened.response()
    assert "now shows a different prompt" in await reply_of(
        await driver.invoke_slash(world.general, world.admin, "prompt skip")
    )
    submitted = await driver.submit_modal(opened, {ANSWER_FIELD: "Words for the old question"})
    reply = await reply_of(submitted)
    assert "was changed while you were writing" in reply
    assert "> Words for the old question" in reply
    # Nothing was saved: Bob's answer is the first of two, and Alice's next form starts empty.
    assert "1 of 2" in await answer(driver, world, world.bob, "Bob answers the new one")
    again = await driver.invoke_slash(world.general, world.alice, "prompt answer")
    await again.response()
    assert again.modal is not None and "Words for the old question" not in json.dumps(again.modal)


async def test_skip_before_the_day_is_posted_and_by_a_member_is_refused(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """No card yet: a pointer to /prompt now. A member without Manage Server cannot skip."""
    world = standard_world
    await bot_runner.start(clock=ManualClock(MORNING))
    await setup_prompts(driver, world)
    reply = await reply_of(await driver.invoke_slash(world.general, world.admin, "prompt skip"))
    assert "isn't out yet" in reply and "</prompt now:" in reply
    member = await reply_of(await driver.invoke_slash(world.general, world.alice, "prompt skip"))
    assert "Manage Server" in member
    assert prompt_cards(driver, world.general) == []


async def test_history_lists_the_last_thirty_newest_first_with_themes(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """After 32 daily prompts, /prompt history shows 30 of them, newest first, to anyone who asks."""
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    empty = await reply_of(await driver.invoke_slash(world.general, world.alice, "prompt history"))
    assert "No prompt has been posted here yet" in empty
    await setup_prompts(driver, world)
    clock.advance(timedelta(hours=2))
    for _ in range(32):
        await bot.schedule_engine.tick()
        clock.advance(timedelta(days=1))
    cards = prompt_cards(driver, world.general)
    assert len(cards) == 32
    handle = await driver.invoke_slash(world.general, world.alice, "prompt history")
    response = await handle.response()
    assert response.ephemeral
    [embed] = response.embeds
    lines = embed["description"].splitlines()
    assert len(lines) == 30 and embed["footer"]["text"] == "The last 30 prompts, newest first."
    # 32 days from Fri 27 Nov: the newest is Mon 28 Dec, the oldest shown Sun 29 Nov.
    assert lines[0].startswith("`Mon 28 Dec` **") and lines[-1].startswith("`Sun 29 Nov` **")
    newest = card_text(cards[-1]).strip("*")
    assert newest[:20] in lines[0]


async def test_setup_days_weekdays_posts_monday_to_friday_only(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """From Friday 27 November, a week on weekdays gives 5 prompts; /setup show says which days."""
    world = standard_world
    clock = ManualClock(MORNING)
    bot = await bot_runner.start(clock=clock)
    await setup_prompts(driver, world)
    saved = await reply_of(
        await driver.invoke_slash(world.general, world.admin, "setup days", {"days": "weekdays"})
    )
    assert "on weekdays (Monday to Friday)" in saved and "<t:" in saved
    shown = await reply_of(await driver.invoke_slash(world.general, world.admin, "setup show"))
    assert "On weekdays (Monday to Friday)" in shown
    clock.advance(timedelta(hours=2))
    posted_on = []
    for _ in range(7):
        before = len(prompt_cards(driver, world.general))
        await bot.schedule_engine.tick()
        if len(prompt_cards(driver, world.general)) > before:
            posted_on.append(clock.now().strftime("%a"))
        clock.advance(timedelta(days=1))
    assert posted_on == ["Fri", "Mon", "Tue", "Wed", "Thu"]


async def test_setup_days_refuses_what_it_cannot_read_and_keeps_the_days(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """An unreadable day set is a kind ephemeral error that changes nothing; autocomplete offers sets."""
    world = standard_world
    await bot_runner.start(clock=ManualClock(MORNING))
    await setup_prompts(driver, world)
    await reply_of(await driver.invoke_slash(world.general, world.admin, "setup days", {"days": "mon, fri"}))
    bad = await reply_of(
        await driver.invoke_slash(world.general, world.admin, "setup days", {"days": "someday"})
    )
    assert "couldn't read “someday” as days" in bad and "Nothing was changed" in bad
    shown = await reply_of(await driver.invoke_slash(world.general, world.admin, "setup show"))
    assert "On Monday and Friday" in shown
    handle = await driver.invoke_autocomplete(
        world.general, world.admin, "setup days", {"days": "week"}, focused="days"
    )
    await handle.response()
    assert handle.choices is not None and any(choice["value"] == "weekdays" for choice in handle.choices)
