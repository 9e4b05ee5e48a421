"""The deep prompts read with care: audiences that protect people, care in the words, every cell filled."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from bot.content.errors import ContentError
from bot.content.library import CONTENT_DIR, load_content
from bot.content.prompts import PARENTHESISED_ENDING, Audience, Depth, load_prompt_library

LIBRARY = load_content().prompts
DEEP = [prompt for prompt in LIBRARY.prompts if prompt.depth is Depth.DEEP]
# The seven suffixes the deep prompts used to end in, and their common core.
OLD_SUFFIXES = ("only if it feels right", "share only what feels okay", "only if you'd like to share")
# A framing phrase may recur a little (language has favourite words), but not as a template.
MAX_PROMPTS_PER_FRAMING_PHRASE = 4
# Prompts about someone who hurt you, moved where that person cannot be in the circle.
ABOUT_SOMEONE_WHO_HURT_YOU = (
    "rebuilding-trust-07",
    "rebuilding-trust-13",
    "rebuilding-trust-16",
    "repair-and-forgiveness-07",
    "repair-and-forgiveness-13",
    "repair-and-forgiveness-16",
    "empathy-16",
    "validation-16",
)


def care_sentence(text: str) -> str:
    """Return what follows a prompt's question: the words that carry its care."""
    return text[text.rindex("?") + 1 :].strip()


def test_library_has_at_least_320_prompts() -> None:
    """The library grew to at least 320 prompts, 20 per theme."""
    assert len(LIBRARY.prompts) >= 320
    assert min(Counter(prompt.theme for prompt in LIBRARY.prompts).values()) >= 20


def test_no_prompt_ends_in_a_parenthesised_opt_out() -> None:
    """No prompt closes on an aside like "(only if it feels right today)", nor uses the old suffixes."""
    for prompt in LIBRARY.prompts:
        assert not PARENTHESISED_ENDING.search(prompt.text), prompt.id
        assert not any(suffix in prompt.text.lower() for suffix in OLD_SUFFIXES), prompt.id


def test_every_deep_prompt_carries_its_care_in_a_sentence() -> None:
    """Each deep prompt follows its question with a sentence of its own that makes answering gentler."""
    for prompt in DEEP:
        care = care_sentence(prompt.text)
        assert len(care.split()) >= 4, prompt.id
        assert care[0].isupper() and care[-1] in ".!", prompt.id


def test_no_framing_phrase_repeats_across_more_than_a_few_prompts() -> None:
    """No three-word phrase of the deep prompts' care sentences appears in more than four of them."""
    counts: Counter[str] = Counter()
    for prompt in DEEP:
        words = re.findall(r"[a-z']+", care_sentence(prompt.text).lower())
        counts.update({" ".join(words[i : i + 3]) for i in range(len(words) - 2)})
    repeated = {phrase: count for phrase, count in counts.items() if count > MAX_PROMPTS_PER_FRAMING_PHRASE}
    assert repeated == {}
    assert len({care_sentence(prompt.text).lower() for prompt in DEEP}) == len(DEEP)


def test_prompts_about_someone_who_hurt_you_go_only_to_couples() -> None:
    """A family or friends circle may hold the person who hurt you, so those prompts are for couples."""
    by_id = {prompt.id: prompt for prompt in LIBRARY.prompts}
    for prompt_id in ABOUT_SOMEONE_WHO_HURT_YOU:
        assert by_id[prompt_id].audience is Audience.COUPLE, prompt_id
    for prompt in DEEP:
        being_hurt = "hurt" in prompt.text.lower() and "you've been the one" not in prompt.text
        if being_hurt:
            assert prompt.audience is Audience.COUPLE, prompt.id


def test_no_audience_depth_theme_cell_is_empty() -> None:
    """Every server, whatever its audience and depth limit, has at least one prompt in every theme."""
    assert LIBRARY.empty_cells() == []
    for audience in Audience:
        offered = LIBRARY.for_audience(audience)
        for theme_id in LIBRARY.themes:
            for depth in Depth:
                assert any(p.theme == theme_id and p.depth is depth for p in offered), (
                    audience,
                    theme_id,
                    depth,
                )


@pytest.fixture
def prompts_dir(tmp_path: Path) -> Path:
    target = tmp_path / "prompts"
    shutil.copytree(CONTENT_DIR / "prompts", target)
    return target


def test_loader_reports_an_empty_cell(prompts_dir: Path) -> None:
    """Without a theme's deep prompts for friends and for everyone, friends servers lack one: refused."""
    path = prompts_dir / "empathy.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    kept = [p for p in data["prompt"] if not (p["depth"] == "deep" and p["audience"] in ("any", "friends"))]
    lines = ['theme = "empathy"']
    for p in kept:
        lines += ["[[prompt]]", *(f"{key} = {json.dumps(value)}" for key, value in p.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_prompt_library(prompts_dir)
    assert "theme empathy has no deep prompt for audience friends" in caught.value.problems


def test_loader_reports_a_parenthesised_ending(prompts_dir: Path) -> None:
    """A prompt closing on an aside is refused at start-up, naming it."""
    extra = (
        '\n[[prompt]]\nid = "aside-1"\naudience = "any"\ndepth = "deep"\n'
        'text = "What matters? (if you like)"\n'
    )
    with (prompts_dir / "empathy.toml").open("a", encoding="utf-8") as handle:
        handle.write(extra)
    with pytest.raises(ContentError) as caught:
        load_prompt_library(prompts_dir)
    assert any("aside-1" in line and "aside" in line for line in caught.value.problems)
