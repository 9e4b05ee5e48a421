"""`python -m bot keygen`, `python -m bot rotate-key`, and refusing to run with a missing key."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import bot.__main__ as entry
from bot.crypto import DataCipher, decode_key, generate_key
from bot.db.connect import connect_database
from bot.db.migrate import migrate
from bot.privacy.keys import MISSING_KEY, DataKeyError, verify_data_key
from bot.privacy.sealed import SEALED_COLUMNS
from tests.test_main import run_bot_command


async def prepare_encrypted(url: str, key: str) -> None:
    """Create a database that was started with ``key`` (so it holds a key check value)."""
    db = await connect_database(url)
    try:
        await migrate(db)
        await verify_data_key(db, DataCipher.from_text(key), SEALED_COLUMNS)
    finally:
        await db.close()


async def key_opens(url: str, key: str | None) -> bool:
    """Return whether the bot would start on ``url`` with ``key``."""
    db = await connect_database(url)
    try:
        await verify_data_key(db, DataCipher.from_text(key), SEALED_COLUMNS)
    except DataKeyError:
        return False
    finally:
        await db.close()
    return True


def test_keygen_prints_a_usable_key(tmp_path: Path) -> None:
    """keygen prints one key HEARTH_DATA_KEY accepts, plus a comment on where it goes."""
    result = run_bot_command(tmp_path, "keygen")
    assert result.returncode == 0, result.stderr
    key = result.stdout.splitlines()[0]
    assert len(decode_key(key)) == 32
    assert "HEARTH_DATA_KEY" in result.stdout


def test_rotate_key_needs_the_new_key_in_the_environment(tmp_path: Path) -> None:
    """Without HEARTH_NEW_DATA_KEY, rotate-key explains and exits 2."""
    result = run_bot_command(tmp_path, "rotate-key", DATABASE_URL=f"sqlite:///{tmp_path}/h.db")
    assert result.returncode == 2
    assert "HEARTH_NEW_DATA_KEY" in result.stderr
    bad = run_bot_command(
        tmp_path, "rotate-key", DATABASE_URL=f"sqlite:///{tmp_path}/h.db", HEARTH_NEW_DATA_KEY="nope"
    )
    assert bad.returncode == 2
    assert "Invalid HEARTH_NEW_DATA_KEY" in bad.stderr


def test_rotate_key_switches_the_database_to_the_new_key(tmp_path: Path) -> None:
    """After rotate-key only the new key starts the bot, and the output says what to put in .env."""
    url = f"sqlite:///{tmp_path}/h.db"
    old, new = generate_key(), generate_key()
    asyncio.run(prepare_encrypted(url, old))
    result = run_bot_command(
        tmp_path, "rotate-key", DATABASE_URL=url, HEARTH_DATA_KEY=old, HEARTH_NEW_DATA_KEY=new
    )
    assert result.returncode == 0, result.stderr
    assert f"HEARTH_DATA_KEY={new}" in result.stdout.splitlines()
    assert asyncio.run(key_opens(url, new))
    assert not asyncio.run(key_opens(url, old))


def test_rotate_key_with_the_wrong_current_key_changes_nothing(tmp_path: Path) -> None:
    """A wrong HEARTH_DATA_KEY is refused (exit 6, the data key's code) and the database keeps its key."""
    url = f"sqlite:///{tmp_path}/h.db"
    old = generate_key()
    asyncio.run(prepare_encrypted(url, old))
    result = run_bot_command(
        tmp_path,
        "rotate-key",
        DATABASE_URL=url,
        HEARTH_DATA_KEY=generate_key(),
        HEARTH_NEW_DATA_KEY=generate_key(),
    )
    assert result.returncode == 6
    assert "Nothing was changed" in result.stderr
    assert asyncio.run(key_opens(url, old))


def test_bad_data_key_setting_is_one_line_naming_it(tmp_path: Path) -> None:
    """A malformed HEARTH_DATA_KEY stops the bot with one line naming the setting."""
    result = run_bot_command(tmp_path, "check", HEARTH_DATA_KEY="too-short")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Invalid setting HEARTH_DATA_KEY:")
    assert "keygen" in lines[0]


def test_main_exits_6_with_the_message_when_the_key_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A DataKeyError from start-up becomes the message on stderr and exit code 6, without a traceback."""

    async def refuse(bot: object) -> None:
        raise DataKeyError(MISSING_KEY)

    monkeypatch.setenv("DISCORD_TOKEN", "token")
    monkeypatch.setattr(entry, "run_bot", refuse)
    monkeypatch.setattr(entry, "create_bot", lambda settings, **kwargs: object())
    assert entry.main(["run"]) == 6
    err = capsys.readouterr().err
    assert MISSING_KEY in err
    assert "Traceback" not in err
