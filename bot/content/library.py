"""All content, loaded and validated together at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.daily_prompts import DailyPromptTexts, load_daily_prompt_texts
from bot.content.errors import ContentError
from bot.content.help import HelpContent, load_help
from bot.content.prompts import PromptLibrary, load_prompt_library

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"


@dataclass(frozen=True)
class Content:
    """Every piece of user-facing content the bot uses."""

    help: HelpContent
    prompts: PromptLibrary
    daily_prompts: DailyPromptTexts


def load_content(root: Path = CONTENT_DIR) -> Content:
    """Load every content file under ``root``, raising ContentError listing all problems."""
    problems: list[str] = []
    loaded: dict[str, Any] = {}
    for name, load in (
        ("help", lambda: load_help(root / "help.toml")),
        ("prompts", lambda: load_prompt_library(root / "prompts")),
        ("daily_prompts", lambda: load_daily_prompt_texts(root / "daily_prompts.toml")),
    ):
        try:
            loaded[name] = load()
        except ContentError as error:
            problems.extend(error.problems)
    if problems:
        raise ContentError(problems)
    return Content(**loaded)
