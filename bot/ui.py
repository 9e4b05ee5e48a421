"""Shared pieces of Discord UI: colours and embed limits."""

from __future__ import annotations

from typing import Any

import discord

from bot.replies import MESSAGE_LIMIT
from bot.tree import report_interaction_error

__all__ = ["EMBED_TOTAL_LIMIT", "HEARTH_COLOUR", "MESSAGE_LIMIT", "HearthModal", "HearthView", "embed_fits"]

HEARTH_COLOUR = discord.Colour(0xE07A5F)
EMBED_TOTAL_LIMIT = 6000


def embed_fits(embed: discord.Embed) -> bool:
    """Return True when the embed is within Discord's size limits."""
    if len(embed) > EMBED_TOTAL_LIMIT or len(embed.fields) > 25:
        return False
    if embed.title and len(embed.title) > 256:
        return False
    if embed.description and len(embed.description) > 4096:
        return False
    return all(len(field.name or "") <= 256 and len(field.value or "") <= 1024 for field in embed.fields)


class HearthView(discord.ui.View):
    """A view whose callback errors are answered like command errors."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        """Answer the interaction kindly and log unexpected errors."""
        await report_interaction_error(interaction, error)


class HearthModal(discord.ui.Modal):
    """A modal whose submit errors are answered like command errors."""

    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:  # type: ignore[override]
        """Answer the interaction kindly and log unexpected errors."""
        await report_interaction_error(interaction, error)
