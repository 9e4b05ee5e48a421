"""Check-in answers are validated on the server: score 1-5, known ids only, a note within its limit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.checkins.form import MAX_NEEDS, NOTE_LIMIT, clean_note, parse_score, validate_answers
from bot.content.checkins import CheckinContent, load_checkin_content
from bot.content.library import CONTENT_DIR
from bot.errors import InvalidInputError

CONTENT = load_checkin_content(CONTENT_DIR / "checkins.toml")
FEELING_IDS = [feeling.id for feeling in CONTENT.feelings]
NEED_IDS = [need.id for need in CONTENT.needs]


@pytest.mark.parametrize("raw", ["1", "5", 3, " 4 "])
def test_parse_score_accepts_one_to_five(raw: str | int, content: CheckinContent) -> None:
    """Radio values and button digits 1-5 become the score."""
    assert parse_score(raw, content) == int(str(raw).strip())


@pytest.mark.parametrize("raw", [None, "", "0", "6", "3.5", "three", -1])
def test_parse_score_refuses_anything_else(raw: str | int | None, content: CheckinContent) -> None:
    """A missing or forged score is refused kindly."""
    with pytest.raises(InvalidInputError, match="from 1 to 5"):
        parse_score(raw, content)


def test_validate_answers_keeps_order_and_drops_repeats(content: CheckinContent) -> None:
    """Feelings and needs keep the order chosen, once each; the note is trimmed."""
    answers = validate_answers("2", ["tired", "anxious", "tired"], ["space", "rest"], "  hi  ", content)
    assert (answers.score, answers.feelings, answers.needs, answers.note) == (
        2,
        ("tired", "anxious"),
        ("space", "rest"),
        "hi",
    )


@pytest.mark.parametrize(
    ("feelings", "needs"),
    [(["smug"], []), ([], ["world-peace"]), ([], NEED_IDS[: MAX_NEEDS + 1])],
)
def test_validate_answers_refuses_unknown_or_too_many(
    feelings: list[str], needs: list[str], content: CheckinContent
) -> None:
    """An id the form never offered, or more than three needs, saves nothing."""
    with pytest.raises(InvalidInputError, match="nothing was saved"):
        validate_answers("3", feelings, needs, None, content)


def test_clean_note_limits_length_without_echoing_it(content: CheckinContent) -> None:
    """A blank note is None; an overlong one is refused with its length, never its text."""
    assert clean_note("   ", content) is None
    assert clean_note("x" * NOTE_LIMIT, content) == "x" * NOTE_LIMIT
    with pytest.raises(InvalidInputError) as caught:
        clean_note("secret " * 200, content)
    assert "secret" not in caught.value.message
    assert str(len(("secret " * 200).strip())) in caught.value.message


@given(
    st.lists(st.sampled_from(FEELING_IDS)),
    st.lists(st.sampled_from(NEED_IDS), max_size=MAX_NEEDS),
    st.text(max_size=NOTE_LIMIT),
)
def test_validate_answers_accepts_every_offered_choice(
    feelings: list[str], needs: list[str], note: str
) -> None:
    """Any combination the form offers is accepted, as distinct known ids, and the repr hides the note."""
    answers = validate_answers("4", feelings, needs, note, CONTENT)
    assert list(answers.feelings) == list(dict.fromkeys(feelings))
    assert set(answers.needs) <= set(NEED_IDS)
    assert "note" not in repr(answers)
