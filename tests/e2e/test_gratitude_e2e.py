"""Gratitude end to end: cards, refusals, context menus, anonymity, the digest and the rotation."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.app import HearthBot
from bot.clock import ManualClock
from bot.db.repos import gratitude, schedules, users
from bot.db.repos.gratitude import DmStatus
from bot.fake_discord import FakeDiscord, P
from bot.fake_discord.driver import Driver
from bot.fake_discord.interactions import InitialResponse, InteractionHandle, WebhookCall
from bot.fake_discord.world import Channel, Message, User
from bot.gratitude.rotation import is_derangement
from bot.gratitude.weekly import deliver_rotation, rotation_owner_key
from bot.schedule.engine import Occurrence
from cogs.gratitude import ANONYMOUS_FIELD_ID, MESSAGE_MENU, TEXT_FIELD_ID, USER_MENU
from tests.e2e.conftest import BotRunner, StandardWorld

pytestmark = pytest.mark.e2e

MONDAY = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CARD_TITLE = "A thank-you"


async def add_gratitude_channel(driver: Driver, world: StandardWorld) -> Channel:
    """Add #gratitude to the standard world (before the bot starts)."""
    return await driver.add_channel(world.guild, "gratitude")


async def reply_of(handle: InteractionHandle) -> str:
    """Return the text of an ephemeral reply, whether it came at once or after a defer."""
    response = await handle.response()
    assert response.ephemeral, response
    if response.type == 5:
        [followup] = await handle.wait_for_followups()
        assert followup.flags & 64
        return followup.content or json.dumps(followup.embeds)
    return response.content or json.dumps(response.embeds)


async def setup_gratitude(
    driver: Driver, world: StandardWorld, channel: Channel, **options: Any
) -> InitialResponse:
    """Run /setup gratitude as the admin and return its (ephemeral) response."""
    handle = await driver.invoke_slash(
        world.general, world.admin, "setup gratitude", {"channel": channel, **options}
    )
    response = await handle.response()
    assert response.ephemeral
    assert "Gratitude is set up" in json.dumps(response.embeds), response
    return response


async def send_card(
    driver: Driver, channel: Channel, sender: User, who: User, message: str, **options: Any
) -> tuple[InitialResponse, list[WebhookCall]]:
    """Run /gratitude send and return its initial response and followups."""
    handle = await driver.invoke_slash(
        channel, sender, "gratitude send", {"who": who, "message": message, **options}
    )
    response = await handle.response()
    followups = await handle.wait_for_followups() if response.type == 5 else []
    return response, followups


def cards_in(driver: Driver, channel: Channel) -> list[Message]:
    """Return the gratitude cards in a channel."""
    return [m for m in driver.messages_in(channel) if m.embeds and m.embeds[0].get("title") == CARD_TITLE]


def digests_in(driver: Driver, channel: Channel) -> list[Message]:
    """Return the weekly digests in a channel."""
    return [
        m
        for m in driver.messages_in(channel)
        if m.embeds and m.embeds[0].get("title") == "This week in gratitude"
    ]


def public_text(driver: Driver) -> str:
    """Return everything in every non-ephemeral message, including interaction metadata."""
    return "\n".join(
        json.dumps(driver.world.message_payload(m)) for m in driver.world.messages.values() if not m.ephemeral
    )


async def test_card_pings_only_the_recipient(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """A card whose text says @everyone, @here and a role pings only its recipient; the sender gets a link."""
    world = standard_world
    channel = await add_gratitude_channel(driver, world)
    role = await driver.add_role(world.guild, "Moderators", mentionable=True)
    # Even with Mention Everyone the bot may not ping anyone the card isn't for.
    await driver.set_bot_permissions(
        world.guild, int(P.VIEW_CHANNEL | P.SEND_MESSAGES | P.EMBED_LINKS | P.MENTION_EVERYONE)
    )
    await bot_runner.start(clock=ManualClock(MONDAY))
    await setup_gratitude(driver, world, channel)
    text = f"Thank you @everyone and @here, and <@&{role.id}>: you made this week lighter."
    response, [followup] = await send_card(driver, world.general, world.alice, world.bob, text)
    assert response.ephemeral and followup.flags & 64
    [card] = cards_in(driver, channel)
    assert card.author_id == driver.bot_user.id
    assert card.mentions == [world.bob.id]
    assert card.mention_roles == []
    assert card.mention_everyone is False
    assert card.allowed_mentions is not None
    assert card.allowed_mentions.get("parse") == []
    assert [int(u) for u in card.allowed_mentions.get("users", [])] == [world.bob.id]
    assert not card.allowed_mentions.get("roles")
    embed = card.embeds[0]
    assert embed["description"] == text
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields == {"For": f"<@{world.bob.id}>", "From": f"<@{world.alice.id}>"}
    assert embed.get("timestamp")
    link = f"https://discord.com/channels/{world.guild.id}/{channel.id}/{card.id}"
    assert link in (followup.content or "")
    assert driver.messages_in(world.general) == []


async def test_each_refusal_is_kind_and_ephemeral(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """No channel, a bot, yourself, a non-member, an empty or overlong message: refused, nothing posted."""
    world = standard_world
    channel = await add_gratitude_channel(driver, world)
    stranger = driver.add_user("stranger")
    bot = await bot_runner.start(clock=ManualClock(MONDAY))
    directory_mention = "setup gratitude"

    no_channel = await driver.invoke_slash(
        world.general, world.alice, "gratitude send", {"who": world.bob, "message": "Thanks!"}
    )
    text = await reply_of(no_channel)
    assert "doesn't have a gratitude channel" in text and directory_mention in text

    await setup_gratitude(driver, world, channel)
    cases = [
        (driver.bot_user, "Thanks, bot!", "Bots can't receive thank-yous"),
        (world.alice, "Thanks, me!", "for thanking someone else"),
        (stranger, "Thanks, stranger!", "isn't one right now"),
        (world.bob, "   \u200b  ", "needs a few words"),
    ]
    for who, message, expected in cases:
        handle = await driver.invoke_slash(
            world.general, world.alice, "gratitude send", {"who": who, "message": message}
        )
        assert expected in await reply_of(handle)

    # Discord's client stops a message over 1000 characters; the bot checks again for a client that doesn't.
    opened = await driver.invoke_user_context_menu(world.general, world.alice, USER_MENU, world.bob)
    await opened.response()
    assert opened.modal is not None
    label, checkbox = opened.modal["components"]
    text_input = dict(label["component"])
    components = [
        {
            "type": 18,
            "id": label.get("id"),
            "component": {"type": 4, "custom_id": TEXT_FIELD_ID, "value": "x" * 1001},
        },
        {
            "type": 18,
            "id": checkbox.get("id"),
            "component": {"type": 23, "custom_id": ANONYMOUS_FIELD_ID, "value": False},
        },
    ]
    assert text_input["max_length"] == 1000
    submitted = await driver.submit_modal_raw(
        world.general, world.alice, opened.modal["custom_id"], components
    )
    text = await reply_of(submitted)
    assert "at most 1000 characters" in text and "1001" in text

    assert cards_in(driver, channel) == []
    assert await gratitude.recent_cards(bot.db, world.guild.id) == []


async def test_both_context_menus_post_cards(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """The user menu opens the form for a person; the message menu links the card to the message."""
    world = standard_world
    channel = await add_gratitude_channel(driver, world)
    bob_message = driver.seed_message(world.general, author=world.bob, content="I fixed the sink, finally")
    bot_message = driver.seed_message(world.general, content="A message from Hearth")
    await bot_runner.start(clock=ManualClock(MONDAY))
    await setup_gratitude(driver, world, channel)

    opened = await driver.invoke_user_context_menu(world.general, world.alice, USER_MENU, world.bob)
    await opened.response()
    assert opened.modal is not None and opened.modal["title"] == f"A thank-you for {world.bob.global_name}"
    submitted = await driver.submit_modal(opened, {TEXT_FIELD_ID: "Thank you for dinner on Sunday."})
    assert "Your thank-you is posted" in await reply_of(submitted)

    opened = await driver.invoke_message_context_menu(world.general, world.alice, MESSAGE_MENU, bob_message)
    await opened.response()
    assert opened.modal is not None
    submitted = await driver.submit_modal(opened, {TEXT_FIELD_ID: "No more dripping. Thank you!"})
    assert "Your thank-you is posted" in await reply_of(submitted)

    first, second = cards_in(driver, channel)
    assert first.embeds[0]["description"] == "Thank you for dinner on Sunday."
    assert first.mentions == [world.bob.id]
    assert second.embeds[0]["description"] == "No more dripping. Thank you!"
    assert second.mentions == [world.bob.id]
    source = f"https://discord.com/channels/{world.guild.id}/{world.general.id}/{bob_message.id}"
    assert source in json.dumps(second.embeds)
    # Only the link: the message's words may come from a channel not everyone can read.
    assert "sink" not in json.dumps(second.embeds)

    own = await driver.invoke_message_context_menu(world.general, world.bob, MESSAGE_MENU, bob_message)
    assert "for thanking someone else" in await reply_of(own)
    bots = await driver.invoke_message_context_menu(world.general, world.alice, MESSAGE_MENU, bot_message)
    assert "Bots can't receive thank-yous" in await reply_of(bots)
    assert len(cards_in(driver, channel)) == 2


async def test_anonymous_card_leaves_no_trace_of_its_sender(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Anonymous cards (slash or form) never show the sender: not in the channel, recent list or digest."""
    world = standard_world
    channel = await add_gratitude_channel(driver, world)
    clock = ManualClock(MONDAY)
    bot = await bot_runner.start(clock=clock)
    await setup_gratitude(driver, world, channel)
    response, [followup] = await send_card(
        driver, channel, world.alice, world.bob, "You always make space for me.", anonymous=True
    )
    assert response.ephemeral and followup.flags & 64
    assert "anonymous" in (followup.content or "")
    opened = await driver.invoke_user_context_menu(world.general, world.alice, USER_MENU, world.admin)
    await opened.response()
    submitted = await driver.submit_modal(
        opened, {TEXT_FIELD_ID: "Quietly grateful.", ANONYMOUS_FIELD_ID: True}
    )
    assert "anonymous" in await reply_of(submitted)

    cards = cards_in(driver, channel)
    assert len(cards) == 2
    for card in cards:
        fields = {f["name"]: f["value"] for f in card.embeds[0]["fields"]}
        assert fields["From"] == "Someone who chose to stay anonymous"
        assert card.interaction_metadata is None and card.interaction is None
    recent = await driver.invoke_slash(world.general, world.bob, "gratitude recent")
    assert "make space" in await reply_of(recent)
    clock.set(datetime(2026, 11, 29, 18, 0, tzinfo=UTC))
    await bot.schedule_engine.tick()
    [digest] = digests_in(driver, channel)
    assert "Quietly grateful." in json.dumps(digest.embeds)
    shown = public_text(driver)
    assert str(world.alice.id) not in shown
    assert "alice" not in shown.lower()


async def test_digest_posted_once_on_the_local_day_with_the_right_numbers(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Friday 02:00 in Kolkata is Thursday 20:30 UTC: the digest comes then, once, counting that week only."""
    world = standard_world
    channel = await add_gratitude_channel(driver, world)
    clock = ManualClock(datetime(2026, 11, 19, 12, 0, tzinfo=UTC))
    bot = await bot_runner.start(clock=clock)
    await setup_gratitude(driver, world, channel, digest_day=4, digest_time="02:00", timezone="Asia/Kolkata")
    await send_card(driver, world.general, world.alice, world.bob, "From last week.")
    clock.set(datetime(2026, 11, 19, 20, 29, tzinfo=UTC))
    await bot.schedule_engine.tick()
    assert digests_in(driver, channel) == []
    clock.advance(timedelta(minutes=1))
    await bot.schedule_engine.tick()
    [first] = digests_in(driver, channel)
    assert "One thank-you was shared this week." in first.embeds[0]["description"]

    clock.set(MONDAY)
    await send_card(driver, world.general, world.alice, world.bob, "Thanks for the soup.")
    await send_card(
        driver, world.general, world.owner, world.alice, "You make this place warm.", anonymous=True
    )
    await send_card(driver, world.general, world.bob, world.admin, "Thanks for fixing the bike.")
    await send_card(driver, world.general, world.admin, world.owner, "This one is removed.")
    removed = cards_in(driver, channel)[-1]
    remove = await driver.invoke_slash(
        world.general,
        world.owner,
        "gratitude-remove",
        {"card": f"https://discord.com/channels/{world.guild.id}/{channel.id}/{removed.id}"},
    )
    assert "was removed" in await reply_of(remove)

    clock.set(datetime(2026, 11, 26, 20, 29, tzinfo=UTC))
    await bot.schedule_engine.tick()
    assert len(digests_in(driver, channel)) == 1
    clock.advance(timedelta(minutes=1))
    await bot.schedule_engine.tick()
    await bot.schedule_engine.tick()
    bot = await bot_runner.restart()
    clock.advance(timedelta(hours=2))
    await bot.schedule_engine.tick()
    digests = digests_in(driver, channel)
    assert len(digests) == 2
    second = digests[1]
    assert second.mentions == [] and not second.mention_everyone
    description = second.embeds[0]["description"]
    # alice, bob and adam: the anonymous sender (olivia) is not counted, and the removed card is gone.
    assert "3 thank-yous were shared this week, between 3 people." in description
    for text in ("Thanks for the soup.", "You make this place warm.", "Thanks for fixing the bike."):
        assert text in description
    assert "removed" not in description and "last week" not in description
    assert str(world.owner.id) not in json.dumps(second.embeds)
    assert f"— for <@{world.alice.id}>, from someone" in description


async def test_remove_needs_manage_messages_and_deletes_record_and_message(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """A member can't remove a card; someone with Manage Messages removes it (message and record)."""
    world = standard_world
    channel = await add_gratitude_channel(driver, world)
    bot = await bot_runner.start(clock=ManualClock(MONDAY))
    await setup_gratitude(driver, world, channel)
    await send_card(driver, world.general, world.alice, world.bob, "Thanks for the lift.")
    await send_card(driver, world.general, world.bob, world.alice, "Thanks for the coffee.")
    first, second = cards_in(driver, channel)
    [newest, oldest] = await gratitude.recent_cards(bot.db, world.guild.id)

    # Discord hides the command from people without Manage Messages unless an admin changed that:
    # the run-time check still refuses them.
    refused = await driver.invoke_slash(
        world.general, world.alice, "gratitude-remove", {"card": str(oldest.id)}, enforce_permissions=False
    )
    assert "Manage Messages" in await reply_of(refused)
    assert len(cards_in(driver, channel)) == 2

    suggest = await driver.invoke_autocomplete(
        world.general, world.owner, "gratitude-remove", {"card": "lift"}, focused="card"
    )
    await suggest.response()
    assert suggest.choices is not None
    assert [c["value"] for c in suggest.choices] == [str(oldest.id)]

    removed = await driver.invoke_slash(
        world.general, world.owner, "gratitude-remove", {"card": f"#{oldest.id}"}
    )
    assert f"Card #{oldest.id} was removed" in await reply_of(removed)
    assert cards_in(driver, channel) == [second]
    assert first.deleted
    assert await gratitude.get_card(bot.db, world.guild.id, oldest.id) is None
    again = await driver.invoke_slash(
        world.general, world.owner, "gratitude-remove", {"card": str(oldest.id)}
    )
    assert "couldn't find that card" in await reply_of(again)
    nonsense = await driver.invoke_slash(
        world.general, world.owner, "gratitude-remove", {"card": "the nice one"}
    )
    assert "couldn't tell which card" in await reply_of(nonsense)
    assert [c.id for c in await gratitude.recent_cards(bot.db, world.guild.id)] == [newest.id]


async def test_recent_lists_the_last_ten_cards(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """/gratitude recent shows the server's ten latest cards, privately."""
    world = standard_world
    channel = await add_gratitude_channel(driver, world)
    clock = ManualClock(MONDAY)
    await bot_runner.start(clock=clock)
    empty = await driver.invoke_slash(world.general, world.bob, "gratitude recent")
    assert "No thank-yous here yet" in await reply_of(empty)
    await setup_gratitude(driver, world, channel)
    for number in range(12):
        clock.advance(timedelta(minutes=1))
        await send_card(driver, world.general, world.alice, world.bob, f"Thank-you number {number:02d}.")
    handle = await driver.invoke_slash(world.general, world.bob, "gratitude recent")
    shown = await reply_of(handle)
    assert shown.count("Thank-you number") == 10
    assert "number 11" in shown and "number 02" in shown and "number 01" not in shown


async def test_notify_dm_is_opt_in_with_a_test_message(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, fake_discord: FakeDiscord
) -> None:
    """No DM by default; /gratitude notify on sends a test DM, then each card brings a DM with its link."""
    world = standard_world
    channel = await add_gratitude_channel(driver, world)
    bot = await bot_runner.start(clock=ManualClock(MONDAY))
    await setup_gratitude(driver, world, channel)
    await send_card(driver, world.general, world.bob, world.alice, "Thanks for the walk.")
    assert driver.dms_to(world.alice) == []

    on = await driver.invoke_slash(world.general, world.alice, "gratitude notify on")
    assert "I'll send you a short DM" in await reply_of(on)
    [test_dm] = driver.dms_to(world.alice)
    assert "From now on" in test_dm.content
    await send_card(driver, world.general, world.bob, world.alice, "Thanks for the tea.")
    [_, notice] = driver.dms_to(world.alice)
    [card] = cards_in(driver, channel)[-1:]
    assert "Someone thanked you in **Hearth Test**" in notice.content
    assert f"/{card.id}" in notice.content
    assert "tea" not in notice.content

    closed = await driver.invoke_slash(world.general, world.bob, "gratitude notify on")
    assert "couldn't send you a DM" in await reply_of(closed)
    # Told right here, so bob's next command carries no second notice about the refused DM.
    record = await users.get(bot.db, world.bob.id)
    assert record is not None and record.dm_undeliverable_since is not None
    assert not record.dm_notice_pending
    forbidden = [r for r in fake_discord.requests if r.status == 403]
    await send_card(driver, world.general, world.alice, world.bob, "Thanks anyway.")
    assert [r for r in fake_discord.requests if r.status == 403] == forbidden

    off = await driver.invoke_slash(world.general, world.alice, "gratitude notify off")
    assert "no more DMs" in await reply_of(off)
    await send_card(driver, world.general, world.bob, world.alice, "Thanks again.")
    assert len(driver.dms_to(world.alice)) == 2


async def test_setup_checks_permissions_and_admins(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """/setup gratitude names a missing permission, refuses non-admins, and rejects a bad time."""
    world = standard_world
    await bot_runner.start(clock=ManualClock(MONDAY))
    locked = await driver.invoke_slash(
        world.general, world.admin, "setup gratitude", {"channel": world.locked}
    )
    text = await reply_of(locked)
    assert "**Send Messages**" in text and "Nothing was changed" in text
    member = await driver.invoke_slash(
        world.general, world.alice, "setup gratitude", {"channel": world.general}, enforce_permissions=False
    )
    assert "Manage Server" in await reply_of(member)
    bad = await driver.invoke_slash(
        world.general, world.admin, "setup gratitude", {"channel": world.general, "digest_time": "7"}
    )
    assert "Nothing was changed" in await reply_of(bad)
    card = await driver.invoke_slash(
        world.general, world.alice, "gratitude send", {"who": world.bob, "message": "Thanks!"}
    )
    assert "doesn't have a gratitude channel" in await reply_of(card)


async def test_rotation_gives_everyone_someone_and_never_redraws(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """Each circle member is DMed one other member; a restart or a re-run sends nothing new."""
    world = standard_world
    channel = await add_gratitude_channel(driver, world)
    clock = ManualClock(MONDAY)
    bot: HearthBot = await bot_runner.start(clock=clock)
    for user in (world.alice, world.bob, world.admin):
        joined = await driver.invoke_slash(world.general, user, "circle join")
        await joined.response()
    await setup_gratitude(
        driver, world, channel, rotation=True, digest_day=0, digest_time="18:00", timezone="UTC"
    )
    clock.set(datetime(2026, 11, 30, 18, 0, tzinfo=UTC))
    await bot.schedule_engine.tick()
    week = date(2026, 11, 30)
    draws = await gratitude.get_draw(bot.db, world.guild.id, week)
    assignment = {d.giver_id: d.receiver_id for d in draws}
    assert is_derangement({world.alice.id, world.bob.id, world.admin.id}, assignment)
    names = {user.id: user.global_name or user.username for user in (world.alice, world.bob, world.admin)}
    for user in (world.alice, world.admin):
        [dm] = driver.dms_to(user)
        assert f"appreciate **{names[assignment[user.id]]}**" in dm.content
    statuses = {d.giver_id: d.dm_status for d in draws}
    assert statuses[world.bob.id] is DmStatus.UNDELIVERABLE  # bob's DMs are closed
    assert statuses[world.alice.id] is DmStatus.SENT

    bot = await bot_runner.restart()
    await bot.schedule_engine.tick()
    schedule = await schedules.get_by_owner_key(bot.db, rotation_owner_key(world.guild.id))
    assert schedule is not None
    due = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
    again = Occurrence(schedule=schedule, key="again", local_date=week, due_at=due, late_by=timedelta(0))
    await deliver_rotation(bot, again)
    assert await gratitude.get_draw(bot.db, world.guild.id, week) == draws
    assert len(driver.dms_to(world.alice)) == 1 and len(driver.dms_to(world.admin)) == 1
    # Cards stay the member's choice: the rotation posts nothing anywhere.
    assert cards_in(driver, channel) == []


async def test_setup_defaults_and_keeps_earlier_choices(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """The digest uses the prompts' timezone by default, and options left out keep their earlier value."""
    world = standard_world
    channel = await add_gratitude_channel(driver, world)
    await bot_runner.start(clock=ManualClock(MONDAY))
    prompts = await driver.invoke_slash(
        world.general,
        world.admin,
        "setup prompts",
        {"channel": world.general, "time": "09:00", "timezone": "America/Chicago"},
    )
    await prompts.response()
    first = await setup_gratitude(driver, world, channel)
    assert "Every Sunday at 18:00 (America/Chicago)" in json.dumps(first.embeds)
    assert "Off" in json.dumps(first.embeds)
    await setup_gratitude(
        driver, world, channel, digest_day=4, digest_time="7:05", timezone="Asia/Kolkata", rotation=True
    )
    again = await setup_gratitude(driver, world, channel)
    shown = json.dumps(again.embeds)
    assert "Every Friday at 07:05 (Asia/Kolkata)" in shown
    assert "everyone in the circle gets one person to appreciate" in shown
