"""Encrypting, in place, private text that was stored before Hearth had a key.

Runs at every start: each batch is sealed and committed on its own, so a
start that is interrupted leaves a database that is partly encrypted, still
readable (plain values open as they are), and finished by the next start.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import sealed
from bot.db.repos.sealed import StoredValue
from bot.privacy.registry import SealedColumn

log = logging.getLogger(__name__)

BATCH_SIZE = 500


async def count_unencrypted(db: Database, columns: Sequence[SealedColumn]) -> int:
    """Return how many private values are stored unencrypted."""
    return sum([await sealed.count_plain(db, column) for column in columns])


async def encrypt_unencrypted(
    db: Database, cipher: DataCipher, columns: Sequence[SealedColumn], *, batch_size: int = BATCH_SIZE
) -> int:
    """Seal each unencrypted private value under ``cipher``, a committed batch at a time; return how many."""
    if not cipher.has_key:
        raise ValueError("encrypting needs a key")
    total = 0
    for column in columns:
        while True:
            async with db.transaction() as tx:
                batch = await sealed.plain_values_in(tx, column, batch_size)
                rewritten = [
                    StoredValue(item.key, cipher.seal(item.value, column.context(*item.key)))
                    for item in batch
                ]
                await sealed.replace_values(tx, column, rewritten)
            total += len(batch)
            if batch:
                log.info("Encrypted %d stored value(s) of %s.%s", len(batch), column.table, column.column)
            if len(batch) < batch_size:
                break
    if total:
        # Leave no copy of the old text in the database's own files (SQLite's write-ahead log).
        await db.forget_overwritten()
        log.info("Encrypted %d private value(s) stored before Hearth had a key", total)
    return total
