"""Pairs as the privacy tools see them: export, erasure and the retention of answers."""

from __future__ import annotations

from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import pairs
from bot.pairs import service
from bot.privacy.foundation import iso
from bot.privacy.registry import Counts, ErasureContext, ExportData, PrivacyAggregate, RetainedTable

RETAINED_PAIR_ANSWERS = RetainedTable("pair_answers", "user_id", "answered_at")


async def export_user_pairs(db: Database, cipher: DataCipher, user_id: int) -> ExportData:
    """Return the pairs someone is in and everything they answered or passed there (opened)."""
    data: ExportData = {}
    memberships = await pairs.every_pair_of(db, user_id)
    if memberships:
        data["pairs"] = [
            {
                "id": pair.id,
                "channel_id": str(pair.channel_id),
                "status": pair.status.value,
                "created_at": iso(pair.created_at),
                "member_ids": [str(member) for member in pair.member_ids],
            }
            for pair in memberships
        ]
    answers = []
    for answer in await pairs.answers_by_user(db, cipher, user_id):
        day = await pairs.get_day(db, answer.day_id)
        answers.append(
            {
                "pair_id": None if day is None else day.pair_id,
                "date": None if day is None else day.local_date.isoformat(),
                "prompt_id": None if day is None else day.prompt_id,
                "passed": answer.text is None,
                "text": answer.text,
                "answered_at": iso(answer.answered_at),
            }
        )
    if answers:
        data["answers"] = answers
    return data


async def delete_user_pairs(db: Database, user_id: int, context: ErasureContext) -> Counts:
    """Leave every pair (ending those left with one person), then erase every answer and membership."""
    answers = len(await pairs.answers_by_user(db, context.cipher, user_id))
    memberships = len(await pairs.every_pair_of(db, user_id))
    for pair in await pairs.for_user(db, user_id):
        await service.leave(db, pair.id, user_id, context.now)
    await pairs.delete_answers_by_user(db, user_id)
    await pairs.forget_member(db, user_id)
    return {"pair_answers": answers, "pair_memberships": memberships}


PAIRS = PrivacyAggregate("pairs", export_user=export_user_pairs, delete_user=delete_user_pairs)
