"""What the author reads after checking in, and what a chosen person receives (never the note)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.checkins.replies import saved_text, score_saved_text
from bot.checkins.sharing import share_text
from bot.content.checkins import CheckinContent, load_checkin_content
from bot.content.library import CONTENT_DIR
from bot.db.repos.checkins import Checkin, CheckinSource
from bot.replies import join_names

CONTENT = load_checkin_content(CONTENT_DIR / "checkins.toml")
NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def checkin(note: str | None, score: int = 3) -> Checkin:
    return Checkin(
        id=1,
        user_id=2,
        score=score,
        feelings=("hopeful", "tired"),
        needs=("reassurance",),
        note=note,
        source=CheckinSource.COMMAND,
        created_at=NOW,
        updated_at=NOW,
    )


def test_saved_text_gives_the_suggestion_for_each_need(content: CheckinContent) -> None:
    """Each chosen need gets its own suggestion; none chosen gets a gentle line instead."""
    text = saved_text(4, ["space", "fun"], content, resources="/resources", in_guild=True)
    assert "4/5 · Mostly" in text
    assert content.need("space").suggestion in text  # type: ignore[union-attr]
    assert content.need("fun").suggestion in text  # type: ignore[union-attr]
    assert content.texts("saved.no_need") in saved_text(4, [], content, resources="r", in_guild=True)


def test_low_scores_point_gently_to_resources(content: CheckinContent) -> None:
    """Scores of 1 and 2, and only those, mention /resources; the safety line is always there."""
    for score in (1, 2, 3, 4, 5):
        text = saved_text(score, [], content, resources="</resources:1>", in_guild=False)
        assert ("</resources:1>" in text) is (score <= 2)
        assert "emergency services" in text
        assert ("</resources:1>" in score_saved_text(score, content, resources="</resources:1>")) is (
            score <= 2
        )


def test_saved_text_offers_sharing_only_where_it_can_be_done(content: CheckinContent) -> None:
    """In a server the reply explains the share menu; in DMs it says where sharing works."""
    assert content.texts("saved.share_hint") in saved_text(3, [], content, resources="r", in_guild=True)
    assert content.texts("saved.share_in_dm") in saved_text(3, [], content, resources="r", in_guild=False)


@given(st.text(min_size=1, max_size=1000).filter(lambda t: t.strip() and len(t.strip()) > 3))
def test_share_text_never_contains_the_note(note: str) -> None:
    """Whatever the note says, the shared summary carries score, feelings and needs only."""
    text = share_text(checkin(note.strip()), "Alice", CONTENT)
    assert "3/5" in text and "Hopeful, Tired" in text and "Reassurance" in text
    if note.strip() not in share_text(checkin(None), "Alice", CONTENT):
        assert note.strip() not in text


def test_join_names_reads_naturally() -> None:
    """Lists of people are joined with commas and "and"."""
    assert join_names([]) == ""
    assert join_names(["A"]) == "A"
    assert join_names(["A", "B"]) == "A and B"
    assert join_names(["A", "B", "C"]) == "A, B and C"


def test_note_pointer_replaces_the_low_score_line_and_appears_for_any_score(content: CheckinContent) -> None:
    """A danger note brings the gentle pointer at any score, once, and never the low-score line."""
    pointer = "GENTLE POINTER </resources:1>"
    for score in range(1, 6):
        text = saved_text(score, [], content, resources="</resources:1>", in_guild=True, note_pointer=pointer)
        assert text.count("</resources:1>") == 1
        assert pointer in text
        assert content.texts("saved.low_score", resources="</resources:1>") not in text
    assert pointer not in saved_text(4, [], content, resources="r", in_guild=True)


def test_help_comes_before_any_tip(content: CheckinContent) -> None:
    """The note pointer opens the reply; the low-score line comes before the suggestions."""
    pointer = "GENTLE POINTER"
    tip = content.need("space")
    assert tip is not None
    text = saved_text(4, ["space"], content, resources="r", in_guild=True, note_pointer=pointer)
    assert text.startswith(pointer)
    low = saved_text(1, ["space"], content, resources="r", in_guild=True)
    assert low.index(content.texts("saved.low_score", resources="r")) < low.index(tip.suggestion)
