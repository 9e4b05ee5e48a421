"""content/appreciation.toml: at least 60 distinct ideas within limits, and every reminder text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.appreciation import IDEA_TEXT_LIMIT, MIN_IDEAS, PLACEHOLDERS, load_appreciation
from bot.content.errors import ContentError
from bot.content.library import CONTENT_DIR, load_content


def test_appreciation_ideas_are_many_distinct_and_short() -> None:
    """At least 60 ideas, unique ids and texts, each at most 200 characters."""
    content = load_content().appreciation
    assert len(content.ideas) >= MIN_IDEAS
    assert len(set(content.idea_ids)) == len(content.ideas)
    assert len({idea.text.lower() for idea in content.ideas}) == len(content.ideas)
    assert all(len(idea.text) <= IDEA_TEXT_LIMIT for idea in content.ideas)
    assert set(content.texts.texts) == set(PLACEHOLDERS)


def test_appreciation_ideas_fit_any_relationship() -> None:
    """Ideas are read by partners, friends and family: none assumes romance."""
    for idea in load_content().appreciation.ideas:
        lowered = idea.text.lower()
        for word in (
            "partner",
            "romantic",
            "date night",
            "kiss",
            "boyfriend",
            "girlfriend",
            "wife",
            "husband",
        ):
            assert word not in lowered, idea.id


def test_appreciation_idea_lookup() -> None:
    """An idea is found by id; a removed one is None."""
    content = load_content().appreciation
    first = content.ideas[0]
    assert content.idea(first.id) == first
    assert content.idea("no-such-idea") is None


@pytest.fixture
def appreciation_file(tmp_path: Path) -> Path:
    target = tmp_path / "appreciation.toml"
    shutil.copy(CONTENT_DIR / "appreciation.toml", target)
    return target


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('id = "leave-a-note"', 'id = "name-a-small-kindness"', "is used twice"),
        ('id = "leave-a-note"', 'id = "Leave A Note"', "lowercase words"),
        ('id = "leave-a-note"\ntext = "', 'id = "leave-a-note"\ntext = "' + "a" * 200, "at most 200"),
        ('button_done = "Done"', 'button_done = "Done {idea}"', "unknown placeholders ['idea']"),
    ],
)
def test_appreciation_validator_names_each_problem(
    appreciation_file: Path, old: str, new: str, problem: str
) -> None:
    """Duplicate or malformed ids, overlong ideas and unknown placeholders are reported."""
    text = appreciation_file.read_text(encoding="utf-8")
    assert old in text
    appreciation_file.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_appreciation(appreciation_file)
    assert any(problem in line for line in caught.value.problems), caught.value.problems


def test_appreciation_validator_requires_sixty_ideas(appreciation_file: Path) -> None:
    """A file with too few ideas is refused."""
    text = appreciation_file.read_text(encoding="utf-8")
    head, _, tail = text.partition("[nudge]")
    blocks = head.split("[[idea]]")
    appreciation_file.write_text("[[idea]]".join(blocks[:11]) + "[nudge]" + tail, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_appreciation(appreciation_file)
    assert any("10 ideas (at least 60" in line for line in caught.value.problems)
