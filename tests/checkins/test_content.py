"""content/checkins.toml validates, and the loader catches each kind of mistake."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.content.checkins import MAX_OPTIONS, PLACEHOLDERS, CheckinContent, load_checkin_content
from bot.content.errors import ContentError
from bot.content.library import CONTENT_DIR, load_content


def test_checkin_content_ships_valid(content: CheckinContent) -> None:
    """Five scale points, grouped feelings and the needs from the spec, each with its own suggestion."""
    assert [score.value for score in content.scores] == [1, 2, 3, 4, 5]
    assert len(content.groups) >= 4 and all(group.feelings for group in content.groups)
    assert len(content.feelings) <= MAX_OPTIONS
    needs = {need.id for need in content.needs}
    assert {"listened", "reassurance", "space", "help", "fun", "closeness", "apology"} <= needs
    assert load_content().checkins == content


def test_checkin_suggestions_speak_to_their_need(content: CheckinContent) -> None:
    """Every suggestion is one or two sentences, distinct, and opens with that need ("If you need...")."""
    suggestions = [need.suggestion for need in content.needs]
    assert len(set(suggestions)) == len(suggestions)
    for suggestion in suggestions:
        assert suggestion.startswith("If "), suggestion
        assert 1 <= len(re.findall(r"[.!?](\s|\"|$)", suggestion)) <= 3, suggestion


def test_checkin_texts_fill_every_placeholder(content: CheckinContent) -> None:
    """Every text formats with the placeholders the code passes."""
    for key, names in PLACEHOLDERS.items():
        assert content.texts(key, **dict.fromkeys(names, "x"))


@pytest.fixture
def toml_copy(tmp_path: Path) -> Path:
    target = tmp_path / "checkins.toml"
    shutil.copy(CONTENT_DIR / "checkins.toml", target)
    return target


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ('id = "hopeful"', 'id = "grateful"', "used twice"),
        ("value = 5", "value = 6", "exactly 1, 2, 3, 4, 5"),
        ('title = "Check in with yourself"', 'title = "' + "x" * 46 + '"', "at most 45"),
        ('later = "Later"', 'later = "Later {when}"', "unknown placeholders"),
        ('later = "Later"', 'soon = "Later"', "'dm.later' is missing"),
        ('id = "rest"', 'id = "Rest!"', "lowercase"),
        ("[checkin]", "[checkins]", "unknown text 'checkins.not_found'"),
    ],
)
def test_load_checkin_content_reports_mistakes(toml_copy: Path, old: str, new: str, problem: str) -> None:
    """Duplicate ids, a wrong scale, overlong labels, unknown placeholders and missing texts are reported."""
    text = toml_copy.read_text(encoding="utf-8")
    assert old in text
    toml_copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_checkin_content(toml_copy)
    assert any(problem in line for line in caught.value.problems), caught.value.problems


def test_load_checkin_content_refuses_more_feelings_than_a_menu_holds(toml_copy: Path) -> None:
    """More than 25 feelings would not fit one select menu."""
    extra = "".join(
        f'\n[[feeling_group]]\nid = "extra{i}"\nname = "Extra"\nfeelings = [{{ id = "f{i}", label = "F" }}]\n'
        for i in range(MAX_OPTIONS)
    )
    toml_copy.write_text(toml_copy.read_text(encoding="utf-8") + extra, encoding="utf-8")
    with pytest.raises(ContentError, match="at most 25"):
        load_checkin_content(toml_copy)
