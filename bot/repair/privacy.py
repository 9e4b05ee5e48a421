"""Repair requests and blocks as the privacy tools see them: export, erasure and server purge."""

from __future__ import annotations

from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import blocks, repairs
from bot.privacy.foundation import iso, server_id
from bot.privacy.registry import Counts, ErasureContext, ExportData, PrivacyAggregate

# Defined next to the SQL that seals them; named here for the catalog.
STATEMENT_COLUMNS = repairs.STATEMENT_COLUMNS


async def export_user_repairs(db: Database, cipher: DataCipher, user_id: int) -> ExportData:
    """Return the requests the person started (a draft's statement opened) and the ones delivered to them."""
    data: ExportData = {}
    sent = []
    for request in await repairs.initiated_by(db, user_id):
        statement = repairs.open_statement(request, cipher)
        sent.append(
            {
                "id": request.id,
                "recipient_id": str(request.recipient_id),
                "server_id": server_id(request.guild_id),
                "status": request.status.value,
                # Kept only while a draft: once sent, the recipient's DM is the only copy.
                "statement": None
                if statement is None
                else {
                    "feel": statement.feel,
                    "when": statement.when,
                    "because": statement.because,
                    "need": statement.need,
                    "will_do": statement.will_do,
                },
                "answer": None if request.answer is None else request.answer.value,
                "created_at": iso(request.created_at),
                "sent_at": iso(request.sent_at),
                "answered_at": iso(request.answered_at),
            }
        )
    received = [
        {
            "id": request.id,
            "initiator_id": str(request.initiator_id),
            "server_id": server_id(request.guild_id),
            "status": request.status.value,
            "answer": None if request.answer is None else request.answer.value,
            "sent_at": iso(request.sent_at),
            "answered_at": iso(request.answered_at),
        }
        for request in await repairs.delivered_to(db, user_id)
    ]
    if sent:
        data["sent"] = sent
    if received:
        data["received"] = received
    return data


async def delete_user_repairs(db: Database, user_id: int, context: ErasureContext) -> Counts:
    """Erase the requests the person started and those delivered to them (which hold their answer)."""
    started = await repairs.delete_initiated_by(db, user_id)
    received = await repairs.delete_delivered_to(db, user_id)
    return {"repair_requests": started + received}


async def purge_guild_repairs(db: Database, guild_id: int) -> Counts:
    """Delete the repair requests started in a server."""
    return {"repair_requests": await repairs.delete_for_guild(db, guild_id)}


async def export_user_blocks(db: Database, cipher: DataCipher, user_id: int) -> ExportData:
    """Return the people the person blocked (never who blocked them: the blocked are not told)."""
    blocked = await blocks.blocked_by(db, user_id)
    return {"blocked_user_ids": [str(other) for other in blocked]} if blocked else {}


async def delete_user_blocks(db: Database, user_id: int, context: ErasureContext) -> Counts:
    """Erase the blocks the person made; blocks against them stay, as they protect someone else."""
    return {"blocks": await blocks.delete_by_blocker(db, user_id)}


REPAIRS = PrivacyAggregate(
    "repair",
    export_user=export_user_repairs,
    delete_user=delete_user_repairs,
    purge_guild=purge_guild_repairs,
)
BLOCKS = PrivacyAggregate("blocks", export_user=export_user_blocks, delete_user=delete_user_blocks)
