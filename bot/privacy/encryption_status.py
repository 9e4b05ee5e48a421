"""What `hearth check` says about encryption at rest, read without creating a key or changing data."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from bot.crypto import DataCipher
from bot.db.database import Database, DatabaseError
from bot.privacy.backfill import count_unencrypted
from bot.privacy.keyfile import DataKey, key_file_path, read_key_file
from bot.privacy.keys import DataKeyError, holds_encrypted_data, key_fits
from bot.privacy.sealed import SEALED_COLUMNS
from bot.settings import Settings


@dataclass(frozen=True)
class EncryptionFacts:
    """An existing database's encryption: the key that would be used, and what is still unencrypted."""

    key: DataKey | None
    unencrypted: int


def existing_key(settings: Settings) -> DataKey | None:
    """Return the key a start would use, if it exists already (a missing key file is not created)."""
    if settings.hearth_data_key is not None:
        return DataKey(DataCipher.from_text(settings.hearth_data_key.get_secret_value()), "HEARTH_DATA_KEY")
    path = key_file_path(settings)
    if path is None or not path.exists():
        return None
    return DataKey(read_key_file(path), f"the key file {path}", path)


async def encryption_facts(db: Database, settings: Settings) -> EncryptionFacts:
    """Return the facts for ``db``; raise DataKeyError when the key is missing or does not fit."""
    key = existing_key(settings)
    try:
        encrypted = await holds_encrypted_data(db, SEALED_COLUMNS)
        unencrypted = await count_unencrypted(db, SEALED_COLUMNS)
    except (sqlite3.OperationalError, DatabaseError):
        # Tables not created yet: the next start migrates first, and nothing is stored.
        return EncryptionFacts(key, 0)
    if key is None and encrypted:
        raise DataKeyError(
            "This database holds encrypted private text, but no key is configured and no key file exists"
            f" at {key_file_path(settings)}: restore it from your backup (or set HEARTH_DATA_KEY)."
        )
    if key is not None and not await key_fits(db, key.cipher, SEALED_COLUMNS):
        raise DataKeyError(f"The key from {key.source} does not open this database's private text.")
    return EncryptionFacts(key, unencrypted)


def describe_encryption(settings: Settings, facts: EncryptionFacts | None) -> str:
    """Return the report line (and its details) about encryption at rest."""
    key = existing_key(settings) if facts is None else facts.key
    if key is None:
        path = key_file_path(settings)
        line = (
            f"on from the first start: Hearth will create the key file {path}"
            " (back it up together with the database)"
        )
    else:
        line = f"on (key from {key.source})"
    if facts is not None and facts.unencrypted:
        line += (
            f"\n  {facts.unencrypted} private value(s) stored before there was a key are not encrypted yet;"
            " the next start encrypts them"
        )
    return line
