"""Building an I-statement: cleaning each part, validating, assembling and gentle tips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.repair.statement import (
    PART_LIMITS,
    Part,
    Problem,
    ProblemKind,
    Statement,
    assemble,
    clean_part,
    clean_statement,
    gentle_tips,
    problems_of,
)

TEMPLATE = "I feel {feel} when {when}, because {because}. What I need is {need}."
WILL_DO = "Next time, I'll {will_do}."
GOOD = Statement(
    feel="hurt", when="plans change late", because="I was looking forward to it", need="a heads-up"
)


@pytest.mark.parametrize(
    ("part", "typed", "cleaned"),
    [
        (Part.FEEL, "I feel hurt.", "hurt"),
        (Part.FEEL, "i'm feeling   a bit\nlonely!", "a bit lonely"),
        (Part.FEEL, "I\u2019m feeling left out", "left out"),
        (Part.FEEL, "I feel", ""),
        (Part.FEEL, "Feelings matter", "Feelings matter"),
        (Part.WHEN, "When you're late, ", "you're late"),
        (Part.WHEN, "whenever we argue", "whenever we argue"),
        (Part.BECAUSE, "because, honestly, I worry", "honestly, I worry"),
        (Part.NEED, "What I need is a hug...", "a hug"),
        (Part.NEED, "I need time to think", "time to think"),
        (Part.WILL_DO, "Next time, I'll ask first.", "ask first"),
        (Part.WILL_DO, "", ""),
        (Part.WILL_DO, "I will listen.", "listen"),
    ],
)
def test_clean_part_drops_repeated_leads_and_end_punctuation(part: Part, typed: str, cleaned: str) -> None:
    """Words the template already says, extra whitespace and trailing punctuation are removed."""
    assert clean_part(part, typed) == cleaned


def test_problems_of_names_empty_and_overlong_parts_without_their_text() -> None:
    """Empty required parts and overlong parts are problems; the optional part may be empty."""
    assert problems_of(GOOD) == []
    empty = Statement(feel="", when="x", because=" ", need="y")
    assert problems_of(empty) == [
        Problem(Part.FEEL, ProblemKind.EMPTY, 0, PART_LIMITS[Part.FEEL]),
        Problem(Part.BECAUSE, ProblemKind.EMPTY, 0, PART_LIMITS[Part.BECAUSE]),
    ]
    long = Statement(feel="a" * 151, when="x", because="y", need="z", will_do="w" * 301)
    assert problems_of(long) == [
        Problem(Part.FEEL, ProblemKind.TOO_LONG, 151, 150),
        Problem(Part.WILL_DO, ProblemKind.TOO_LONG, 301, 300),
    ]
    assert all("a" * 10 not in repr(problem) for problem in problems_of(long))


def test_assemble_fills_the_template_and_adds_the_optional_part() -> None:
    """The statement reads as one message; "what I'll do" is added only when given."""
    assert assemble(GOOD, TEMPLATE, WILL_DO) == (
        "I feel hurt when plans change late, because I was looking forward to it. What I need is a heads-up."
    )
    with_promise = Statement(**{**GOOD.__dict__, "will_do": "tell you sooner"})
    assert assemble(with_promise, TEMPLATE, WILL_DO).endswith("a heads-up. Next time, I'll tell you sooner.")


def test_assemble_keeps_braces_typed_by_the_person() -> None:
    """Text that looks like a placeholder is kept verbatim, never formatted again."""
    odd = Statement(feel="{need}", when="{0}", because="x", need="y")
    assert assemble(odd, TEMPLATE, WILL_DO).startswith("I feel {need} when {0},")


@given(
    st.text(max_size=150),
    st.text(max_size=300),
    st.text(max_size=300),
    st.text(max_size=300),
    st.text(max_size=300),
)
def test_cleaned_statements_stay_within_limits(
    feel: str, when: str, because: str, need: str, will_do: str
) -> None:
    """Cleaning never makes a part longer, so a statement the form accepted only fails when a part empties."""
    cleaned = clean_statement(Statement(feel, when, because, need, will_do))
    for part in Part:
        assert len(cleaned.part(part)) <= PART_LIMITS[part]
    assert all(problem.kind is ProblemKind.EMPTY for problem in problems_of(cleaned))
    assert len(assemble(cleaned, TEMPLATE, WILL_DO)) < 1500


def test_gentle_tips_find_blame_phrases_once_each() -> None:
    """Flagged phrases give their tip once, in flag order; word boundaries and apostrophes are respected."""
    flags = [("you always", "tip-always"), ("you never", "tip-never"), ("feel like you", "tip-thought")]
    text = "I feel like you never listen, and you always interrupt. You never ask."
    assert gentle_tips(text, flags) == ["tip-always", "tip-never", "tip-thought"]
    assert gentle_tips("Yours always, I feel calm", flags) == []
    assert gentle_tips("You\u2019re great", [("you're great", "tip")]) == ["tip"]
