"""All content, loaded and validated together at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from bot.content.appreciation import AppreciationContent, load_appreciation
from bot.content.checkins import CheckinContent, load_checkin_content
from bot.content.daily_prompts import DailyPromptTexts, load_daily_prompt_texts
from bot.content.errors import ContentError
from bot.content.gratitude import GratitudeTexts, load_gratitude_texts
from bot.content.help import HelpContent, load_help
from bot.content.pairs import PairTexts, load_pair_texts
from bot.content.privacy import PrivacyTexts, load_privacy_texts
from bot.content.prompts import PromptLibrary, load_prompt_library
from bot.content.repair import RepairContent, load_repair
from bot.content.resource_files import load_resources
from bot.content.resources import ResourcesContent

# The TOML files ship inside the package, so an installed Hearth finds them from any working directory.
# A wheel installs them as plain files, which is why the resource is a real path.
CONTENT_DIR = Path(str(files("bot.content").joinpath("data")))


@dataclass(frozen=True)
class Content:
    """Every piece of user-facing content the bot uses."""

    help: HelpContent
    prompts: PromptLibrary
    daily_prompts: DailyPromptTexts
    checkins: CheckinContent
    appreciation: AppreciationContent
    repair: RepairContent
    privacy: PrivacyTexts
    resources: ResourcesContent
    gratitude: GratitudeTexts
    pairs: PairTexts


def load_content(root: Path = CONTENT_DIR) -> Content:
    """Load every content file under ``root``, raising ContentError listing all problems."""
    problems: list[str] = []
    loaded: dict[str, Any] = {}
    for name, load in (
        ("help", lambda: load_help(root / "help.toml")),
        ("prompts", lambda: load_prompt_library(root / "prompts")),
        ("daily_prompts", lambda: load_daily_prompt_texts(root / "daily_prompts.toml")),
        ("checkins", lambda: load_checkin_content(root / "checkins.toml")),
        ("appreciation", lambda: load_appreciation(root / "appreciation.toml")),
        ("repair", lambda: load_repair(root / "repair.toml")),
        ("privacy", lambda: load_privacy_texts(root / "privacy.toml")),
        ("resources", lambda: load_resources(root / "resources.toml")),
        ("gratitude", lambda: load_gratitude_texts(root / "gratitude.toml")),
        ("pairs", lambda: load_pair_texts(root / "pairs.toml")),
    ):
        try:
            loaded[name] = load()
        except ContentError as error:
            problems.extend(error.problems)
    if problems:
        raise ContentError(problems)
    return Content(**loaded)
