"""Isolation of repair requests: only the sender may withdraw one, only the recipient may answer it."""

from __future__ import annotations

import copy

import pytest

from bot.clock import ManualClock
from bot.db.repos import blocks, repairs, schedules
from bot.db.repos.repairs import RepairStatus
from bot.fake_discord.driver import Driver
from bot.fake_discord.world import Message, User
from tests.e2e.conftest import BotRunner, StandardWorld
from tests.e2e.test_isolation_prompts_e2e import seen_by
from tests.e2e.test_reminders_e2e import reply_of
from tests.e2e.test_repair_e2e import NOW, WORDS, custom_id, requests_to, send, start, write

pytestmark = pytest.mark.e2e

# Words of Alice's statement that no bot text contains: seeing them means seeing her statement.
STATEMENT_MARKER = "lonely"
NOT_YOURS = "someone else's repair flow"


async def cancel_as(driver: Driver, world: StandardWorld, user: User, who: User | None) -> str:
    """Run /repair cancel as ``user`` (optionally naming ``who``) and return the private reply."""
    options = {} if who is None else {"who": who}
    return await reply_of(await driver.invoke_slash(world.general, user, "repair cancel", options))


async def test_only_the_sender_can_withdraw_and_others_see_nothing(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Bob (a bystander) and Adam (the recipient) get "nothing to withdraw"; the request stays sent."""
    world = standard_world
    bot = await bot_runner.start(clock=ManualClock(NOW))
    _, pause = await start(driver, world, world.alice, world.admin)
    assert pause is not None
    preview = await write(driver, world.alice, pause, WORDS)
    assert "Sent to" in await send(driver, world.alice, preview)
    [request_dm] = requests_to(driver, world.admin)
    sent = await repairs.latest_pending(bot.db, world.alice.id)
    assert sent is not None and sent.status is RepairStatus.SENT

    for user, who in ((world.bob, None), (world.bob, world.admin), (world.bob, world.alice)):
        assert "nothing to withdraw" in await cancel_as(driver, world, user, who)
    for who in (None, world.alice):
        assert "nothing to withdraw" in await cancel_as(driver, world, world.admin, who)
    await reply_of(await driver.invoke_slash(world.general, world.bob, "privacy export"))

    after = await repairs.get(bot.db, sent.id)
    assert after is not None and after.status is RepairStatus.SENT
    # Adam's copy keeps its statement and answer buttons: nobody else's cancel reached it.
    recipient_copy = driver.world.messages[request_dm.id]
    assert recipient_copy.edits == 0 and recipient_copy.custom_ids() == request_dm.custom_ids()
    assert STATEMENT_MARKER not in seen_by(driver, world.bob)
    assert STATEMENT_MARKER in seen_by(driver, world.admin)


async def press(driver: Driver, message: Message, prefix: str, user: User, suffix: str = "") -> str:
    """Press the button ``prefix...suffix`` on ``message`` as ``user``; return the private reply."""
    return await reply_of(await driver.click_button(message, custom_id(message, prefix, suffix), user=user))


async def test_buttons_pressed_by_the_wrong_person_change_nothing(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Bob pressing Alice's draft buttons or Adam's answer buttons is refused; nothing moves or is sent."""
    world = standard_world
    bot = await bot_runner.start(clock=ManualClock(NOW))
    _, pause = await start(driver, world, world.alice, world.admin)
    assert pause is not None
    # Alice's steps are ephemeral to her; public copies of their buttons stand in for forged presses.
    forged_pause = driver.seed_message(world.general, components=copy.deepcopy(pause.components))
    preview = await write(driver, world.alice, pause, WORDS)
    forged = driver.seed_message(world.general, components=copy.deepcopy(preview.components))
    draft = await repairs.latest_pending(bot.db, world.alice.id)
    assert draft is not None and draft.status is RepairStatus.DRAFT
    written = repairs.open_statement(draft, bot.cipher)
    refusals = [
        await press(driver, forged, "hearth:repair:send:", world.bob),
        await press(driver, forged, "hearth:repair:discard:", world.bob),
        await press(driver, forged_pause, "hearth:repair:pause:", world.bob, ":20"),
    ]
    opened = await driver.click_button(forged, custom_id(forged, "hearth:repair:write:"), user=world.bob)
    refusals.append(await reply_of(opened))
    assert opened.modal is None
    still = await repairs.get(bot.db, draft.id)
    assert still is not None and still.status is RepairStatus.DRAFT
    assert repairs.open_statement(still, bot.cipher) == written
    assert requests_to(driver, world.admin) == []
    assert await schedules.get_by_owner_key(bot.db, f"repair_pause:{draft.id}") is None

    assert "Sent to" in await send(driver, world.alice, preview)
    [request_dm] = requests_to(driver, world.admin)
    for answer in ("ready", "time", "later"):
        refusals.append(await press(driver, request_dm, "hearth:repair:answer:", world.bob, f":{answer}"))
    sent = await repairs.get(bot.db, draft.id)
    assert sent is not None and sent.status is RepairStatus.SENT and sent.answer is None
    assert [m for m in driver.dms_to(world.alice) if "hearth:block:" in "".join(m.custom_ids())] == []
    # Every refusal is the same kind "not yours" and holds none of the statement.
    assert all(NOT_YOURS in text and STATEMENT_MARKER not in text for text in refusals), refusals
    # Bob's press of "Stop messages" only ever touches Bob's own list, never Adam's.
    await press(driver, request_dm, "hearth:block:", world.bob)
    assert not await blocks.is_blocked(bot.db, world.admin.id, world.alice.id)
