"""Check-in forms opened and sent by several people at once, twice, or after a restart."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import HearthBot
from bot.db.repos import checkins
from bot.fake_discord.driver import Driver
from bot.fake_discord.interactions import InteractionHandle
from bot.fake_discord.world import Channel, User
from bot.view_store import FORM_CLOSED, FORM_DUPLICATE, NO_LONGER_AVAILABLE
from cogs._checkin_form import FEELINGS_FIELD, NEEDS_FIELD, NOTE_FIELD, SCORE_FIELD
from tests.e2e.conftest import BotRunner, StandardWorld
from tests.e2e.test_checkins_e2e import final_reply

pytestmark = pytest.mark.e2e


async def open_form(driver: Driver, channel: Channel, user: User) -> InteractionHandle:
    """Run /checkin now and return the handle once the form is open."""
    opened = await driver.invoke_slash(channel, user, "checkin now")
    assert (await opened.response()).type == 9
    return opened


def answers(score: str, note: str) -> dict[str, str | list[str]]:
    """Return a form's values: a score, no feelings or needs, and a note."""
    return {SCORE_FIELD: score, FEELINGS_FIELD: [], NEEDS_FIELD: [], NOTE_FIELD: note}


async def saved(bot: HearthBot, user: User) -> list[tuple[int, str | None]]:
    """Return (score, note) of each of a person's check-ins, oldest first."""
    return [
        (item.score, checkins.open_note(item, bot.cipher))
        for item in await checkins.list_for_user(bot.db, user.id)
    ]


@pytest.mark.parametrize("order", ["first-opened-first", "last-opened-first"])
async def test_two_people_with_the_form_open_both_save_their_own(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld, order: str
) -> None:
    """Open A, open B, then submit in either order: each gets a reply and their own check-in."""
    world = standard_world
    alice_form = await open_form(driver, world.general, world.alice)
    bob_form = await open_form(driver, world.general, world.bob)
    assert alice_form.modal is not None and bob_form.modal is not None
    assert alice_form.modal["custom_id"] != bob_form.modal["custom_id"]
    steps = [(alice_form, answers("2", "alice's own words")), (bob_form, answers("5", "bob's own words"))]
    if order == "last-opened-first":
        steps.reverse()
    submits = [await driver.submit_modal(form, values) for form, values in steps]
    replies = await asyncio.gather(*(final_reply(handle) for handle in submits))
    by_user = {handle.record.user_id: reply for handle, reply in zip(submits, replies, strict=True)}
    assert "2/5" in by_user[world.alice.id] and "5/5" in by_user[world.bob.id]
    assert await saved(running_bot, world.alice) == [(2, "alice's own words")]
    assert await saved(running_bot, world.bob) == [(5, "bob's own words")]


async def test_a_form_sent_twice_saves_once(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """A double tap on Submit stores one check-in; the second copy is told it changed nothing."""
    world = standard_world
    form = await open_form(driver, world.general, world.alice)
    first = await driver.submit_modal(form, answers("3", "only once"))
    second = await driver.submit_modal(form, answers("3", "only once"))
    assert "3/5" in await final_reply(first)
    assert await final_reply(second) == FORM_DUPLICATE
    assert await saved(running_bot, world.alice) == [(3, "only once")]


async def test_a_form_sent_after_a_restart_echoes_what_was_typed(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """The bot no longer holds a form opened before its restart: nothing is saved, the note comes back."""
    world = standard_world
    await bot_runner.start()
    form = await open_form(driver, world.general, world.alice)
    bot = await bot_runner.restart()
    note = "a note I spent a while writing\nwith a second line"
    late = await driver.submit_modal(form, answers("4", note))
    response = await late.response()
    assert response.ephemeral
    text = response.content or ""
    assert text.startswith(FORM_CLOSED)
    assert "> a note I spent a while writing\n> with a second line" in text
    assert response.data.get("allowed_mentions") == {"parse": []}
    assert await saved(bot, world.alice) == []


async def test_a_button_the_bot_no_longer_holds_gets_a_kind_answer(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """A click on a button whose view is gone (after a restart) is answered, not left to fail."""
    world = standard_world
    await bot_runner.start()
    button = {"type": 2, "style": 2, "label": "Old", "custom_id": "0123abcd"}
    message = driver.seed_message(
        world.general, content="an old message", components=[{"type": 1, "components": [button]}]
    )
    click = await driver.click_button(message, "0123abcd", user=world.alice)
    response = await click.response()
    assert response.ephemeral and response.content == NO_LONGER_AVAILABLE


async def test_a_button_of_an_erased_check_in_says_it_is_gone(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """After /privacy delete, the share menu of an erased check-in answers kindly and sends nothing."""
    world = standard_world
    form = await open_form(driver, world.general, world.alice)
    submitted = await driver.submit_modal(form, answers("3", ""))
    await submitted.response()
    reply = submitted.original_message()
    assert reply is not None
    [share] = [c for c in reply.custom_ids() if c.startswith("hearth:checkin:share:")]
    erase = await driver.invoke_slash(world.general, world.alice, "privacy delete")
    await erase.response()
    confirm = erase.original_message()
    assert confirm is not None
    clicked = await driver.click_button(confirm, f"hearth:privacy:erase:{world.alice.id}", user=world.alice)
    await clicked.response()
    await clicked.wait_for_followups(1)
    chosen = await driver.select(reply, share, [world.admin], user=world.alice)
    assert "couldn't find that check-in" in await final_reply(chosen)
    assert driver.dms_to(world.admin) == []
