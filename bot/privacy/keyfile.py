"""Where the data key comes from: HEARTH_DATA_KEY, or a key file Hearth creates on the first start.

Private by default: without HEARTH_DATA_KEY, the first start writes a new
key to a file next to the SQLite database (or to HEARTH_DATA_KEY_FILE),
readable by its owner only, and says once where it is and that it must be
backed up with the database.
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from bot.crypto import KEY_BYTES, DataCipher, decode_key, generate_key
from bot.db.database import Database, dialect_of, sqlite_path_from_url
from bot.privacy.keys import DataKeyError, holds_encrypted_data
from bot.privacy.sealed import SEALED_COLUMNS
from bot.settings import Settings

log = logging.getLogger(__name__)

# PostgreSQL has no file to sit next to: a lone process keeps its key here, relative to the working directory.
POSTGRES_DEFAULT_KEY_FILE = Path("data/hearth.key")
KEY_FILE_MODE = 0o600
KEY_FILE_HEADER = (
    "# Hearth's data key: it encrypts check-in notes, private answers and repair statements.\n"
    "# Back it up together with the database; without it that text cannot be read.\n"
)


@dataclass(frozen=True)
class DataKey:
    """The cipher the bot uses, and where its key came from (for logs and `hearth check`)."""

    cipher: DataCipher
    source: str
    path: Path | None = None
    created: bool = False


def key_file_path(settings: Settings) -> Path | None:
    """Return the key file to read or create, or None for an in-memory SQLite database."""
    if settings.hearth_data_key_file is not None:
        return Path(settings.hearth_data_key_file).expanduser()
    if dialect_of(settings.database_url) == "postgresql":
        return POSTGRES_DEFAULT_KEY_FILE
    database = sqlite_path_from_url(settings.database_url)
    if database == ":memory:":
        return None
    return Path(database).with_suffix(".key")


def read_key_file(path: Path) -> DataCipher:
    """Return the cipher of the key in ``path`` (its last line that is not a comment)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise DataKeyError(f"Cannot read the data key file {path}: {error.__class__.__name__}.") from None
    keys = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    try:
        cipher = DataCipher(decode_key(keys[-1] if keys else ""))
    except ValueError:
        raise DataKeyError(
            f"The data key file {path} does not hold a data key ({KEY_BYTES} bytes in urlsafe base64)."
            " Restore it from your backup."
        ) from None
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        log.warning("The data key file %s can be read by other users: run chmod 600 on it", path)
    return cipher


def write_key_file(path: Path) -> str:
    """Create ``path`` with a new key, readable by its owner only; return the key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = generate_key()
    # O_EXCL: never overwrite a key; mode 0600 from the first byte, whatever the umask.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(KEY_FILE_HEADER + key + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return key


def created_notice(path: Path) -> str:
    """Return the lines said once, when a key file was just created."""
    return (
        f"Hearth created a data key in {path.resolve()}: it encrypts check-in notes, private answers\n"
        "and repair statements in the database. Back this file up together with the database:\n"
        "without it, that text cannot be read. (HEARTH_DATA_KEY or HEARTH_DATA_KEY_FILE choose another key.)"
    )


async def resolve_data_key(settings: Settings, db: Database, *, may_create: bool = True) -> DataKey:
    """Return the data key: HEARTH_DATA_KEY, else the key file, created when nothing is encrypted yet."""
    if settings.hearth_data_key is not None:
        return DataKey(DataCipher.from_text(settings.hearth_data_key.get_secret_value()), "HEARTH_DATA_KEY")
    path = key_file_path(settings)
    if path is None:
        # Nothing outlives an in-memory database, so neither needs its key.
        return DataKey(DataCipher(os.urandom(KEY_BYTES)), "a key kept in memory (in-memory database)")
    if path.exists():
        return DataKey(read_key_file(path), f"the key file {path}", path)
    if await holds_encrypted_data(db, SEALED_COLUMNS):
        raise DataKeyError(
            f"This database holds encrypted private text, but HEARTH_DATA_KEY is not set and the key file"
            f" {path} is missing.\nRestore that file from your backup (or set HEARTH_DATA_KEY to the key)."
        )
    if not may_create:
        raise DataKeyError(
            f"The data key file {path} does not exist. Every process must use the same key:"
            " create it once (hearth keygen) and give it to each process."
        )
    try:
        write_key_file(path)
    except FileExistsError:
        # Another process on the same database created it a moment ago.
        return DataKey(read_key_file(path), f"the key file {path}", path)
    return DataKey(read_key_file(path), f"the key file {path}", path, created=True)
