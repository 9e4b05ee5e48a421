"""Daily prompts' storage for the cogs: the server's set-up, its circle, its posts and suggestions.

The cogs parse Discord input, call these and render what they return. Saving
the set-up writes the configuration and its daily schedule in one transaction,
so a crash never leaves a configuration whose prompt never posts. Posting,
pausing and resuming (which talk to Discord) live in :mod:`bot.prompts.posting`.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from bot.db.database import Database
from bot.db.repos import circles, prompt_config, prompt_posts, suggestions
from bot.db.repos.prompt_config import PromptConfig as PromptConfig
from bot.db.repos.prompt_posts import PromptPost as PromptPost
from bot.db.repos.suggestions import Suggestion as Suggestion
from bot.db.repos.suggestions import SuggestionStatus as SuggestionStatus
from bot.prompts.posting import save_schedule
from bot.schedule.recurrence import weekdays_to_mask

log = logging.getLogger(__name__)


# --- the server's set-up ----------------------------------------------------------------------------


async def config_of(db: Database, guild_id: int) -> PromptConfig | None:
    """Return the server's prompt configuration, or None if prompts were never set up there."""
    return await prompt_config.get(db, guild_id)


async def configure(db: Database, config: PromptConfig, now: datetime) -> PromptConfig:
    """Store a server's configuration and its daily schedule together, as /setup prompts does."""
    async with db.transaction() as tx:
        saved = await prompt_config.save(tx, config, now)
        await save_schedule(tx, saved, now)
    log.info("Daily prompts set up in guild %s by user %s", saved.guild_id, saved.configured_by)
    return saved


async def change_days(
    db: Database, guild_id: int, weekdays: frozenset[int], now: datetime
) -> PromptConfig | None:
    """Set the weekdays a server's prompt comes on, with its schedule; None if prompts aren't set up."""
    async with db.transaction() as tx:
        if not await prompt_config.set_weekdays(tx, guild_id, weekdays_to_mask(weekdays), now):
            return None
        changed = await prompt_config.get(tx, guild_id)
        if changed is None:
            return None
        await save_schedule(tx, changed, now)
    log.info("Daily prompt days of guild %s changed", guild_id)
    return changed


async def recent_posts(db: Database, guild_id: int, limit: int) -> list[PromptPost]:
    """Return the server's last ``limit`` posts, newest first (prompts and themes; no answers)."""
    return await prompt_posts.recent(db, guild_id, limit)


async def post_for_date(db: Database, guild_id: int, local_date: date) -> PromptPost | None:
    """Return the prompt the server posted on ``local_date`` (its local day), if any."""
    return await prompt_posts.for_date(db, guild_id, local_date)


# --- the circle --------------------------------------------------------------------------------------


async def join_circle(db: Database, guild_id: int, user_id: int, now: datetime) -> bool:
    """Add someone to the server's circle; return False if they were in it already."""
    return await circles.join(db, guild_id, user_id, now)


async def circle_members(db: Database, guild_id: int) -> list[int]:
    """Return the ids of the people in the server's circle."""
    return await circles.members(db, guild_id)


# --- suggestions -------------------------------------------------------------------------------------


async def suggest(
    db: Database, *, guild_id: int, author_id: int, text: str, theme: str | None, now: datetime
) -> Suggestion:
    """Store a suggestion for the server's admins to review."""
    suggestion = await suggestions.add(
        db, guild_id=guild_id, author_id=author_id, text=text, theme=theme, now=now
    )
    log.info("Suggestion %s stored in guild %s", suggestion.id, guild_id)
    return suggestion


async def pending_suggestions(db: Database, guild_id: int) -> list[Suggestion]:
    """Return the server's suggestions awaiting review, oldest first."""
    return await suggestions.with_status(db, guild_id, SuggestionStatus.PENDING)


async def count_pending(db: Database, guild_id: int) -> int:
    """Return how many suggestions await review in the server."""
    return await suggestions.count_pending(db, guild_id)


async def review(
    db: Database, suggestion_id: int, guild_id: int, status: SuggestionStatus, reviewer_id: int, now: datetime
) -> bool:
    """Approve or reject a pending suggestion of the server; return False if it was not pending there."""
    return await suggestions.review(db, suggestion_id, guild_id, status, reviewer_id, now)
