"""Backend plumbing: URLs, and portable SQL rewritten for PostgreSQL without changing its meaning."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.db.database import dialect_of, redact_url
from bot.db.placeholders import arguments, translate
from bot.db.postgres import rows_changed


def test_question_marks_are_numbered_in_order() -> None:
    translated = translate("SELECT * FROM t WHERE a = ? AND b IN (?, ?) LIMIT ?")
    assert translated.sql == "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3) LIMIT $4"
    assert arguments(translated, (1, 2, 3, 4)) == [1, 2, 3, 4]


def test_named_placeholders_reuse_one_number_per_name() -> None:
    translated = translate("INSERT INTO t (a, b) VALUES (:a, :b) ON CONFLICT (a) DO UPDATE SET b = :b")
    assert translated.sql == "INSERT INTO t (a, b) VALUES ($1, $2) ON CONFLICT (a) DO UPDATE SET b = $2"
    assert arguments(translated, {"b": "x", "a": 7}) == [7, "x"]


def test_quoted_text_and_casts_are_left_alone() -> None:
    sql = "SELECT 'a ? :b', \"odd?name\", x::text, 'it''s ?' FROM t WHERE y = ?"
    translated = translate(sql)
    assert translated.sql == "SELECT 'a ? :b', \"odd?name\", x::text, 'it''s ?' FROM t WHERE y = $1"


def test_mixed_styles_and_wrong_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="either"):
        translate("SELECT ? WHERE a = :a")
    with pytest.raises(ValueError, match="takes 2"):
        arguments(translate("SELECT ?, ?"), (1,))
    with pytest.raises(TypeError):
        arguments(translate("SELECT :a"), (1,))


words = st.sampled_from(["SELECT", "a", "=", ",", "(", ")", "FROM", "t", "WHERE", "x::int"])
literals = st.text(alphabet="ab ?:'", max_size=8).map(lambda text: "'" + text.replace("'", "''") + "'")


@given(st.lists(st.one_of(words, literals, st.just("?")), max_size=30))
def test_only_placeholders_outside_quotes_change(parts: list[str]) -> None:
    """Every ? outside a literal becomes the next $n; everything else comes out as it went in."""
    sql = " ".join(parts)
    translated = translate(sql)
    expected: list[str] = []
    number = 0
    for part in parts:
        if part == "?":
            number += 1
            expected.append(f"${number}")
        else:
            expected.append(part)
    assert translated.sql == " ".join(expected)
    assert translated.count == number


def test_urls_name_their_backend_and_hide_passwords() -> None:
    """Both URL spellings select PostgreSQL; logs never show a password."""
    assert dialect_of("sqlite:///data/hearth.db") == "sqlite"
    assert dialect_of("postgresql://h@db/h") == dialect_of("postgres://h@db/h") == "postgresql"
    with pytest.raises(ValueError, match="postgresql://"):
        dialect_of("mysql://h@db/h")
    assert redact_url("postgresql://hearth:s3cret@db:5432/hearth") == "postgresql://hearth:***@db:5432/hearth"
    assert redact_url("postgresql://hearth@db/hearth") == "postgresql://hearth@db/hearth"


@pytest.mark.parametrize(
    ("status", "rows"), [("UPDATE 3", 3), ("INSERT 0 1", 1), ("DELETE 0", 0), ("CREATE TABLE", 0)]
)
def test_command_status_gives_the_rows_changed(status: str, rows: int) -> None:
    assert rows_changed(status) == rows
