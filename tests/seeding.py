"""Servers configured as /setup prompts would store them, for tests and benchmarks that seed many."""

from __future__ import annotations

from datetime import datetime

from bot.db.database import Database
from bot.db.repos.prompt_config import PromptConfig
from bot.prompts.service import configure as configure_prompts


async def configure_daily_prompts(
    db: Database, guild_id: int, channel_id: int, admin_id: int, *, local_time: str, now: datetime
) -> PromptConfig:
    """Store a UTC daily prompt at ``local_time`` in ``channel_id`` (no ping, no threads, any audience)."""
    config = PromptConfig(
        guild_id=guild_id,
        channel_id=channel_id,
        local_time=local_time,
        timezone="UTC",
        ping_role_id=None,
        threads=False,
        audience="any",
        paused=False,
        paused_reason=None,
        configured_by=admin_id,
    )
    return await configure_prompts(db, config, now)
