"""Which permissions the bot lacks to post in a channel (prompts, cards), and who may configure Hearth."""

from __future__ import annotations

import discord

from bot.errors import MissingPermissionsError

# The attribute names of discord.Permissions, in the order Discord's settings list them.
BASE_PERMISSIONS = ("view_channel", "send_messages", "embed_links")
THREAD_PERMISSIONS = ("create_public_threads", "send_messages_in_threads")


def required_permissions(threads: bool) -> tuple[str, ...]:
    """Return the permissions posting a prompt or a card needs, with or without a thread."""
    return BASE_PERMISSIONS + THREAD_PERMISSIONS if threads else BASE_PERMISSIONS


def missing_permissions(permissions: discord.Permissions, *, threads: bool) -> list[str]:
    """Return the needed permissions (attribute names) that ``permissions`` lacks, in Discord's order."""
    return [name for name in required_permissions(threads) if not getattr(permissions, name)]


def bot_permissions_in(channel: discord.abc.GuildChannel) -> discord.Permissions:
    """Return the bot's own permissions in ``channel``, from the guild cache."""
    me = channel.guild.me
    if me is None:
        # Without our own member we can't compute overwrites; report nothing granted rather than guess.
        return discord.Permissions.none()
    return channel.permissions_for(me)


def require_manage_guild(permissions: discord.Permissions, message: str) -> None:
    """Raise a kind error unless ``permissions`` include Manage Server.

    Discord enforces ``default_permissions`` only as a default that server
    admins can change, so admin commands check again at run time.
    """
    if not permissions.manage_guild:
        raise MissingPermissionsError(message)
