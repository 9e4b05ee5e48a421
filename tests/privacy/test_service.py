"""Export, erasure, server purge and retention over the privacy registry."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.checkins import privacy as checkins_privacy
from bot.crypto import DataCipher, decode_key, generate_key
from bot.db.database import Database
from bot.db.repos import privacy, schedules, users
from bot.db.timestamps import to_unix
from bot.privacy import catalog, foundation, service
from bot.privacy.registry import (
    Counts,
    ErasureContext,
    ExportData,
    PrivacyAggregate,
    RetainedTable,
    SealedColumn,
)
from bot.privacy.sealed import SEALED_COLUMNS
from bot.schedule.recurrence import Recurrence
from tests.privacy.conftest import NOTES, NOTES_RETAINED, add_notes, read_notes

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
# The foundation's own aggregates: features add theirs to the catalog and test them themselves.
FOUNDATION = (foundation.SCHEDULES, foundation.PRIVACY_SETTINGS, foundation.USERS)
ALICE, BOB = 101, 202
GUILD, OTHER_GUILD = 9001, 9002


def notes_aggregate() -> PrivacyAggregate:
    """A feature-like aggregate over test_notes, registered the way a feature would."""

    async def export(db: Database, cipher: DataCipher, user_id: int) -> ExportData:
        rows = await db.fetch_all("SELECT id, note FROM test_notes WHERE user_id = ? ORDER BY id", (user_id,))
        return {"notes": [cipher.open_optional(r["note"], NOTES.context(int(r["id"]))) for r in rows]}

    async def delete(db: Database, user_id: int, context: ErasureContext) -> Counts:
        return {"notes": await db.execute("DELETE FROM test_notes WHERE user_id = ?", (user_id,))}

    return PrivacyAggregate("notes", export_user=export, delete_user=delete)


async def seed_foundation(db: Database) -> None:
    """Give Alice a profile, a retention choice and a schedule; give Bob a schedule; one guild schedule."""
    await users.set_timezone(db, ALICE, "Europe/Paris", NOW)
    await privacy.set_retention(db, ALICE, 90, NOW)
    rule = Recurrence("Europe/Paris", time(20, 0), frozenset({0, 2}))
    for owner, user_id, guild_id in (("a", ALICE, None), ("b", BOB, None), ("g", None, GUILD)):
        await schedules.upsert_recurring(
            db, kind="test", owner_key=owner, rule=rule, now=NOW, user_id=user_id, guild_id=guild_id
        )


async def test_export_collects_every_aggregate_as_json(notes_db: Database) -> None:
    """The export holds the profile, schedules, retention and a feature's opened private text."""
    cipher = DataCipher(decode_key(generate_key()))
    await seed_foundation(notes_db)
    await add_notes(notes_db, cipher, [(ALICE, "a note", 0), (BOB, "not alice's", 0)])
    aggregates = (*FOUNDATION, notes_aggregate())
    document = await service.export_user(notes_db, cipher, ALICE, NOW, aggregates)
    parsed = json.loads(service.export_bytes(document))
    assert parsed["format"] == "hearth-export" and parsed["version"] == 1
    assert parsed["user_id"] == str(ALICE)
    assert parsed["exported_at"] == "2025-03-03T09:00:00Z"
    data = parsed["data"]
    assert data["profile"]["timezone"] == "Europe/Paris"
    assert data["privacy_settings"] == {"retention_days": 90}
    [schedule] = data["schedules"]["items"]
    assert schedule["kind"] == "test" and schedule["local_time"] == "20:00" and schedule["weekdays"] == [0, 2]
    assert data["notes"] == {"notes": ["a note"]}


async def test_export_of_a_stranger_is_empty(db: Database) -> None:
    """Someone Hearth never met gets empty sections, not an error."""
    document = await service.export_user(db, DataCipher(None), 5, NOW, FOUNDATION)
    assert document["data"] == {"schedules": {}, "privacy_settings": {}, "profile": {}}


async def test_delete_erases_only_that_person_and_counts(notes_db: Database) -> None:
    """Erasure removes the person's rows everywhere, leaves others', and reports numbers."""
    cipher = DataCipher(None)
    await seed_foundation(notes_db)
    await add_notes(notes_db, cipher, [(ALICE, "x", 0), (ALICE, "y", 0), (BOB, "z", 0)])
    context = ErasureContext(client=None, cipher=cipher, now=NOW)
    counts = await service.delete_user(notes_db, ALICE, context, (*FOUNDATION, notes_aggregate()))
    assert counts == {"schedules": 1, "privacy_settings": 1, "profile": 1, "notes": 2}
    assert await users.get(notes_db, ALICE) is None
    assert await privacy.get_retention(notes_db, ALICE) is None
    assert await schedules.get_by_owner_key(notes_db, "a") is None
    assert await schedules.get_by_owner_key(notes_db, "b") is not None
    assert await read_notes(notes_db, cipher) == ["z"]
    again = await service.delete_user(notes_db, ALICE, context, (*FOUNDATION, notes_aggregate()))
    assert sum(again.values()) == 0


async def test_purge_waits_for_the_grace_period(db: Database) -> None:
    """A departed server's data stays until the grace period has passed, then goes with its mark."""
    await seed_foundation(db)
    await privacy.mark_departed(db, GUILD, NOW)
    grace = timedelta(days=30)
    early = await service.purge_departed_guilds(
        db, NOW + timedelta(days=29, hours=23), grace, FOUNDATION, is_present=lambda _: False
    )
    assert early == []
    assert await schedules.get_by_owner_key(db, "g") is not None
    purged = await service.purge_departed_guilds(
        db, NOW + grace, grace, FOUNDATION, is_present=lambda _: False
    )
    assert purged == [GUILD]
    assert await schedules.get_by_owner_key(db, "g") is None
    assert await schedules.get_by_owner_key(db, "a") is not None
    assert await privacy.get_departed(db, GUILD) is None


async def test_purge_skips_a_server_the_bot_is_back_in(db: Database) -> None:
    """A server re-added while the bot was offline loses its mark, not its data."""
    await seed_foundation(db)
    await privacy.mark_departed(db, GUILD, NOW)
    purged = await service.purge_departed_guilds(
        db, NOW + timedelta(days=40), timedelta(days=30), FOUNDATION, is_present=lambda g: g == GUILD
    )
    assert purged == []
    assert await schedules.get_by_owner_key(db, "g") is not None
    assert await privacy.get_departed(db, GUILD) is None


async def test_rejoin_clears_the_mark_and_a_second_leave_restarts_nothing(db: Database) -> None:
    """Marking keeps the first leave time; clearing reports whether there was a mark."""
    await privacy.mark_departed(db, GUILD, NOW)
    await privacy.mark_departed(db, GUILD, NOW + timedelta(days=3))
    departed = await privacy.get_departed(db, GUILD)
    assert departed is not None and departed.left_at == NOW
    assert await privacy.clear_departed(db, GUILD)
    assert not await privacy.clear_departed(db, GUILD)
    assert not await privacy.clear_departed(db, OTHER_GUILD)


async def test_retention_expires_rows_by_each_persons_choice(notes_db: Database) -> None:
    """Rows older than their owner's period go; 'forever' keeps everything; no choice uses the default."""
    cipher = DataCipher(None)
    carol = 303
    await privacy.set_retention(notes_db, ALICE, 30, NOW)
    await privacy.set_retention(notes_db, BOB, 0, NOW)
    ages = (10, 40, 100, 400)
    await add_notes(
        notes_db,
        cipher,
        [
            (who, f"{who}-{age}", to_unix(NOW - timedelta(days=age)))
            for who in (ALICE, BOB, carol)
            for age in ages
        ],
    )
    removed = await service.expire_retained(notes_db, NOW, 90, [NOTES_RETAINED])
    assert removed == 3 + 0 + 2
    left = await read_notes(notes_db, cipher)
    assert left == [f"{ALICE}-10", *(f"{BOB}-{age}" for age in ages), f"{carol}-10", f"{carol}-40"]


async def test_retention_default_forever_keeps_everything(notes_db: Database) -> None:
    """With a default of 0 and no choices, nothing expires."""
    await add_notes(notes_db, DataCipher(None), [(ALICE, "old", to_unix(NOW - timedelta(days=3000)))])
    assert await service.expire_retained(notes_db, NOW, 0, [NOTES_RETAINED]) == 0


async def test_set_retention_refuses_unknown_periods(db: Database) -> None:
    """Only the offered periods can be stored."""
    with pytest.raises(ValueError, match="retention"):
        await privacy.set_retention(db, ALICE, 7, NOW)


def test_registry_refuses_unsafe_identifiers() -> None:
    """Names interpolated into SQL must be plain identifiers."""
    with pytest.raises(ValueError, match="identifier"):
        SealedColumn("notes; DROP TABLE users", "note", ("id",))
    with pytest.raises(ValueError, match="identifier"):
        RetainedTable("checkins", "user_id", "created_at --")
    with pytest.raises(ValueError, match="primary key"):
        SealedColumn("notes", "note", ())
    with pytest.raises(ValueError, match="keyed by"):
        NOTES.context(1, 2)


def test_catalog_names_are_unique() -> None:
    """Each aggregate has its own section in the export."""
    names = [aggregate.name for aggregate in catalog.AGGREGATES]
    assert len(names) == len(set(names))
    assert all(aggregate in catalog.AGGREGATES for aggregate in FOUNDATION)


def test_catalog_registers_each_feature() -> None:
    """Every feature with private data is in the catalog, and features erase before the foundation."""
    assert checkins_privacy.NOTE_COLUMN in SEALED_COLUMNS
    assert checkins_privacy.RETAINED_CHECKINS in catalog.RETAINED
    names = [aggregate.name for aggregate in catalog.AGGREGATES]
    first_foundation = min(names.index(aggregate.name) for aggregate in FOUNDATION)
    for feature in ("checkins", "prompts", "reminders", "repair", "blocks", "gratitude"):
        assert names.index(feature) < first_foundation, feature
