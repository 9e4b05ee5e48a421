"""The gratitude and repair forms, opened and sent by two people interleaved."""

from __future__ import annotations

import asyncio

import pytest

from bot.clock import ManualClock
from bot.fake_discord.driver import Driver
from bot.fake_discord.interactions import InteractionHandle
from bot.fake_discord.world import Message, User
from cogs.gratitude import TEXT_FIELD_ID, USER_MENU
from tests.e2e.conftest import BotRunner, StandardWorld
from tests.e2e.test_gratitude_e2e import MONDAY, add_gratitude_channel, cards_in, reply_of, setup_gratitude
from tests.e2e.test_repair_e2e import FIELDS, WORDS, custom_id, send, start

pytestmark = pytest.mark.e2e
ORDERS = ["first-opened-first", "last-opened-first"]


@pytest.mark.parametrize("order", ORDERS)
async def test_two_thank_you_forms_post_each_senders_card(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, order: str
) -> None:
    """Alice thanks Bob and the admin thanks Alice, forms open at once: each card has its own words."""
    world = standard_world
    channel = await add_gratitude_channel(driver, world)
    await bot_runner.start(clock=ManualClock(MONDAY))
    await setup_gratitude(driver, world, channel)
    pairs = [(world.alice, world.bob, "alice thanks bob"), (world.admin, world.alice, "admin thanks alice")]
    forms: list[tuple[InteractionHandle, str]] = []
    for sender, who, text in pairs:
        opened = await driver.invoke_user_context_menu(world.general, sender, USER_MENU, who)
        assert (await opened.response()).type == 9
        forms.append((opened, text))
    if order == "last-opened-first":
        forms.reverse()
    submits = [await driver.submit_modal(form, {TEXT_FIELD_ID: text}) for form, text in forms]
    replies = await asyncio.gather(*(reply_of(handle) for handle in submits))
    assert all("Your thank-you is posted" in reply for reply in replies)
    cards = {card.embeds[0]["description"]: card.mentions for card in cards_in(driver, channel)}
    assert cards == {"alice thanks bob": [world.bob.id], "admin thanks alice": [world.alice.id]}


async def open_statement(driver: Driver, world: StandardWorld, user: User, who: User) -> InteractionHandle:
    """Start a repair request and open its I-statement form; return the form's handle."""
    _, pause = await start(driver, world, user, who)
    assert pause is not None
    opened = await driver.click_button(pause, custom_id(pause, "hearth:repair:write:"), user=user)
    assert (await opened.response()).type == 9
    return opened


@pytest.mark.parametrize("order", ORDERS)
async def test_two_repair_statements_stay_with_their_writers(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, order: str
) -> None:
    """Alice writes to the admin and the admin to Alice at the same time: each sends their own words."""
    world = standard_world
    await bot_runner.start()
    people = [
        (world.alice, world.admin, "I feel alice's feeling"),
        (world.admin, world.alice, "I feel adam's"),
    ]
    forms = [(await open_statement(driver, world, user, who), user, feel) for user, who, feel in people]
    if order == "last-opened-first":
        forms.reverse()
    submits = [
        (
            await driver.submit_modal(
                form, {**{FIELDS[p]: t for p, t in WORDS.items()}, FIELDS["feel"]: feel}
            ),
            user,
        )
        for form, user, feel in forms
    ]
    previews: list[tuple[Message, User]] = []
    for handle, user in submits:
        assert (await handle.response()).type == 7
        source = handle.record.source_message_id
        assert source is not None
        previews.append((driver.world.messages[source], user))
    for preview, user in previews:
        await send(driver, user, preview)
    [to_admin] = [m for m in driver.dms_to(world.admin) if "alice's feeling" in m.content + str(m.embeds)]
    [to_alice] = [m for m in driver.dms_to(world.alice) if "adam's" in m.content + str(m.embeds)]
    assert "adam's" not in to_admin.content + str(to_admin.embeds)
    assert "alice's feeling" not in to_alice.content + str(to_alice.embeds)
