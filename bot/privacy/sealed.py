"""Every column of private text sealed with ``bot.cipher``, named where the SQL that seals it lives.

Key rotation, the start-up key check, encryption in place and the raw-file tests read this
list. It depends on the repositories only, so start-up can use it without importing the features.
"""

from __future__ import annotations

from bot.db.repos import answers, checkins, pairs, repairs
from bot.privacy.registry import SealedColumn

SEALED_COLUMNS: tuple[SealedColumn, ...] = (
    checkins.NOTE_COLUMN,
    answers.TEXT_COLUMN,
    *repairs.STATEMENT_COLUMNS,
    pairs.ANSWER_COLUMN,
)
