"""Every content file validates, and the validator catches each kind of mistake."""

import shutil
from pathlib import Path

import pytest

from bot.content.errors import ContentError
from bot.content.library import CONTENT_DIR, load_content
from bot.content.prompts import (
    MIN_PROMPTS_PER_AUDIENCE,
    PROMPT_TEXT_LIMIT,
    Audience,
    load_prompt_library,
    normalised,
)


def test_content_all_files_validate() -> None:
    """The shipped content loads without a single problem."""
    content = load_content()
    assert len(content.prompts.themes) == 16
    assert len(content.prompts.prompts) >= 240


def test_content_prompts_cover_every_theme_and_audience() -> None:
    """Each theme has at least 12 prompts and each audience a month of prompts without repeats."""
    library = load_content().prompts
    for theme_id in library.themes:
        assert sum(prompt.theme == theme_id for prompt in library.prompts) >= 12
    for audience in Audience:
        eligible = library.for_audience(audience)
        assert len(eligible) >= MIN_PROMPTS_PER_AUDIENCE
        assert {prompt.theme for prompt in eligible} == set(library.themes)


def test_content_prompts_are_open_questions_within_limits() -> None:
    """Every prompt is a question of at most 200 characters, and no two say the same thing."""
    library = load_content().prompts
    texts = [normalised(prompt.text) for prompt in library.prompts]
    assert len(set(texts)) == len(texts)
    for prompt in library.prompts:
        assert len(prompt.text) <= PROMPT_TEXT_LIMIT
        assert "?" in prompt.text, prompt.id


def test_content_friends_and_family_prompts_do_not_assume_romance() -> None:
    """Prompts for friends, family or everyone never speak of a partner."""
    library = load_content().prompts
    for prompt in library.prompts:
        if prompt.audience is not Audience.COUPLE:
            assert "partner" not in prompt.text.lower(), prompt.id


@pytest.fixture
def prompts_dir(tmp_path: Path) -> Path:
    target = tmp_path / "prompts"
    shutil.copytree(CONTENT_DIR / "prompts", target)
    return target


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (
            '\n[[prompt]]\nid = "empathy-01"\naudience = "any"\ndepth = "light"\ntext = "Fresh words?"\n',
            "used 2",
        ),
        ('\n[[prompt]]\nid = "x-1"\naudience = "pets"\ndepth = "light"\ntext = "Fresh words?"\n', "audience"),
        (
            '\n[[prompt]]\nid = "x-2"\naudience = "any"\ndepth = "light"\ntext = "' + "a" * 201 + '?"\n',
            "is 202",
        ),
        ('\n[[prompt]]\nid = "x-3"\naudience = "any"\ndepth = "light"\ntext = ""\n', "non-empty"),
    ],
)
def test_load_prompt_library_reports_bad_prompts(prompts_dir: Path, extra: str, problem: str) -> None:
    """Duplicate ids, unknown audiences, overlong and empty texts are each reported."""
    append(prompts_dir / "empathy.toml", extra)
    with pytest.raises(ContentError) as caught:
        load_prompt_library(prompts_dir)
    assert any(problem in line for line in caught.value.problems), caught.value.problems


def test_load_prompt_library_reports_duplicate_text(prompts_dir: Path) -> None:
    """Two prompts that differ only in case and punctuation are duplicates."""
    first = load_prompt_library(prompts_dir).prompts[0]
    twin = first.text.upper().replace("?", " ?!")
    append(
        prompts_dir / "empathy.toml",
        f'\n[[prompt]]\nid = "twin"\naudience = "any"\ndepth = "light"\ntext = "{twin}"\n',
    )
    with pytest.raises(ContentError, match="same text"):
        load_prompt_library(prompts_dir)


def test_load_prompt_library_reports_unknown_theme(prompts_dir: Path) -> None:
    """A prompt file for a theme that themes.toml doesn't list is refused."""
    (prompts_dir / "gossip.toml").write_text('theme = "gossip"\n')
    with pytest.raises(ContentError, match=r"not listed in themes\.toml"):
        load_prompt_library(prompts_dir)


def test_load_prompt_library_reports_broken_toml(prompts_dir: Path) -> None:
    """A syntax error names the file."""
    append(prompts_dir / "empathy.toml", "\n[[prompt]\n")
    with pytest.raises(ContentError, match=r"empathy\.toml"):
        load_prompt_library(prompts_dir)
