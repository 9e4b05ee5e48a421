"""How deep a server's daily prompts may go: the /setup depth rule, applied by daily and manual posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.content.prompts import Audience, PromptLibrary
from bot.db.database import Database
from bot.db.repos import prompt_config
from bot.db.repos.prompt_config import PromptConfig
from bot.prompts.selection import DepthLimit, within


@dataclass(frozen=True)
class DepthChange:
    """A server's configuration after its depth changed, and how many library prompts now suit it."""

    config: PromptConfig
    suitable: int


def suitable_count(library: PromptLibrary, audience: Audience, limit: DepthLimit) -> int:
    """Return how many library prompts a server of ``audience`` can get within ``limit``."""
    return sum(1 for prompt in library.for_audience(audience) if within(limit, prompt.depth))


async def change_depth(
    db: Database, library: PromptLibrary, guild_id: int, limit: DepthLimit, now: datetime
) -> DepthChange | None:
    """Set a server's depth limit; return None when its prompts were never set up (nothing changes)."""
    if not await prompt_config.set_depth(db, guild_id, limit.value, now):
        return None
    config = await prompt_config.get(db, guild_id)
    if config is None:
        return None
    return DepthChange(config, suitable_count(library, Audience(config.audience), limit))
