"""Gratitude repositories against a real SQLite file: config, cards, DM preference and rotation draws."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.db.database import Database, IntegrityError
from bot.db.repos import gratitude
from bot.db.repos.gratitude import DmStatus, GratitudeConfig

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
GUILD = 1
OTHER_GUILD = 2
WEEK = date(2026, 11, 29)


def config(**overrides: object) -> GratitudeConfig:
    values: dict[str, object] = {
        "guild_id": GUILD,
        "channel_id": 10,
        "digest_weekday": 6,
        "digest_time": "18:00",
        "timezone": "Europe/London",
        "rotation": False,
        "configured_by": 99,
    }
    values.update(overrides)
    return GratitudeConfig(**values)  # type: ignore[arg-type]


async def posted_card(
    db: Database,
    *,
    guild_id: int = GUILD,
    sender: int = 1,
    recipient: int = 2,
    at: datetime = NOW,
    **extra: object,
) -> gratitude.Card:
    card = await gratitude.add_card(
        db,
        guild_id=guild_id,
        channel_id=10,
        sender_id=sender,
        recipient_id=recipient,
        text="Thank you",
        anonymous=bool(extra.pop("anonymous", False)),
        now=at,
        **extra,  # type: ignore[arg-type]
    )
    posted = await gratitude.set_card_message(db, card.id, 1000 + card.id)
    assert posted is not None
    return posted


async def test_config_save_replace_and_get(db: Database) -> None:
    """A configuration is saved, replaced on a second save, and read back as stored."""
    assert await gratitude.get_config(db, GUILD) is None
    saved = await gratitude.save_config(db, config(), NOW)
    assert saved == config()
    replaced = await gratitude.save_config(db, config(channel_id=11, rotation=True, digest_weekday=0), NOW)
    assert replaced.channel_id == 11 and replaced.rotation and replaced.digest_weekday == 0
    assert await gratitude.get_config(db, GUILD) == replaced
    assert await gratitude.delete_config(db, GUILD)
    assert await gratitude.get_config(db, GUILD) is None


async def test_config_refuses_an_impossible_weekday(db: Database) -> None:
    """The database itself refuses a digest day outside Monday..Sunday."""
    with pytest.raises(IntegrityError):
        await gratitude.save_config(db, config(digest_weekday=7), NOW)


async def test_pending_cards_are_never_listed(db: Database) -> None:
    """A card whose message isn't out yet is neither recent, nor counted, nor found by number."""
    pending = await gratitude.add_card(
        db, guild_id=GUILD, channel_id=10, sender_id=1, recipient_id=2, text="hi", anonymous=False, now=NOW
    )
    assert not pending.posted
    assert await gratitude.recent_cards(db, GUILD) == []
    assert await gratitude.cards_between(db, GUILD, NOW - timedelta(days=1), NOW + timedelta(days=1)) == []
    assert await gratitude.get_card(db, GUILD, pending.id) is None
    posted = await gratitude.set_card_message(db, pending.id, 555)
    assert posted is not None and posted.posted
    assert await gratitude.get_card(db, GUILD, pending.id) == posted
    assert await gratitude.get_card_by_message(db, GUILD, 555) == posted


async def test_cards_stay_in_their_server(db: Database) -> None:
    """A card can't be read or listed from another server, by number or by message."""
    card = await posted_card(db)
    assert await gratitude.get_card(db, OTHER_GUILD, card.id) is None
    assert card.message_id is not None
    assert await gratitude.get_card_by_message(db, OTHER_GUILD, card.message_id) is None
    assert await gratitude.recent_cards(db, OTHER_GUILD) == []


async def test_recent_is_newest_first_and_limited(db: Database) -> None:
    """The recent list is the last ten posted cards, newest first."""
    cards = [await posted_card(db, at=NOW + timedelta(minutes=n)) for n in range(12)]
    recent = await gratitude.recent_cards(db, GUILD)
    assert [c.id for c in recent] == [c.id for c in reversed(cards)][:10]


async def test_cards_between_is_half_open(db: Database) -> None:
    """The digest's week includes its start and excludes its end, so weeks never share a card."""
    start, end = NOW, NOW + timedelta(days=7)
    before = await posted_card(db, at=start - timedelta(seconds=1))
    first = await posted_card(db, at=start)
    last = await posted_card(db, at=end - timedelta(seconds=1))
    after = await posted_card(db, at=end)
    assert [c.id for c in await gratitude.cards_between(db, GUILD, start, end)] == [first.id, last.id]
    assert before.id not in [c.id for c in await gratitude.cards_between(db, GUILD, start, end)]
    assert [c.id for c in await gratitude.cards_between(db, GUILD, end, end + timedelta(days=7))] == [
        after.id
    ]


async def test_card_keeps_its_source_and_anonymity(db: Database) -> None:
    """A card about a message keeps that message; an anonymous card keeps (but flags) its sender."""
    card = await posted_card(db, anonymous=True, source_channel_id=30, source_message_id=40)
    stored = await gratitude.get_card(db, GUILD, card.id)
    assert stored is not None
    assert stored.anonymous and stored.sender_id == 1
    assert (stored.source_channel_id, stored.source_message_id) == (30, 40)
    assert stored.created_at == NOW


async def test_delete_card(db: Database) -> None:
    """Deleting a card removes its record; a second delete reports nothing to delete."""
    card = await posted_card(db)
    assert await gratitude.delete_card(db, card.id)
    assert not await gratitude.delete_card(db, card.id)
    assert await gratitude.recent_cards(db, GUILD) == []


async def test_erase_user(db: Database) -> None:
    """Erasing someone deletes the cards they sent, keeps cards to them without their id, forgets them."""
    sent = await posted_card(db, sender=5, recipient=6)
    received = await posted_card(db, sender=6, recipient=5)
    await gratitude.set_notify(db, 5, True, NOW)
    await gratitude.save_draw(db, GUILD, WEEK, {5: 6, 6: 5}, NOW)
    assert {c.id for c in await gratitude.cards_for_user(db, 5)} == {sent.id, received.id}
    deleted = await gratitude.erase_user(db, 5)
    assert [c.id for c in deleted] == [sent.id]
    kept = await gratitude.get_card(db, GUILD, received.id)
    assert kept is not None and kept.recipient_id is None and kept.sender_id == 6
    assert await gratitude.cards_for_user(db, 5) == []
    assert not await gratitude.wants_notify(db, 5)
    assert await gratitude.get_draw(db, GUILD, WEEK) == []


async def test_delete_for_guild(db: Database) -> None:
    """A server's purge removes its cards, draws and configuration, and nothing of another server."""
    await gratitude.save_config(db, config(), NOW)
    await posted_card(db)
    other = await posted_card(db, guild_id=OTHER_GUILD)
    await gratitude.save_draw(db, GUILD, WEEK, {1: 2, 2: 1}, NOW)
    assert await gratitude.delete_for_guild(db, GUILD) == 1
    assert await gratitude.get_config(db, GUILD) is None
    assert await gratitude.get_draw(db, GUILD, WEEK) == []
    assert await gratitude.get_card(db, OTHER_GUILD, other.id) == other


async def test_notify_is_off_by_default(db: Database) -> None:
    """Nobody gets a DM until they turn it on; turning it on or off twice changes nothing more."""
    assert not await gratitude.wants_notify(db, 7)
    assert await gratitude.set_notify(db, 7, True, NOW)
    assert not await gratitude.set_notify(db, 7, True, NOW)
    assert await gratitude.wants_notify(db, 7)
    assert await gratitude.set_notify(db, 7, False, NOW)
    assert not await gratitude.set_notify(db, 7, False, NOW)
    assert not await gratitude.wants_notify(db, 7)


async def test_draw_is_stored_once(db: Database) -> None:
    """A week's draw is stored whole; saving another draw for the same week keeps the first."""
    first = await gratitude.save_draw(db, GUILD, WEEK, {1: 2, 2: 3, 3: 1}, NOW)
    assert {(d.giver_id, d.receiver_id) for d in first} == {(1, 2), (2, 3), (3, 1)}
    assert all(d.dm_status is None for d in first)
    second = await gratitude.save_draw(db, GUILD, WEEK, {1: 3, 3: 2, 2: 1}, NOW)
    assert second == first
    assert await gratitude.get_draw(db, OTHER_GUILD, WEEK) == []


async def test_draw_dm_status_and_previous_draw(db: Database) -> None:
    """Each giver's DM outcome is recorded; the previous week's draw is found for variety."""
    await gratitude.save_draw(db, GUILD, WEEK, {1: 2, 2: 1}, NOW)
    assert await gratitude.mark_draw_dm(db, GUILD, WEEK, 1, DmStatus.SENT)
    assert await gratitude.mark_draw_dm(db, GUILD, WEEK, 2, DmStatus.UNDELIVERABLE)
    assert not await gratitude.mark_draw_dm(db, GUILD, WEEK, 3, DmStatus.SENT)
    statuses = {d.giver_id: d.dm_status for d in await gratitude.get_draw(db, GUILD, WEEK)}
    assert statuses == {1: DmStatus.SENT, 2: DmStatus.UNDELIVERABLE}
    next_week = WEEK + timedelta(weeks=1)
    assert await gratitude.previous_draw(db, GUILD, WEEK) == {}
    assert await gratitude.previous_draw(db, GUILD, next_week) == {1: 2, 2: 1}


@pytest.mark.parametrize("assignment", [{1: 1, 2: 2}, {1: 2, 2: 2, 3: 1}])
async def test_draw_refuses_invalid_assignments(db: Database, assignment: dict[int, int]) -> None:
    """Nobody may draw themselves and nobody may be drawn twice; nothing is stored then."""
    with pytest.raises(ValueError, match="draw"):
        await gratitude.save_draw(db, GUILD, WEEK, assignment, NOW)
    assert await gratitude.get_draw(db, GUILD, WEEK) == []


async def test_draw_table_enforces_the_rules(db: Database) -> None:
    """The schema itself refuses a self-draw and a person drawn twice in one week."""
    insert = (
        "INSERT INTO gratitude_rotation_draws (guild_id, week, giver_id, receiver_id, drawn_at)"
        " VALUES (?, ?, ?, ?, 0)"
    )
    with pytest.raises(IntegrityError):
        await db.execute(insert, (GUILD, WEEK.isoformat(), 1, 1))
    await db.execute(insert, (GUILD, WEEK.isoformat(), 1, 2))
    with pytest.raises(IntegrityError):
        await db.execute(insert, (GUILD, WEEK.isoformat(), 3, 2))
