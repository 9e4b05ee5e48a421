"""The gratitude wording file validates, and broken copies are refused with a reason."""

from pathlib import Path

import pytest

from bot.content.errors import ContentError
from bot.content.gratitude import PLACEHOLDERS, load_gratitude_texts
from bot.content.library import CONTENT_DIR, load_content

SOURCE = CONTENT_DIR / "gratitude.toml"


def test_gratitude_texts_load() -> None:
    """Every text the code uses is present and renders with its placeholders."""
    texts = load_gratitude_texts(SOURCE)
    for key, names in PLACEHOLDERS.items():
        assert texts(key, **dict.fromkeys(names, "x"))


def test_gratitude_texts_are_part_of_the_content() -> None:
    """The bot loads the gratitude wording with the rest of its content at start-up."""
    assert load_content().gratitude("card.title")


def test_gratitude_texts_unknown_placeholder(tmp_path: Path) -> None:
    """A text using a placeholder the code doesn't fill is refused."""
    broken = tmp_path / "gratitude.toml"
    broken.write_text(SOURCE.read_text(encoding="utf-8").replace("{recipient}, someone", "{sender}, someone"))
    with pytest.raises(ContentError, match="unknown placeholders"):
        load_gratitude_texts(broken)


def test_gratitude_texts_missing_and_too_long(tmp_path: Path) -> None:
    """A missing text and a form label over Discord's 45 characters are both reported."""
    source = SOURCE.read_text(encoding="utf-8")
    source = source.replace('text_label = "Your thank-you"', 'text_label = "' + "x" * 50 + '"')
    source = source.replace('off = "Done: no more DMs', 'not_a_key = "Done: no more DMs')
    broken = tmp_path / "gratitude.toml"
    broken.write_text(source)
    with pytest.raises(ContentError) as raised:
        load_gratitude_texts(broken)
    problems = "\n".join(raised.value.problems)
    assert "'notify.off' is missing" in problems
    assert "'notify.not_a_key'" in problems
    assert "at most 45" in problems
