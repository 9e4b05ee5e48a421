"""Pairs end to end: formed in a DM between people, the daily prompt by DM, answers revealed together."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.fake_discord import FakeDiscord
from bot.fake_discord.driver import Driver
from bot.fake_discord.interactions import InteractionHandle
from bot.fake_discord.models import Channel, Message, User
from tests.e2e.conftest import START_TIME, BotRunner

pytestmark = pytest.mark.e2e

# 20:00 in Berlin on START_TIME's day (UTC+1 in early March).
EVENING = datetime(2025, 3, 3, 19, 0, tzinfo=UTC)
ANSWER_FIELD = "hearth:pair-answer"
REVEAL_TITLE = "What you shared"


def custom_id(message: Message, prefix: str) -> str:
    """Return the one custom_id on ``message`` that starts with ``prefix``."""
    [found] = [c for c in message.custom_ids() if c.startswith(prefix)]
    return found


def prompt_dms(driver: Driver, user: User) -> list[Message]:
    """Return the daily prompt DMs ``user`` got (they carry the Answer button)."""
    return [
        m for m in driver.dms_to(user) if any(c.startswith("hearth:pair:answer:") for c in m.custom_ids())
    ]


def reveal_dms(driver: Driver, user: User) -> list[Message]:
    """Return the reveal DMs ``user`` got."""
    return [m for m in driver.dms_to(user) if m.embeds and m.embeds[0].get("title") == REVEAL_TITLE]


def shown_text(message: Message) -> str:
    """Return everything a message shows, as one text."""
    return message.content + json.dumps(message.embeds)


async def private_reply(handle: InteractionHandle) -> str:
    """Return an interaction's private reply (after a defer, its followup)."""
    response = await handle.response()
    assert response.ephemeral
    if response.type == 5:
        [followup] = await handle.wait_for_followups()
        return followup.content or ""
    return (response.content or "") + json.dumps(response.embeds)


async def form_pair(driver: Driver, channel: Channel, author: User, *others: User) -> Message:
    """Invite in ``channel`` at 20:00 Berlin time and have ``others`` press Join; return the card."""
    invite = await driver.invoke_slash(
        channel, author, "pair invite", {"time": "20:00", "timezone": "Europe/Berlin"}
    )
    response = await invite.response()
    assert not response.ephemeral, "the invitation is for everyone in the conversation"
    card = invite.original_message()
    assert card is not None
    for other in others:
        join = await driver.click_button(card, custom_id(card, "hearth:pair:join:"), user=other)
        assert (await join.response()).type == 7
        await join.wait_for_followups(1)
    return card


async def answer(driver: Driver, dm: Message, user: User, text: str) -> str:
    """Press Answer on a prompt and submit ``text``; return the private reply."""
    opened = await driver.click_button(dm, custom_id(dm, "hearth:pair:answer:"), user=user)
    assert (await opened.response()).type == 9
    return await private_reply(await driver.submit_modal(opened, {ANSWER_FIELD: text}))


async def test_pair_formed_by_invite_and_join_then_daily_prompt_and_reveal_across_a_restart(
    bot_runner: BotRunner, driver: Driver, fake_discord: FakeDiscord
) -> None:
    """A partner who never installed Hearth joins, sees the install link, and the pair works end to end."""
    ana = driver.add_user("ana", installed=True)
    ben = driver.add_user("ben")
    dm = driver.open_private_channel(ana, ben)
    clock = ManualClock(START_TIME)
    bot = await bot_runner.start(clock=clock)

    invite = await driver.invoke_slash(dm, ana, "pair invite", {"time": "20:00", "timezone": "Europe/Berlin"})
    assert not (await invite.response()).ephemeral
    card = invite.original_message()
    assert card is not None
    join_id = custom_id(card, "hearth:pair:join:")
    assert "20:00 (Europe/Berlin)" in shown_text(card)
    own = await driver.click_button(card, join_id, user=ana)
    assert "your own invitation" in await private_reply(own)

    join = await driver.click_button(card, join_id, user=ben)
    assert (await join.response()).type == 7
    [followup] = await join.wait_for_followups(1)
    assert followup.flags & 64
    assert "can't send you DMs yet" in (followup.content or "")
    links = [
        c["url"] for row in followup.data["components"] for c in row["components"] if c.get("style") == 5
    ]
    assert links == [
        f"https://discord.com/oauth2/authorize?client_id={driver.world.application.id}"
        "&integration_type=1&scope=applications.commands"
    ]
    assert f"<@{ana.id}>" in shown_text(card) and f"<@{ben.id}>" in shown_text(card)
    twice = await driver.click_button(card, join_id, user=ben)
    assert "already in this pair" in await private_reply(twice)
    # Hearth never posted in the conversation itself: everything there is an interaction's response.
    assert all(m.interaction_metadata is not None for m in driver.world.messages_in(dm.id))

    driver.install_app(ben)
    resume = await driver.invoke_slash(dm, ben, "pair resume")
    assert "I've sent you a DM" in await private_reply(resume)

    clock.set(EVENING - timedelta(minutes=1))
    await bot.schedule_engine.tick()
    assert prompt_dms(driver, ana) == prompt_dms(driver, ben) == []
    clock.set(EVENING)
    await bot.schedule_engine.tick()
    [ana_dm], [ben_dm] = prompt_dms(driver, ana), prompt_dms(driver, ben)
    assert ana_dm.embeds[0]["title"] == "Today's prompt for the two of you"
    assert ana_dm.embeds[0]["description"] == ben_dm.embeds[0]["description"]

    assert "Waiting for 1 more" in await answer(driver, ana_dm, ana, "The walk by the river.")
    bot = await bot_runner.restart()
    await bot.schedule_engine.tick()
    assert len(prompt_dms(driver, ana)) == len(prompt_dms(driver, ben)) == 1
    assert reveal_dms(driver, ana) == []
    assert "on their way" in await answer(driver, ben_dm, ben, "Your laugh at breakfast.")
    for member in (ana, ben):
        [reveal] = reveal_dms(driver, member)
        shown = shown_text(reveal)
        assert "The walk by the river." in shown and "Your laugh at breakfast." in shown

    # The next day, both forms open at once and are sent in the other order: one reveal each.
    clock.set(EVENING + timedelta(days=1))
    await bot.schedule_engine.tick()
    ana_dm, ben_dm = prompt_dms(driver, ana)[-1], prompt_dms(driver, ben)[-1]
    open_a = await driver.click_button(ana_dm, custom_id(ana_dm, "hearth:pair:answer:"), user=ana)
    open_b = await driver.click_button(ben_dm, custom_id(ben_dm, "hearth:pair:answer:"), user=ben)
    assert (await open_a.response()).type == (await open_b.response()).type == 9
    assert "Waiting for 1 more" in await private_reply(
        await driver.submit_modal(open_b, {ANSWER_FIELD: "B2"})
    )
    assert "on their way" in await private_reply(await driver.submit_modal(open_a, {ANSWER_FIELD: "A2"}))
    assert len(reveal_dms(driver, ana)) == len(reveal_dms(driver, ben)) == 2
    assert "A2" in shown_text(reveal_dms(driver, ben)[-1]) and "B2" in shown_text(reveal_dms(driver, ana)[-1])

    # A pass and an answer reveal the answer, and say who passed.
    clock.set(EVENING + timedelta(days=2))
    await bot.schedule_engine.tick()
    ana_dm, ben_dm = prompt_dms(driver, ana)[-1], prompt_dms(driver, ben)[-1]
    passed = await driver.click_button(ana_dm, custom_id(ana_dm, "hearth:pair:pass:"), user=ana)
    assert "passed today" in await private_reply(passed)
    assert "on their way" in await answer(driver, ben_dm, ben, "B3")
    last = shown_text(reveal_dms(driver, ana)[-1])
    assert "B3" in last and "Passed this time" in last


async def test_member_whose_dms_fail_is_told_and_answers_through_pair_today(
    bot_runner: BotRunner, driver: Driver
) -> None:
    """Uninstalling makes DMs fail with 50278; the next command says so and /pair today still works."""
    ana = driver.add_user("ana", installed=True)
    ben = driver.add_user("ben", installed=True)
    dm = driver.open_private_channel(ana, ben)
    clock = ManualClock(START_TIME)
    bot = await bot_runner.start(clock=clock)
    await form_pair(driver, dm, ana, ben)
    driver.uninstall_app(ben)
    clock.set(EVENING)
    await bot.schedule_engine.tick()
    assert len(prompt_dms(driver, ana)) == 1
    assert prompt_dms(driver, ben) == []
    ana_dm = prompt_dms(driver, ana)[0]
    passed = await driver.click_button(ana_dm, custom_id(ana_dm, "hearth:pair:pass:"), user=ana)
    assert "Waiting for 1 more" in await private_reply(passed)

    driver.install_app(ben)
    today = await driver.invoke_slash(dm, ben, "pair today")
    response = await today.response()
    assert response.ephemeral
    assert "You haven't answered yet" in (response.content or "")
    [notice] = await today.wait_for_followups(1)
    assert notice.flags & 64 and "pair today" in (notice.content or "")
    shown = today.original_message()
    assert shown is not None
    assert "on their way" in await answer(driver, shown, ben, "Thank you for the soup.")
    assert "Thank you for the soup." in shown_text(reveal_dms(driver, ana)[-1])
    # Ben's DMs are still refused: no DM was tried, and /pair today shows him the reveal instead.
    assert reveal_dms(driver, ben) == []
    again = await driver.invoke_slash(dm, ben, "pair today")
    assert "Thank you for the soup." in await private_reply(again)
    # Exporting in the shared DM stays private to Ben, and holds his pair and answer.
    export = await driver.invoke_slash(dm, ben, "privacy export")
    assert (await export.response()).ephemeral
    [sent] = await export.wait_for_followups(1)
    assert sent.flags & 64
    [upload] = sent.files
    assert b"Thank you for the soup." in upload.data and b'"pairs"' in upload.data


async def test_bad_invitations_and_joins_are_refused_kindly(
    bot_runner: BotRunner, driver: Driver, fake_discord: FakeDiscord
) -> None:
    """In a server, in the bot's DM, a seventh person, an old invitation: kind refusals, nothing changed."""
    people = [driver.add_user(f"p{n}", installed=True) for n in range(8)]
    guild = await driver.add_guild("Friends", owner=people[0], text_channels=("general",))
    general = driver.world.channels[guild.channel_ids[0]]
    clock = ManualClock(START_TIME)
    await bot_runner.start(clock=clock)

    in_server = await driver.invoke_slash(general, people[0], "pair invite")
    assert "Pairs live in DMs" in await private_reply(in_server)
    in_bot_dm = await driver.invoke_slash(driver.dm_channel(people[0]), people[0], "pair invite")
    assert "nobody here to invite" in await private_reply(in_bot_dm)

    group = driver.open_private_channel(*people[:7])
    card = await form_pair(driver, group, people[0], *people[1:6])
    seventh = await driver.click_button(card, custom_id(card, "hearth:pair:join:"), user=people[6])
    assert "6 people" in await private_reply(seventh)
    offered = await driver.invoke_autocomplete(group, people[0], "pair show", {"pair": ""}, focused="pair")
    await offered.response()
    [choice] = offered.choices or []
    assert choice["name"].startswith("Pair with ")
    show = await driver.invoke_slash(group, people[0], "pair show")
    assert shown_text_of(await show.response()).count("<@") == 6

    other = driver.open_private_channel(people[6], people[7])
    invite = await driver.invoke_slash(other, people[6], "pair invite")
    assert not (await invite.response()).ephemeral
    old_card = invite.original_message()
    assert old_card is not None
    clock.advance(timedelta(days=8))
    late = await driver.click_button(old_card, custom_id(old_card, "hearth:pair:join:"), user=people[7])
    assert "more than 7 days old" in await private_reply(late)
    alone = await driver.invoke_slash(other, people[7], "pair show")
    assert "not in a pair yet" in await private_reply(alone)


def shown_text_of(response: object) -> str:
    """Return the content and embeds of an initial response, as one text."""
    content = getattr(response, "content", None) or ""
    return content + json.dumps(getattr(response, "embeds", []))


async def test_gratitude_card_in_a_dm_between_people(bot_runner: BotRunner, driver: Driver) -> None:
    """The card is the interaction's own public response, pinging only the person thanked."""
    ana = driver.add_user("ana", installed=True)
    ben = driver.add_user("ben")
    dm = driver.open_private_channel(ana, ben)
    await bot_runner.start()
    sent = await driver.invoke_slash(
        dm, ana, "gratitude send", {"who": ben, "message": "Thank you for today"}
    )
    response = await sent.response()
    assert not response.ephemeral
    assert response.allowed_mentions == {"parse": [], "users": [ben.id]}
    assert f"<@{ben.id}>" in (response.content or "")
    assert "Thank you for today" in json.dumps(response.embeds)
    anonymous = await driver.invoke_slash(
        dm, ana, "gratitude send", {"who": ben, "message": "Thanks", "anonymous": True}
    )
    assert "can't be anonymous" in await private_reply(anonymous)
    to_self = await driver.invoke_slash(dm, ana, "gratitude send", {"who": ana, "message": "Me"})
    assert (await to_self.response()).ephemeral
