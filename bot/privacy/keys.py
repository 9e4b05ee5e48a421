"""The data key at start-up and on rotation: refuse to run with a missing or wrong key."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.crypto import DataCipher, SealContext, SealError
from bot.db.database import Database
from bot.db.repos import sealed
from bot.db.repos.sealed import StoredValue
from bot.privacy.registry import SealedColumn

log = logging.getLogger(__name__)

KEY_CHECK_STATE = "data_key_check"
KEY_CHECK_CONTEXT = SealContext("bot_state", "value", (KEY_CHECK_STATE,))
# Known plaintext sealed with the key: opening it proves the configured key is the one in use.
KEY_CHECK_TEXT = "hearth data key check v1"

MISSING_KEY = (
    "HEARTH_DATA_KEY is not set, but this database holds encrypted private text. "
    "Set HEARTH_DATA_KEY to the key it was written with (see the README, 'Encryption at rest')."
)
WRONG_KEY = (
    "HEARTH_DATA_KEY does not match the key this database's private text was encrypted with. "
    "Set it to the key in use (or, after a rotation, the new key)."
)


class DataKeyError(Exception):
    """The configured data key cannot open this database's private text; the bot must not start."""


def _opens(cipher: DataCipher, value: str, context: SealContext) -> bool:
    """Return whether ``cipher`` opens ``value``."""
    try:
        cipher.open(value, context)
    except SealError:
        return False
    return True


async def holds_encrypted_data(db: Database, columns: Sequence[SealedColumn]) -> bool:
    """Return whether anything in ``db`` was encrypted with some key (so a new key must not be made)."""
    async with db.transaction() as tx:
        stored = await sealed.get_state_in(tx, KEY_CHECK_STATE)
    return stored is not None or await sealed.first_sealed(db, columns) is not None


async def verify_data_key(db: Database, cipher: DataCipher, columns: Sequence[SealedColumn]) -> None:
    """Check the configured key against the database, recording a check value for next time.

    Raises DataKeyError when encrypted data exists and the key is missing or wrong.
    """
    async with db.transaction() as tx:
        stored = await sealed.get_state_in(tx, KEY_CHECK_STATE)
    if stored is not None:
        if not cipher.has_key:
            raise DataKeyError(MISSING_KEY)
        if not _opens(cipher, stored, KEY_CHECK_CONTEXT):
            raise DataKeyError(WRONG_KEY)
        log.info("Data key verified: private text is encrypted at rest")
        return
    sample = await sealed.first_sealed(db, columns)
    if sample is not None:
        column, value = sample
        if not cipher.has_key:
            raise DataKeyError(MISSING_KEY)
        if not _opens(cipher, value.value, column.context(*value.key)):
            raise DataKeyError(WRONG_KEY)
    if not cipher.has_key:
        log.warning("HEARTH_DATA_KEY is not set: private text is stored unencrypted")
        return
    async with db.transaction() as tx:
        await sealed.set_state_in(tx, KEY_CHECK_STATE, cipher.seal(KEY_CHECK_TEXT, KEY_CHECK_CONTEXT))
    log.info("Data key recorded: private text is encrypted at rest")


async def rotate_data_key(
    db: Database, old: DataCipher, new: DataCipher, columns: Sequence[SealedColumn]
) -> int:
    """Re-encrypt every value of ``columns`` under ``new`` in one transaction; return how many.

    Plain values (written before any key was set) are encrypted too. Nothing
    changes unless every value opens with ``old``.
    """
    if not new.has_key:
        raise ValueError("the new cipher needs a key")
    await verify_data_key(db, old, columns)
    count = 0
    async with db.transaction() as tx:
        for column in columns:
            rewritten: list[StoredValue] = []
            for item in await sealed.values_in(tx, column):
                context = column.context(*item.key)
                try:
                    text = old.open(item.value, context)
                except SealError:
                    # Name the row by key only: the value itself may be private.
                    raise DataKeyError(
                        f"a value in {column.table}.{column.column} (row {item.key}) does not open with the"
                        " current key; nothing was changed"
                    ) from None
                rewritten.append(StoredValue(item.key, new.seal(text, context)))
            await sealed.replace_values(tx, column, rewritten)
            count += len(rewritten)
        await sealed.set_state_in(tx, KEY_CHECK_STATE, new.seal(KEY_CHECK_TEXT, KEY_CHECK_CONTEXT))
    return count


async def key_fits(db: Database, cipher: DataCipher, columns: Sequence[SealedColumn]) -> bool:
    """Return whether ``cipher`` opens what this database holds, changing nothing (for `hearth check`)."""
    async with db.transaction() as tx:
        stored = await sealed.get_state_in(tx, KEY_CHECK_STATE)
    if stored is not None:
        return _opens(cipher, stored, KEY_CHECK_CONTEXT)
    sample = await sealed.first_sealed(db, columns)
    if sample is None:
        return True
    column, value = sample
    return _opens(cipher, value.value, column.context(*value.key))
