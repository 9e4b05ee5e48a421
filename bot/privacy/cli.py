"""`python -m bot keygen` and `python -m bot rotate-key`: manage HEARTH_DATA_KEY."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from bot.crypto import DataCipher, decode_key, generate_key
from bot.failures import EXIT_DATA_KEY, EXIT_OK
from bot.privacy.keyfile import KEY_FILE_HEADER, KEY_FILE_MODE, key_file_path, read_key_file
from bot.privacy.keys import DataKeyError, rotate_data_key
from bot.privacy.sealed import SEALED_COLUMNS
from bot.settings import Settings
from bot.startup import open_database

EXIT_USAGE = 2
NEW_KEY_VARIABLE = "HEARTH_NEW_DATA_KEY"


def _say(line: str) -> None:
    print(line)  # noqa: T201


def _complain(line: str) -> None:
    print(line, file=sys.stderr)  # noqa: T201


def print_new_key() -> int:
    """Print a fresh data key and how to use it."""
    _say(generate_key())
    _say("# Put it in .env as HEARTH_DATA_KEY=<the key above> (or alone in HEARTH_DATA_KEY_FILE), and keep")
    _say("# a copy somewhere safe with your database backups:")
    _say("# without it, encrypted check-in notes, answers and repair statements cannot be read.")
    return EXIT_OK


def _current_key(settings: Settings) -> tuple[DataCipher, Path | None]:
    """Return the key in use (HEARTH_DATA_KEY, else an existing key file) and the file it came from."""
    if settings.hearth_data_key is not None:
        return DataCipher.from_text(settings.hearth_data_key.get_secret_value()), None
    path = key_file_path(settings)
    if path is not None and path.exists():
        return read_key_file(path), path
    return DataCipher(None), None


def _stage_key_file(path: Path, key: str) -> Path:
    """Write ``key`` next to ``path`` (owner-only), to be moved over it once the database is re-encrypted."""
    staged = path.with_name(path.name + ".new")
    staged.unlink(missing_ok=True)
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, KEY_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(KEY_FILE_HEADER + key + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return staged


async def run_rotate_key(settings: Settings, environ: Mapping[str, str]) -> int:
    """Re-encrypt private text under HEARTH_NEW_DATA_KEY; update the key file, or say what goes in .env."""
    new_text = environ.get(NEW_KEY_VARIABLE, "").strip()
    if not new_text:
        _complain(
            f"Set {NEW_KEY_VARIABLE} in the environment to the new key (create one with"
            " `hearth keygen`); it is not read from the command line, so it stays out of"
            " shell history."
        )
        return EXIT_USAGE
    try:
        new = DataCipher(decode_key(new_text))
    except ValueError as error:
        _complain(f"Invalid {NEW_KEY_VARIABLE}: {error}")
        return EXIT_USAGE
    try:
        old, key_file = _current_key(settings)
    except DataKeyError as error:
        _complain(f"{error} Nothing was changed.")
        return EXIT_DATA_KEY
    # A new key file is written before the database changes, so the new key is on disk whatever happens.
    staged = None if key_file is None else _stage_key_file(key_file, new_text)
    db = await open_database(settings.database_url)
    try:
        count = await rotate_data_key(db, old, new, SEALED_COLUMNS)
    except DataKeyError as error:
        if staged is not None:
            staged.unlink(missing_ok=True)
        _complain(f"{error} Nothing was changed.")
        return EXIT_DATA_KEY
    finally:
        await db.close()
    _say(f"Re-encrypted {count} value(s) under the new key.")
    if key_file is not None and staged is not None:
        staged.replace(key_file)
        _say(f"The key file {key_file} now holds the new key: back it up again, then start the bot.")
        return EXIT_OK
    _say(
        "Now replace HEARTH_DATA_KEY in .env with the new key, remove HEARTH_NEW_DATA_KEY, and start the bot:"
    )
    _say(f"HEARTH_DATA_KEY={new_text}")
    return EXIT_OK
