"""Start-up failures a person can fix: one or two lines saying what to do, an exit code each, no traceback."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

import bot.__main__ as entry
from bot import app, startup
from bot.content.library import load_content
from bot.crypto import DataCipher, generate_key
from bot.db.connect import connect_database
from bot.db.migrate import migrate
from bot.failures import (
    EXIT_CONTENT,
    EXIT_DATA_KEY,
    EXIT_DATABASE,
    EXIT_DISCORD_UNREACHABLE,
    EXIT_SETTINGS,
    EXIT_TOKEN,
)
from bot.fake_discord import FakeDiscord
from bot.privacy.keys import verify_data_key
from bot.privacy.sealed import SEALED_COLUMNS

REPO = Path(__file__).resolve().parents[2]
UNREACHABLE_POSTGRES = "postgresql://hearth:secret@127.0.0.1:9/hearth"


def clean_env(tmp_path: Path, **values: str) -> dict[str, str]:
    """Return the environment of a fresh user: no Hearth or Discord settings, our checkout importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "HEARTH_", "DATABASE_"))}
    env.update({"PYTHONPATH": str(REPO), "DATABASE_URL": f"sqlite:///{tmp_path}/hearth.db"})
    env.update(values)
    return env


def run_hearth(tmp_path: Path, *args: str, **values: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot`` in ``tmp_path`` (no .env) and return what it did."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=clean_env(tmp_path, **values),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_kind(stderr: str, *, starts: str) -> None:
    """The failure is at most two lines (log lines aside), the first as expected, and no traceback."""
    lines = [line for line in stderr.strip().splitlines() if not line.startswith("[")]
    assert "Traceback" not in stderr
    assert 1 <= len(lines) <= 2, stderr
    assert lines[0].startswith(starts), stderr


async def encrypted_database(url: str, key: str) -> None:
    """Create a database whose private text is encrypted under ``key``."""
    db = await connect_database(url)
    try:
        await migrate(db)
        await verify_data_key(db, DataCipher.from_text(key), SEALED_COLUMNS)
    finally:
        await db.close()


async def test_bad_token_is_one_line_with_exit_3(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """A wrong or revoked token: what to do, exit 3, no traceback and no voice warnings."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=clean_env(
            tmp_path,
            DISCORD_TOKEN="not-the-token",
            DISCORD_API_BASE=fake_discord.api_base,
            HEARTH_DATA_KEY=generate_key(),
        ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)
    stderr = err.decode()
    assert process.returncode == EXIT_TOKEN, stderr
    assert_kind(stderr, starts="Discord refused DISCORD_TOKEN")
    assert "Reset Token" in stderr
    assert "PyNaCl" not in stderr and "davey" not in stderr


def test_unreachable_discord_retries_then_exits_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing listens at the API base: retried with backoff, then two lines and exit 4."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(app, "CONNECT_BACKOFF", (0.0, 0.0))
    for name, value in clean_env(tmp_path, DISCORD_TOKEN="token").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DISCORD_API_BASE", "http://127.0.0.1:9/api/v10")
    assert entry.main(["run"]) == EXIT_DISCORD_UNREACHABLE
    err = capsys.readouterr().err
    assert err.count("trying again in") == 2
    failure = [line for line in err.splitlines() if not line.startswith("[") and line.strip()]
    assert_kind("\n".join(failure[-2:]), starts="Cannot reach Discord")
    assert "Traceback" not in err


def test_unreachable_database_is_two_lines_with_exit_5(tmp_path: Path) -> None:
    """A PostgreSQL server that is not there: run and check both say so, password withheld, exit 5."""
    result = run_hearth(tmp_path, DISCORD_TOKEN="token", DATABASE_URL=UNREACHABLE_POSTGRES)
    assert result.returncode == EXIT_DATABASE
    assert_kind(result.stderr, starts="Cannot open the database postgresql://hearth:***@127.0.0.1:9/hearth")
    assert "secret" not in result.stderr
    checked = run_hearth(tmp_path, "check", DATABASE_URL=UNREACHABLE_POSTGRES)
    assert checked.returncode == EXIT_DATABASE
    assert "Database: UNREACHABLE" in checked.stderr and "Traceback" not in checked.stderr


def test_bad_database_url_is_one_line_with_exit_2(tmp_path: Path) -> None:
    """A DATABASE_URL that is no database URL at all is a bad setting."""
    result = run_hearth(tmp_path, DISCORD_TOKEN="token", DATABASE_URL="mysql://db/hearth")
    assert result.returncode == EXIT_SETTINGS
    assert_kind(result.stderr, starts="Invalid setting DATABASE_URL:")


def test_a_key_that_does_not_open_the_data_exits_6(tmp_path: Path) -> None:
    """The wrong key is refused before Discord is contacted, by run and by check."""
    url = f"sqlite:///{tmp_path}/hearth.db"
    asyncio.run(encrypted_database(url, generate_key()))
    result = run_hearth(tmp_path, DISCORD_TOKEN="token", HEARTH_DATA_KEY=generate_key())
    assert result.returncode == EXIT_DATA_KEY
    assert_kind(result.stderr, starts="HEARTH_DATA_KEY does not match")
    checked = run_hearth(tmp_path, "check", HEARTH_DATA_KEY=generate_key())
    assert checked.returncode == EXIT_DATA_KEY
    assert "KEY DOES NOT FIT" in checked.stderr


def test_a_lost_key_file_is_refused_not_replaced(tmp_path: Path) -> None:
    """Encrypted data and no key file: exit 6 saying to restore it; no new key is made."""
    asyncio.run(encrypted_database(f"sqlite:///{tmp_path}/hearth.db", generate_key()))
    result = run_hearth(tmp_path, DISCORD_TOKEN="token")
    assert result.returncode == EXIT_DATA_KEY
    assert_kind(result.stderr, starts="This database holds encrypted private text")
    assert not (tmp_path / "hearth.key").exists()


def test_missing_content_files_exit_7(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Content files that are not there: two lines naming the first problem, exit 7."""
    monkeypatch.chdir(tmp_path)
    for name, value in clean_env(tmp_path, DISCORD_TOKEN="token").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(startup, "load_content", lambda: load_content(tmp_path / "nowhere"))
    assert entry.main(["run"]) == EXIT_CONTENT
    err = capsys.readouterr().err
    failure = [line for line in err.splitlines() if not line.startswith("[") and "data key" not in line]
    assert "Traceback" not in err
    assert any(line.startswith("Hearth's content files are missing or invalid") for line in failure)
    assert "file is missing" in err


def test_debug_adds_the_traceback(tmp_path: Path) -> None:
    """--debug prints the traceback too, for whoever wants to dig."""
    result = run_hearth(tmp_path, "--debug", DISCORD_TOKEN="token", DATABASE_URL=UNREACHABLE_POSTGRES)
    assert result.returncode == EXIT_DATABASE
    assert "Traceback" in result.stderr


def test_whitespace_token_is_missing_for_run_and_check(tmp_path: Path) -> None:
    """A token of spaces is no token, for both commands."""
    result = run_hearth(tmp_path, DISCORD_TOKEN="   ")
    assert result.returncode == EXIT_SETTINGS
    assert "needs a bot token" in result.stderr
    checked = run_hearth(tmp_path, "check", DISCORD_TOKEN="   ")
    assert "token: MISSING" in checked.stdout


def test_check_prints_only_its_report(tmp_path: Path) -> None:
    """No log lines join the report, on stdout or stderr, and it names the encryption status."""
    result = run_hearth(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "[INFO]" not in result.stdout
    assert "Encryption: on from the first start" in result.stdout
    assert not (tmp_path / "hearth.key").exists()
