"""Private by default: a key file on the first start, plain text encrypted in place, resumably."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.crypto import DataCipher, SealContext, decode_key, generate_key
from bot.db.connect import connect_database
from bot.db.database import Database
from bot.db.migrate import migrate
from bot.db.repos import checkins
from bot.db.repos.checkins import CheckinSource
from bot.offline_check import run_offline_check
from bot.privacy.backfill import count_unencrypted, encrypt_unencrypted
from bot.privacy.cli import run_rotate_key
from bot.privacy.keyfile import read_key_file
from bot.privacy.sealed import SEALED_COLUMNS
from bot.settings import Settings
from bot.startup import prepare
from tests.privacy.conftest import NOTES, add_notes, read_notes
from tests.privacy.raw import assert_file_hides, unsealed_values

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
NOTE = "a plain note about the argument with Sam"


def settings_for(url: str, **values: object) -> Settings:
    return Settings(_env_file=None, database_url=url, **values)  # type: ignore[arg-type]


async def plain_checkins(url: str, notes: list[str]) -> None:
    """Write check-ins the way Hearth did before it had a key: notes in plain text."""
    db = await connect_database(url)
    try:
        await migrate(db)
        for number, note in enumerate(notes):
            await checkins.add(
                db,
                DataCipher(None),
                user_id=100 + number,
                score=3,
                note=note,
                source=CheckinSource.COMMAND,
                now=NOW,
            )
    finally:
        await db.close()


async def test_first_start_creates_an_owner_only_key_file_and_says_so_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No HEARTH_DATA_KEY: hearth.key appears next to hearth.db, mode 0600, announced once."""
    settings = settings_for(f"sqlite:///{tmp_path}/hearth.db")
    prepared = await prepare(settings)
    await prepared.db.close()
    key_file = tmp_path / "hearth.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert prepared.key.cipher.has_key and prepared.key.created
    said = capsys.readouterr().err
    assert str(key_file) in said and "Back this file up together with the database" in said
    again = await prepare(settings)
    await again.db.close()
    assert not again.key.created
    assert capsys.readouterr().err == ""
    # The same key, read back: what was sealed on the first start opens on the second.
    sealed = prepared.key.cipher.seal("x", SealContext("t", "c", (1,)))
    assert read_key_file(key_file).open(sealed, SealContext("t", "c", (1,))) == "x"


async def test_key_file_setting_chooses_where(tmp_path: Path) -> None:
    """HEARTH_DATA_KEY_FILE puts the key elsewhere; an existing file there is used as it is."""
    elsewhere = tmp_path / "keys" / "hearth.key"
    prepared = await prepare(settings_for(f"sqlite:///{tmp_path}/h.db", hearth_data_key_file=str(elsewhere)))
    await prepared.db.close()
    assert elsewhere.exists() and not (tmp_path / "h.key").exists()


async def test_plain_text_database_is_encrypted_on_start(tmp_path: Path) -> None:
    """A database written without a key is encrypted in place when Hearth next starts."""
    url = f"sqlite:///{tmp_path}/hearth.db"
    await plain_checkins(url, [NOTE, "another plain note", "a third plain note"])
    prepared = await prepare(settings_for(url))
    try:
        assert await unsealed_values(prepared.db, SEALED_COLUMNS) == []
        await assert_file_hides(prepared.db, NOTE, "another plain note", "a third plain note")
        [first] = await checkins.list_for_user(prepared.db, 100)
        assert first.note is not None
        assert prepared.key.cipher.open(first.note, checkins.note_context(first.id)) == NOTE
    finally:
        await prepared.db.close()


async def test_encryption_in_place_is_resumable(notes_db: Database) -> None:
    """Batches commit one by one: an interrupted pass leaves readable data that the next pass finishes."""
    await add_notes(notes_db, DataCipher(None), [(1, f"plain {n}", 0) for n in range(5)])
    key = DataCipher(decode_key(generate_key()))

    class FailsOnFourth(DataCipher):
        sealed = 0

        def seal(self, text: str, context: SealContext) -> str:
            self.sealed += 1
            if self.sealed == 4:
                raise RuntimeError("interrupted")
            return key.seal(text, context)

    with pytest.raises(RuntimeError):
        await encrypt_unencrypted(notes_db, FailsOnFourth(decode_key(generate_key())), [NOTES], batch_size=2)
    assert await count_unencrypted(notes_db, [NOTES]) == 3
    assert await read_notes(notes_db, key) == [f"plain {n}" for n in range(5)]
    assert await encrypt_unencrypted(notes_db, key, [NOTES], batch_size=2) == 3
    assert await count_unencrypted(notes_db, [NOTES]) == 0
    assert await read_notes(notes_db, key) == [f"plain {n}" for n in range(5)]


async def test_rotate_key_rewrites_the_key_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With a key file in use, rotate-key re-encrypts under the new key and writes it to that file."""
    url = f"sqlite:///{tmp_path}/hearth.db"
    await plain_checkins(url, [NOTE])
    first = await prepare(settings_for(url))
    await first.db.close()
    new = generate_key()
    assert await run_rotate_key(settings_for(url), {"HEARTH_NEW_DATA_KEY": new}) == 0
    assert "now holds the new key" in capsys.readouterr().out
    key_file = tmp_path / "hearth.key"
    assert new in key_file.read_text() and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert not (tmp_path / "hearth.key.new").exists()
    again = await prepare(settings_for(url))
    try:
        [saved] = await checkins.list_for_user(again.db, 100)
        assert saved.note is not None
        assert DataCipher(decode_key(new)).open(saved.note, checkins.note_context(saved.id)) == NOTE
    finally:
        await again.db.close()


async def test_check_reports_encryption_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`hearth check` names the key in use and counts what a start has still to encrypt, changing nothing."""
    url = f"sqlite:///{tmp_path}/hearth.db"
    await plain_checkins(url, [NOTE, "second"])
    assert await run_offline_check(settings_for(url)) == 0
    out = capsys.readouterr().out
    assert f"on from the first start: Hearth will create the key file {tmp_path}/hearth.key" in out
    assert "2 private value(s) stored before there was a key are not encrypted yet" in out
    assert not (tmp_path / "hearth.key").exists()
    prepared = await prepare(settings_for(url))
    await prepared.db.close()
    capsys.readouterr()
    assert await run_offline_check(settings_for(url)) == 0
    out = capsys.readouterr().out
    assert f"Encryption: on (key from the key file {tmp_path}/hearth.key)" in out
    assert "not encrypted yet" not in out
