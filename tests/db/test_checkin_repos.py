"""The check-ins repository against a real SQLite file: private to the author, one answer per DM."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.crypto import DataCipher, generate_key
from bot.db.database import Database, IntegrityError
from bot.db.repos import checkins
from bot.db.repos.checkins import CheckinSource, ShareStatus

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
ALICE, BOB = 11, 22
PLAIN = DataCipher(None)


async def test_checkins_add_and_read_back_for_the_author_only(db: Database) -> None:
    """A check-in round-trips, and nobody but its author can read it by id."""
    saved = await checkins.add(
        db,
        PLAIN,
        user_id=ALICE,
        score=4,
        feelings=["hopeful", "tired"],
        needs=["rest"],
        note="just for me",
        source=CheckinSource.COMMAND,
        now=NOW,
    )
    assert saved is not None
    assert (saved.score, saved.feelings, saved.needs, saved.note) == (
        4,
        ("hopeful", "tired"),
        ("rest",),
        "just for me",
    )
    assert await checkins.get(db, saved.id, ALICE) == saved
    assert await checkins.get(db, saved.id, BOB) is None
    assert "just for me" not in repr(saved)


async def test_checkins_one_answer_per_scheduled_dm(db: Database) -> None:
    """A second press of the same DM stores nothing; another DM's answer is a new check-in."""
    first = await checkins.add(
        db, PLAIN, user_id=ALICE, score=3, source=CheckinSource.DM, now=NOW, prompt_key="7:1700000000"
    )
    again = await checkins.add(
        db, PLAIN, user_id=ALICE, score=5, source=CheckinSource.DM, now=NOW, prompt_key="7:1700000000"
    )
    other = await checkins.add(
        db, PLAIN, user_id=ALICE, score=5, source=CheckinSource.DM, now=NOW, prompt_key="7:1700086400"
    )
    assert first is not None and again is None and other is not None
    assert await checkins.by_prompt(db, ALICE, "7:1700000000") == first
    assert await checkins.by_prompt(db, BOB, "7:1700000000") is None


async def test_checkins_details_change_only_the_authors_own(db: Database) -> None:
    """Feelings, needs and note are set by the author; someone else's id changes nothing."""
    saved = await checkins.add(db, PLAIN, user_id=ALICE, score=2, source=CheckinSource.DM, now=NOW)
    assert saved is not None
    later = NOW + timedelta(minutes=5)
    assert (
        await checkins.update_details(
            db, PLAIN, saved.id, BOB, feelings=["sad"], needs=[], note="x", now=later
        )
        is None
    )
    updated = await checkins.update_details(
        db, PLAIN, saved.id, ALICE, feelings=["sad"], needs=["listened"], note=None, now=later
    )
    assert updated is not None
    assert (updated.score, updated.feelings, updated.needs, updated.updated_at) == (
        2,
        ("sad",),
        ("listened",),
        later,
    )


async def test_checkins_list_since_in_time_order(db: Database) -> None:
    """The history lists one person's check-ins from a moment on, oldest first."""
    for days, score in ((3, 1), (1, 5), (10, 2)):
        await checkins.add(
            db,
            PLAIN,
            user_id=ALICE,
            score=score,
            source=CheckinSource.COMMAND,
            now=NOW - timedelta(days=days),
        )
    await checkins.add(db, PLAIN, user_id=BOB, score=4, source=CheckinSource.COMMAND, now=NOW)
    recent = await checkins.list_for_user(db, ALICE, since=NOW - timedelta(days=7))
    assert [c.score for c in recent] == [1, 5]
    assert [c.score for c in await checkins.list_for_user(db, ALICE)] == [2, 1, 5]


async def test_checkins_refuse_out_of_range_scores(db: Database) -> None:
    """The schema itself keeps scores on the 1-5 scale."""
    with pytest.raises(IntegrityError, match=r"(?i)check"):
        await checkins.add(db, PLAIN, user_id=ALICE, score=6, source=CheckinSource.COMMAND, now=NOW)


async def test_checkin_notes_are_sealed_with_the_data_key(db: Database) -> None:
    """With a data key the stored note is ciphertext bound to its row; only open_note reads it."""
    cipher = DataCipher.from_text(generate_key())
    saved = await checkins.add(
        db, cipher, user_id=ALICE, score=3, note="only mine", source=CheckinSource.COMMAND, now=NOW
    )
    assert saved is not None and saved.note is not None
    raw = await db.fetch_one("SELECT note FROM checkins WHERE id = ?", (saved.id,))
    assert raw is not None and "only mine" not in raw["note"]
    assert checkins.open_note(saved, cipher) == "only mine"
    updated = await checkins.update_details(
        db, cipher, saved.id, ALICE, feelings=[], needs=[], note="changed", now=NOW
    )
    assert updated is not None and checkins.open_note(updated, cipher) == "changed"


async def test_checkin_shares_are_remembered_and_erased_with_the_checkin(db: Database) -> None:
    """Shares record who received a summary; deleting a person's check-ins removes their shares too."""
    saved = await checkins.add(db, PLAIN, user_id=ALICE, score=3, source=CheckinSource.COMMAND, now=NOW)
    assert saved is not None
    await checkins.record_share(db, saved.id, BOB, ShareStatus.DM_CLOSED, NOW)
    await checkins.record_share(db, saved.id, BOB, ShareStatus.SENT, NOW)
    await checkins.record_share(db, saved.id, 33, ShareStatus.DM_CLOSED, NOW)
    assert await checkins.share_statuses(db, saved.id) == {BOB: ShareStatus.SENT, 33: ShareStatus.DM_CLOSED}
    assert await checkins.delete_for_user(db, ALICE) == 1
    assert await checkins.share_statuses(db, saved.id) == {}


async def test_checkins_retention_deletes_old_ones(db: Database) -> None:
    """Check-ins older than the cut-off are erased; newer ones stay."""
    await checkins.add(
        db, PLAIN, user_id=ALICE, score=1, source=CheckinSource.COMMAND, now=NOW - timedelta(days=400)
    )
    await checkins.add(db, PLAIN, user_id=ALICE, score=2, source=CheckinSource.COMMAND, now=NOW)
    assert await checkins.delete_before(db, NOW - timedelta(days=365)) == 1
    assert [c.score for c in await checkins.list_for_user(db, ALICE)] == [2]
