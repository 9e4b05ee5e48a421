"""The data key: start-up refusal, key check value, rotation, and nothing readable in the raw file."""

from __future__ import annotations

import pytest

from bot.crypto import DataCipher, decode_key, generate_key
from bot.db.database import Database
from bot.db.repos import bot_state
from bot.privacy.keys import (
    KEY_CHECK_STATE,
    MISSING_KEY,
    WRONG_KEY,
    DataKeyError,
    rotate_data_key,
    verify_data_key,
)
from bot.privacy.sealed import SEALED_COLUMNS
from tests.privacy.conftest import NOTES, add_notes, read_notes
from tests.privacy.raw import assert_file_hides, raw_bytes, unsealed_values


def new_cipher() -> DataCipher:
    """Return a cipher with a fresh random key."""
    return DataCipher(decode_key(generate_key()))


async def test_verify_without_key_on_plain_database_starts(notes_db: Database) -> None:
    """No key and no encrypted data: the bot may start, and no check value is written."""
    await add_notes(notes_db, DataCipher(None), [(1, "plain", 0)])
    await verify_data_key(notes_db, DataCipher(None), [NOTES])
    assert await bot_state.get_value(notes_db, KEY_CHECK_STATE) is None


async def test_verify_records_a_check_value_then_accepts_the_same_key(notes_db: Database) -> None:
    """The first start with a key records a check value; the same key passes next time."""
    cipher = new_cipher()
    await verify_data_key(notes_db, cipher, [NOTES])
    stored = await bot_state.get_value(notes_db, KEY_CHECK_STATE)
    assert stored is not None and stored.startswith("hx1:")
    await verify_data_key(notes_db, cipher, [NOTES])


async def test_verify_refuses_to_start_without_key_once_encrypted(notes_db: Database) -> None:
    """With a check value stored, a missing key stops start-up with a message naming the setting."""
    await verify_data_key(notes_db, new_cipher(), [NOTES])
    with pytest.raises(DataKeyError) as caught:
        await verify_data_key(notes_db, DataCipher(None), [NOTES])
    assert str(caught.value) == MISSING_KEY
    assert "HEARTH_DATA_KEY" in MISSING_KEY


async def test_verify_refuses_a_wrong_key(notes_db: Database) -> None:
    """A different key is refused before anything runs."""
    await verify_data_key(notes_db, new_cipher(), [NOTES])
    with pytest.raises(DataKeyError) as caught:
        await verify_data_key(notes_db, new_cipher(), [NOTES])
    assert str(caught.value) == WRONG_KEY


async def test_verify_finds_sealed_values_without_a_check_value(notes_db: Database) -> None:
    """Encrypted rows are enough to refuse a missing or wrong key, even if bot_state lost its check."""
    cipher = new_cipher()
    await add_notes(notes_db, cipher, [(1, "sealed", 0)])
    with pytest.raises(DataKeyError, match="not set"):
        await verify_data_key(notes_db, DataCipher(None), [NOTES])
    with pytest.raises(DataKeyError, match="does not match"):
        await verify_data_key(notes_db, new_cipher(), [NOTES])
    await verify_data_key(notes_db, cipher, [NOTES])


async def test_rotate_re_encrypts_every_value_and_the_check(notes_db: Database) -> None:
    """After rotation only the new key opens the notes, and start-up accepts only the new key."""
    old, new = new_cipher(), new_cipher()
    await verify_data_key(notes_db, old, [NOTES])
    await add_notes(notes_db, old, [(1, "first", 0), (2, None, 0), (1, "second ✨", 0)])
    assert await rotate_data_key(notes_db, old, new, [NOTES]) == 2
    assert await read_notes(notes_db, new) == ["first", None, "second ✨"]
    with pytest.raises(DataKeyError):
        await verify_data_key(notes_db, old, [NOTES])
    await verify_data_key(notes_db, new, [NOTES])


async def test_rotate_encrypts_text_written_before_any_key(notes_db: Database) -> None:
    """Rotating from no key encrypts plain values."""
    await add_notes(notes_db, DataCipher(None), [(1, "was plain", 0)])
    new = new_cipher()
    assert await rotate_data_key(notes_db, DataCipher(None), new, [NOTES]) == 1
    row = await notes_db.fetch_one("SELECT note FROM test_notes")
    assert row is not None and str(row["note"]).startswith("hx1:")
    assert await read_notes(notes_db, new) == ["was plain"]


async def test_rotate_with_the_wrong_old_key_changes_nothing(notes_db: Database) -> None:
    """A wrong current key is refused and every value stays as it was."""
    old = new_cipher()
    await verify_data_key(notes_db, old, [NOTES])
    await add_notes(notes_db, old, [(1, "kept", 0)])
    before = await notes_db.fetch_all("SELECT note FROM test_notes")
    with pytest.raises(DataKeyError):
        await rotate_data_key(notes_db, new_cipher(), new_cipher(), [NOTES])
    after = await notes_db.fetch_all("SELECT note FROM test_notes")
    assert [r["note"] for r in before] == [r["note"] for r in after]
    assert await read_notes(notes_db, old) == ["kept"]


async def test_rotate_refuses_a_value_moved_between_rows(notes_db: Database) -> None:
    """A ciphertext swapped into another row stops the rotation, which then changes nothing."""
    old = new_cipher()
    await add_notes(notes_db, old, [(1, "one", 0), (2, "two", 0)])
    await notes_db.execute(
        "UPDATE test_notes SET note = (SELECT note FROM test_notes WHERE id = 1) WHERE id = 2"
    )
    before = [r["note"] for r in await notes_db.fetch_all("SELECT note FROM test_notes ORDER BY id")]
    with pytest.raises(DataKeyError, match=r"row \(2,\)"):
        await rotate_data_key(notes_db, old, new_cipher(), [NOTES])
    after = [r["note"] for r in await notes_db.fetch_all("SELECT note FROM test_notes ORDER BY id")]
    assert after == before


async def test_raw_database_file_does_not_reveal_sealed_text(notes_db: Database) -> None:
    """Grepping the file and its WAL finds no trace of the private text, and every value is sealed."""
    secret = "my-very-private-sentence-4711"
    await add_notes(notes_db, new_cipher(), [(1, secret, 0)])
    await assert_file_hides(notes_db, secret)
    assert secret.encode("utf-16-le") not in await raw_bytes(notes_db)
    assert await unsealed_values(notes_db, [NOTES]) == []


async def test_registered_sealed_columns_exist_in_the_schema(db: Database) -> None:
    """Every sealed column in the catalog names a real table, column and primary key."""
    for column in SEALED_COLUMNS:
        if db.dialect == "sqlite":
            info = await db.fetch_all("SELECT name, pk FROM pragma_table_info(?)", (column.table,))
            names = {str(row["name"]) for row in info}
            primary = tuple(
                str(r["name"]) for r in sorted((r for r in info if r["pk"]), key=lambda r: r["pk"])
            )
        else:
            info = await db.fetch_all(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", (column.table,)
            )
            names = {str(row["column_name"]) for row in info}
            keys = await db.fetch_all(
                "SELECT k.column_name FROM information_schema.table_constraints AS c"
                " JOIN information_schema.key_column_usage AS k ON k.constraint_name = c.constraint_name"
                " WHERE c.table_name = ? AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position",
                (column.table,),
            )
            primary = tuple(str(row["column_name"]) for row in keys)
        assert column.column in names, column
        assert primary == column.key_columns, column


async def test_raw_database_grep_finds_unsealed_text(notes_db: Database) -> None:
    """Control for the test above: without a key the same text is found in the file."""
    secret = "my-unsealed-sentence-4712"
    await add_notes(notes_db, DataCipher(None), [(1, secret, 0)])
    with pytest.raises(AssertionError, match="private text found"):
        await assert_file_hides(notes_db, secret)
    assert await unsealed_values(notes_db, [NOTES]) == [("test_notes.note", (1,))]
