"""Checks shared by the server cogs: which server, and whether the user may manage it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

from bot.errors import MissingPermissionsError
from bot.permissions import require_manage_guild

if TYPE_CHECKING:
    from bot.app import HearthBot

T = TypeVar("T")


class NotAnAdminError(MissingPermissionsError, app_commands.CheckFailure):
    """The user lacks Manage Server; shown as is (a check must raise an AppCommandError to reach the tree)."""


def _prompts_wording(bot: HearthBot) -> str:
    return bot.content.daily_prompts("setup.need_manage_server")


def admin_only(wording: Callable[[HearthBot], str] = _prompts_wording) -> Callable[[T], T]:
    """Refuse the command kindly, before it runs, unless the user has Manage Server here.

    Discord enforces ``default_permissions`` only as a default that server
    admins can change, so admin commands check again at run time. ``wording``
    picks the feature's text for the refusal.
    """

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        if not interaction.permissions.manage_guild:
            raise NotAnAdminError(wording(interaction.client))
        return True

    return app_commands.check(predicate)


def require_admin(interaction: discord.Interaction[Any]) -> None:
    """Refuse kindly unless the user has Manage Server here (for buttons, which have no checks)."""
    bot: HearthBot = interaction.client
    require_manage_guild(interaction.permissions, bot.content.daily_prompts("setup.need_manage_server"))


def guild_of(interaction: discord.Interaction[Any]) -> discord.Guild:
    """Return the server an interaction came from (these commands are server-only)."""
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage
    return interaction.guild
