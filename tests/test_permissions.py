"""Which permissions the bot lacks to post prompts, and the admin check."""

from unittest.mock import MagicMock

import discord
import pytest

from bot.errors import MissingPermissionsError
from bot.permissions import (
    bot_permissions_in,
    missing_permissions,
    require_manage_guild,
    required_permissions,
)


@pytest.mark.parametrize(
    ("granted", "threads", "missing"),
    [
        (discord.Permissions.all(), True, []),
        (discord.Permissions.none(), False, ["view_channel", "send_messages", "embed_links"]),
        (
            discord.Permissions(view_channel=True, send_messages=True),
            False,
            ["embed_links"],
        ),
        (
            discord.Permissions(view_channel=True, send_messages=True, embed_links=True),
            True,
            ["create_public_threads", "send_messages_in_threads"],
        ),
        (
            discord.Permissions(
                view_channel=True, send_messages=True, embed_links=True, create_public_threads=True
            ),
            True,
            ["send_messages_in_threads"],
        ),
        (discord.Permissions(view_channel=True, send_messages=True, embed_links=True), False, []),
    ],
)
def test_missing_permissions_table(granted: discord.Permissions, threads: bool, missing: list[str]) -> None:
    """Exactly the needed permissions that are not granted are reported, in Discord's order."""
    assert missing_permissions(granted, threads=threads) == missing


def test_required_permissions_threads_add_two() -> None:
    """Threads need two more permissions than a plain post."""
    assert len(required_permissions(True)) == len(required_permissions(False)) + 2


def test_bot_permissions_in_uses_the_bots_member() -> None:
    """Permissions are computed for the bot's own member in that channel."""
    channel = MagicMock(spec=discord.TextChannel)
    channel.guild.me = object()
    channel.permissions_for.return_value = discord.Permissions(send_messages=True)
    assert bot_permissions_in(channel) == discord.Permissions(send_messages=True)
    channel.permissions_for.assert_called_once_with(channel.guild.me)


def test_bot_permissions_in_without_member_grants_nothing() -> None:
    """Without the bot's member in the cache, nothing is assumed to be granted."""
    channel = MagicMock(spec=discord.TextChannel)
    channel.guild.me = None
    assert bot_permissions_in(channel) == discord.Permissions.none()


def test_require_manage_guild() -> None:
    """Manage Server passes; anything less raises the kind message given."""
    require_manage_guild(discord.Permissions(manage_guild=True), "no")
    with pytest.raises(MissingPermissionsError, match="Manage Server please"):
        require_manage_guild(
            discord.Permissions(administrator=False, send_messages=True), "Manage Server please"
        )
