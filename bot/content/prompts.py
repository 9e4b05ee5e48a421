"""The daily prompt library, from content/prompts/*.toml."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.content.errors import ContentError
from bot.content.toml_files import read_toml, require_str

PROMPT_TEXT_LIMIT = 200
THEME_NAME_LIMIT = 80
THEME_DESCRIPTION_LIMIT = 160
MIN_PROMPTS_PER_THEME = 12
# A server should be able to run a month on one audience without seeing a prompt twice.
MIN_PROMPTS_PER_AUDIENCE = 30
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A parenthesised aside at the very end, like "(only if it feels right today)": care reads as a
# disclaimer there, so prompts carry it in their own words instead.
PARENTHESISED_ENDING = re.compile(r"\([^()]*\)\W*$")


class Audience(StrEnum):
    """Who a prompt is written for."""

    COUPLE = "couple"
    FRIENDS = "friends"
    FAMILY = "family"
    ANY = "any"


class Depth(StrEnum):
    """How much a prompt asks of the people answering it."""

    LIGHT = "light"
    MEDIUM = "medium"
    DEEP = "deep"


@dataclass(frozen=True)
class Theme:
    """A theme of emotional safety that prompts belong to."""

    id: str
    name: str
    description: str


@dataclass(frozen=True)
class Prompt:
    """One conversation prompt."""

    id: str
    theme: str
    audience: Audience
    depth: Depth
    text: str

    def suits(self, audience: Audience) -> bool:
        """Return True when this prompt may be posted for a server of ``audience``."""
        # A mixed ("any") server gets only prompts written for everyone.
        return self.audience is Audience.ANY or self.audience is audience


@dataclass(frozen=True)
class PromptLibrary:
    """Every theme and prompt, validated."""

    themes: dict[str, Theme]
    prompts: tuple[Prompt, ...]

    def for_audience(self, audience: Audience) -> list[Prompt]:
        """Return the prompts that suit a server of ``audience``, in library order."""
        return [prompt for prompt in self.prompts if prompt.suits(audience)]

    def empty_cells(self) -> list[tuple[Audience, str, Depth]]:
        """Return each (audience, theme, depth) for which a server of that audience would get no prompt."""
        return _empty_cells(self.themes, self.prompts)


def _empty_cells(themes: dict[str, Theme], prompts: Sequence[Prompt]) -> list[tuple[Audience, str, Depth]]:
    # What selection can offer a server: its own audience's prompts plus the "any" ones.
    offered = {
        (audience, prompt.theme, prompt.depth)
        for prompt in prompts
        for audience in Audience
        if prompt.suits(audience)
    }
    return [
        (audience, theme_id, depth)
        for audience in Audience
        for theme_id in themes
        for depth in Depth
        if (audience, theme_id, depth) not in offered
    ]


def normalised(text: str) -> str:
    """Return ``text`` lowercased with punctuation and extra spaces removed, for duplicate checks."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _load_themes(path: Path, problems: list[str]) -> dict[str, Theme]:
    themes: dict[str, Theme] = {}
    for index, raw in enumerate(read_toml(path).get("theme", []), start=1):
        where = f"{path.name} theme {index}"
        theme_id = require_str(raw, "id", where, problems, max_len=64)
        name = require_str(raw, "name", where, problems, max_len=THEME_NAME_LIMIT)
        description = require_str(raw, "description", where, problems, max_len=THEME_DESCRIPTION_LIMIT)
        if theme_id in themes:
            problems.append(f"{where}: duplicate theme id {theme_id!r}")
        themes[theme_id] = Theme(theme_id, name, description)
    if not themes:
        problems.append(f"{path.name}: no [[theme]] tables")
    return themes


def _load_prompt(raw: dict[str, Any], theme_id: str, where: str, problems: list[str]) -> Prompt | None:
    prompt_id = require_str(raw, "id", where, problems, max_len=64)
    text = require_str(raw, "text", where, problems, max_len=PROMPT_TEXT_LIMIT)
    if prompt_id and not _ID.match(prompt_id):
        problems.append(f"{where}: id {prompt_id!r} must be lowercase words joined by '-'")
    if PARENTHESISED_ENDING.search(text):
        problems.append(f"{where} ({prompt_id}): put its care into the sentence, not a closing (aside)")
    try:
        audience = Audience(str(raw.get("audience")))
        depth = Depth(str(raw.get("depth")))
    except ValueError:
        problems.append(
            f"{where} ({prompt_id}): audience must be one of {[a.value for a in Audience]} "
            f"and depth one of {[d.value for d in Depth]}"
        )
        return None
    return Prompt(prompt_id, theme_id, audience, depth, text)


def load_prompt_library(directory: Path) -> PromptLibrary:
    """Load and validate the themes and every theme's prompts in ``directory``."""
    problems: list[str] = []
    themes = _load_themes(directory / "themes.toml", problems)
    prompts: list[Prompt] = []
    for path in sorted(directory.glob("*.toml")):
        if path.name == "themes.toml":
            continue
        data = read_toml(path)
        theme_id = data.get("theme")
        if theme_id not in themes:
            problems.append(f"{path.name}: theme {theme_id!r} is not listed in themes.toml")
            continue
        if path.stem != theme_id:
            problems.append(f"{path.name}: file name should be {theme_id}.toml")
        for index, raw in enumerate(data.get("prompt", []), start=1):
            prompt = _load_prompt(raw, str(theme_id), f"{path.name} prompt {index}", problems)
            if prompt is not None:
                prompts.append(prompt)
    problems.extend(_library_problems(themes, prompts))
    if problems:
        raise ContentError(problems)
    return PromptLibrary(themes, tuple(prompts))


def _library_problems(themes: dict[str, Theme], prompts: list[Prompt]) -> list[str]:
    problems: list[str] = []
    for prompt_id, count in Counter(prompt.id for prompt in prompts).items():
        if count > 1:
            problems.append(f"prompt id {prompt_id!r} is used {count} times")
    seen: dict[str, str] = {}
    for prompt in prompts:
        key = normalised(prompt.text)
        if key in seen:
            problems.append(f"prompts {seen[key]} and {prompt.id} have the same text")
        seen.setdefault(key, prompt.id)
    per_theme = Counter(prompt.theme for prompt in prompts)
    for theme_id in themes:
        if per_theme[theme_id] < MIN_PROMPTS_PER_THEME:
            problems.append(
                f"theme {theme_id} has {per_theme[theme_id]} prompts (at least {MIN_PROMPTS_PER_THEME})"
            )
    for audience in Audience:
        eligible = [prompt for prompt in prompts if prompt.suits(audience)]
        if len(eligible) < MIN_PROMPTS_PER_AUDIENCE:
            problems.append(
                f"only {len(eligible)} prompts suit audience {audience} (at least {MIN_PROMPTS_PER_AUDIENCE})"
            )
    for audience, theme_id, depth in _empty_cells(themes, prompts):
        problems.append(f"theme {theme_id} has no {depth} prompt for audience {audience}")
    return problems
