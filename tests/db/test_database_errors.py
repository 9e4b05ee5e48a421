"""A failing statement never carries the values it was given: they may be private text."""

from __future__ import annotations

import traceback

import pytest

from bot.db.database import Database, DatabaseError, IntegrityError

SECRET = "failing-row-secret-5150"


def everything_printed(error: BaseException) -> str:
    """Return what a logged traceback of ``error`` would show, chained exceptions included."""
    return "".join(traceback.format_exception(error))


async def test_a_broken_check_does_not_quote_the_row(db: Database) -> None:
    """PostgreSQL's DETAIL repeats the failing row; the error Hearth raises leaves it out."""
    with pytest.raises(IntegrityError) as caught:
        await db.execute(
            "INSERT INTO checkins (user_id, score, note, source, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (1, 9, SECRET, "command", 0, 0),
        )
    assert "check" in str(caught.value).lower()
    assert SECRET not in everything_printed(caught.value)


async def test_a_value_of_the_wrong_type_is_not_quoted(db: Database) -> None:
    """A value PostgreSQL cannot take is reported without the value itself."""
    if db.dialect != "postgresql":
        pytest.skip("SQLite stores a value of any type")
    with pytest.raises(DatabaseError) as caught:
        await db.execute("UPDATE checkins SET score = ? WHERE id = ?", (SECRET, 1))
    assert SECRET not in everything_printed(caught.value)
