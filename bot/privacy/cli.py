"""`python -m bot keygen` and `python -m bot rotate-key`: manage HEARTH_DATA_KEY."""

from __future__ import annotations

import sys
from collections.abc import Mapping

from bot.crypto import DataCipher, decode_key, generate_key
from bot.db.database import Database
from bot.db.migrate import migrate
from bot.privacy.catalog import SEALED_COLUMNS
from bot.privacy.keys import DataKeyError, rotate_data_key
from bot.settings import Settings

EXIT_OK = 0
EXIT_USAGE = 2
NEW_KEY_VARIABLE = "HEARTH_NEW_DATA_KEY"


def _say(line: str) -> None:
    print(line)  # noqa: T201


def _complain(line: str) -> None:
    print(line, file=sys.stderr)  # noqa: T201


def print_new_key() -> int:
    """Print a fresh data key and how to use it."""
    _say(generate_key())
    _say("# Put it in .env as HEARTH_DATA_KEY=<the key above> and keep a copy somewhere safe:")
    _say("# without it, encrypted check-in notes, answers and repair statements cannot be read.")
    return EXIT_OK


async def run_rotate_key(settings: Settings, environ: Mapping[str, str]) -> int:
    """Re-encrypt every sealed value under the key in HEARTH_NEW_DATA_KEY; print what to put in .env."""
    new_text = environ.get(NEW_KEY_VARIABLE, "").strip()
    if not new_text:
        _complain(
            f"Set {NEW_KEY_VARIABLE} in the environment to the new key (create one with"
            " `python -m bot keygen`); it is not read from the command line, so it stays out of"
            " shell history."
        )
        return EXIT_USAGE
    try:
        new = DataCipher(decode_key(new_text))
    except ValueError as error:
        _complain(f"Invalid {NEW_KEY_VARIABLE}: {error}")
        return EXIT_USAGE
    old_key = settings.hearth_data_key
    old = DataCipher.from_text(None if old_key is None else old_key.get_secret_value())
    db = await Database.open(settings.database_url)
    try:
        await migrate(db)
        count = await rotate_data_key(db, old, new, SEALED_COLUMNS)
    except DataKeyError as error:
        _complain(f"{error} Nothing was changed.")
        return EXIT_USAGE
    finally:
        await db.close()
    _say(f"Re-encrypted {count} value(s) under the new key.")
    _say(
        "Now replace HEARTH_DATA_KEY in .env with the new key, remove HEARTH_NEW_DATA_KEY, and start the bot:"
    )
    _say(f"HEARTH_DATA_KEY={new_text}")
    return EXIT_OK
