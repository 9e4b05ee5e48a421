"""Checks shared by the prompt cogs: which server, and whether the user may manage it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.prompts.permissions import require_manage_guild

if TYPE_CHECKING:
    from bot.app import HearthBot


def require_admin(interaction: discord.Interaction[Any]) -> None:
    """Refuse kindly unless the user has Manage Server here (Discord's defaults can be overridden)."""
    bot: HearthBot = interaction.client
    require_manage_guild(interaction.permissions, bot.content.daily_prompts("setup.need_manage_server"))


def guild_of(interaction: discord.Interaction[Any]) -> discord.Guild:
    """Return the server an interaction came from (these commands are server-only)."""
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage
    return interaction.guild
