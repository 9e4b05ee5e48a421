"""Keyed text tables: what a text keeps of its own spacing."""

from __future__ import annotations

from bot.content.texts import read_text_table


def test_a_text_that_continues_a_sentence_keeps_its_leading_space() -> None:
    """Only a multi-line string's newlines are trimmed, so fragments join with their spaces."""
    problems: list[str] = []
    table = read_text_table(
        {"check": {"ok": "I can post here{more}.", "more": " and open a thread", "long": "\nTwo\nlines\n"}},
        "test.toml",
        {"check.ok": frozenset({"more"}), "check.more": frozenset(), "check.long": frozenset()},
        problems,
        limits={},
        default_limit=100,
    )
    assert problems == []
    assert table("check.ok", more=table("check.more")) == "I can post here and open a thread."
    assert table("check.long") == "Two\nlines"
