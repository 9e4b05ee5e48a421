"""The daily prompt wording file validates, and broken copies are refused with a reason."""

from pathlib import Path

import pytest

from bot.content.daily_prompts import PLACEHOLDERS, load_daily_prompt_texts
from bot.content.errors import ContentError
from bot.content.library import CONTENT_DIR

SOURCE = CONTENT_DIR / "daily_prompts.toml"


def test_daily_prompt_texts_load() -> None:
    """Every text the code uses is present and renders with its placeholders."""
    texts = load_daily_prompt_texts(SOURCE)
    for key, names in PLACEHOLDERS.items():
        assert texts(key, **dict.fromkeys(names, "x"))


def test_daily_prompt_texts_unknown_placeholder(tmp_path: Path) -> None:
    """A text using a placeholder the code doesn't fill is refused."""
    broken = tmp_path / "daily_prompts.toml"
    broken.write_text(SOURCE.read_text(encoding="utf-8").replace("{answered} of {total}", "{count}"))
    with pytest.raises(ContentError, match="unknown placeholders"):
        load_daily_prompt_texts(broken)


def test_daily_prompt_texts_missing_and_too_long(tmp_path: Path) -> None:
    """A missing text and a modal title over 45 characters are both reported."""
    source = SOURCE.read_text(encoding="utf-8")
    source = source.replace('modal_title = "Your private answer"', 'modal_title = "' + "x" * 50 + '"')
    source = source.replace('empty = "An answer needs', 'not_a_key = "An answer needs')
    broken = tmp_path / "daily_prompts.toml"
    broken.write_text(source)
    with pytest.raises(ContentError) as raised:
        load_daily_prompt_texts(broken)
    problems = "\n".join(raised.value.problems)
    assert "'answer.empty' is missing" in problems
    assert "'answer.not_a_key'" in problems
    assert "at most 45" in problems
