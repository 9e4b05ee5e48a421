"""Repair requests and blocks in the privacy tools: sealed statements, export, erasure and purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.crypto import DataCipher, generate_key
from bot.db.database import Database
from bot.db.repos import blocks, repairs
from bot.db.repos.repairs import RepairAnswer, RepairRequest
from bot.privacy import catalog
from bot.privacy.registry import ErasureContext
from bot.privacy.sealed import SEALED_COLUMNS
from bot.repair.privacy import BLOCKS, REPAIRS, STATEMENT_COLUMNS
from bot.repair.statement import Statement
from tests.privacy.raw import assert_file_hides, unsealed_values

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
ALICE, BOB, CAROL = 1, 2, 3
GUILD, OTHER_GUILD = 9, 10
STATEMENT = Statement(
    feel="xyzzy-hurt", when="xyzzy-plans", because="xyzzy-care", need="xyzzy-heads-up", will_do="xyzzy-ask"
)


def new_cipher() -> DataCipher:
    """Return a cipher with a fresh random key."""
    return DataCipher.from_text(generate_key())


async def draft(
    db: Database, cipher: DataCipher, initiator: int, recipient: int, guild_id: int = GUILD
) -> RepairRequest:
    """Start a request and save its statement."""
    request = await repairs.create_draft(
        db,
        initiator_id=initiator,
        recipient_id=recipient,
        guild_id=guild_id,
        now=NOW,
        stale_before=NOW - timedelta(days=1),
    )
    assert await repairs.save_statement(db, cipher, request.id, initiator, STATEMENT)
    return request


async def deliver(db: Database, request: RepairRequest) -> None:
    """Send a draft and record its delivery."""
    await repairs.begin_send(
        db, request.id, request.initiator_id, NOW, since=NOW - timedelta(days=1), limit=3
    )
    await repairs.mark_sent(db, request.id, channel_id=50, message_id=60, now=NOW)


async def test_statement_parts_are_sealed_and_open_for_the_initiator(db: Database) -> None:
    """With a key no part of the statement is readable in the file; open_statement gives it back."""
    cipher = new_cipher()
    request = await draft(db, cipher, ALICE, BOB)
    await assert_file_hides(db, STATEMENT.feel, STATEMENT.when, STATEMENT.because, STATEMENT.need)
    await assert_file_hides(db, STATEMENT.will_do)
    assert await unsealed_values(db, STATEMENT_COLUMNS) == []
    stored = await repairs.get(db, request.id)
    assert stored is not None and stored.statement != STATEMENT
    assert repairs.open_statement(stored, cipher) == STATEMENT
    assert all(column in SEALED_COLUMNS for column in STATEMENT_COLUMNS)


async def test_export_shows_sent_drafts_and_delivered_requests_only(db: Database) -> None:
    """The initiator sees their draft's statement; a recipient sees delivered requests, never drafts."""
    cipher = new_cipher()
    await draft(db, cipher, ALICE, BOB)
    delivered = await draft(db, cipher, CAROL, ALICE)
    await deliver(db, delivered)
    await repairs.record_answer(db, delivered.id, ALICE, RepairAnswer.TIME, NOW)
    await draft(db, cipher, CAROL, BOB)
    assert REPAIRS.export_user is not None
    alice = await REPAIRS.export_user(db, cipher, ALICE)
    [sent] = alice["sent"]
    assert sent["statement"]["feel"] == STATEMENT.feel and sent["recipient_id"] == str(BOB)
    [received] = alice["received"]
    assert (received["initiator_id"], received["answer"]) == (str(CAROL), "time")
    bob = await REPAIRS.export_user(db, cipher, BOB)
    assert bob == {}, "drafts others are writing to Bob are theirs, not his"


async def test_delete_erases_requests_sent_and_answered_and_purge_clears_a_server(db: Database) -> None:
    """Erasure removes the person's requests and those delivered to them; others' drafts to them stay."""
    cipher = new_cipher()
    await draft(db, cipher, ALICE, BOB)
    delivered = await draft(db, cipher, CAROL, ALICE)
    await deliver(db, delivered)
    pending = await draft(db, cipher, BOB, ALICE)
    elsewhere = await draft(db, cipher, BOB, CAROL, OTHER_GUILD)
    assert REPAIRS.delete_user is not None and REPAIRS.purge_guild is not None
    counts = await REPAIRS.delete_user(db, ALICE, ErasureContext(None, cipher, NOW))
    assert counts == {"repair_requests": 2}
    assert await repairs.initiated_by(db, ALICE) == []
    assert await repairs.delivered_to(db, ALICE) == []
    assert await repairs.get(db, pending.id) is not None
    assert await REPAIRS.purge_guild(db, GUILD) == {"repair_requests": 1}
    assert await repairs.get(db, elsewhere.id) is not None


async def test_blocks_export_and_erase_only_the_persons_own(db: Database) -> None:
    """A person exports and erases the blocks they made; who blocked them is neither shown nor lifted."""
    await blocks.block(db, ALICE, BOB, NOW)
    await blocks.block(db, CAROL, ALICE, NOW)
    assert BLOCKS.export_user is not None and BLOCKS.delete_user is not None
    assert await BLOCKS.export_user(db, DataCipher(None), ALICE) == {"blocked_user_ids": [str(BOB)]}
    assert await BLOCKS.export_user(db, DataCipher(None), BOB) == {}
    counts = await BLOCKS.delete_user(db, ALICE, ErasureContext(None, DataCipher(None), NOW))
    assert counts == {"blocks": 1}
    assert not await blocks.is_blocked(db, ALICE, BOB)
    assert await blocks.is_blocked(db, CAROL, ALICE), "erasing yourself must not lift someone's block"
    assert BLOCKS in catalog.AGGREGATES and REPAIRS in catalog.AGGREGATES
