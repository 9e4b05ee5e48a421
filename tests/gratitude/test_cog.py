"""The gratitude cog's helpers, with spec'd Discord objects: refusals, recipients and permissions."""

from __future__ import annotations

from typing import Any
from unittest.mock import AsyncMock, MagicMock

import discord
import pytest

from bot.content.library import load_content
from bot.errors import InvalidInputError
from bot.gratitude.validation import CardRefusedError, Refusal
from cogs.gratitude import can_manage_messages, recipient_of, refusal_error


def test_every_refusal_has_its_own_kind_message() -> None:
    """Each refusal becomes an InvalidInputError with its own wording; too long names both numbers."""
    bot: Any = MagicMock()
    bot.content = load_content()
    messages = set()
    for refusal in Refusal:
        error = refusal_error(bot, CardRefusedError(refusal, length=1234))
        assert isinstance(error, InvalidInputError)
        messages.add(error.message)
    assert len(messages) == len(Refusal)
    too_long = refusal_error(bot, CardRefusedError(Refusal.TOO_LONG, length=1234)).message
    assert "1234" in too_long and "1000" in too_long


def user(user_id: int, *, bot: bool = False) -> Any:
    mock = MagicMock(spec=discord.User)
    mock.id = user_id
    mock.bot = bot
    return mock


def guild_with(fetch: Any) -> Any:
    guild = MagicMock(spec=discord.Guild)
    guild.id = 1
    guild.get_member.return_value = None
    guild.fetch_member = AsyncMock(side_effect=fetch)
    return guild


async def test_recipient_of_bots_and_self_need_no_lookup() -> None:
    """A bot or the sender is recognised without asking Discord anything."""
    guild = guild_with(AssertionError("no lookup expected"))
    assert (await recipient_of(guild, user(5, bot=True), 9)).is_bot
    itself = await recipient_of(guild, user(9), 9)
    assert itself.user_id == 9 and not itself.is_bot
    guild.fetch_member.assert_not_awaited()


async def test_recipient_of_asks_discord_about_membership() -> None:
    """A plain user (no member data) is looked up: found means a member, 404 means not one."""
    response = MagicMock(status=404, reason="Not Found")
    missing = discord.NotFound(response, {"code": 10007, "message": "Unknown Member"})
    assert (await recipient_of(guild_with(lambda _id: MagicMock()), user(5), 9)).is_member
    assert not (await recipient_of(guild_with(missing), user(5), 9)).is_member


async def test_recipient_of_member_of_this_server() -> None:
    """A resolved member of this server is a member without any lookup."""
    member = MagicMock(spec=discord.Member)
    member.id, member.bot = 5, False
    member.guild = MagicMock(id=1)
    guild = guild_with(AssertionError("no lookup expected"))
    assert (await recipient_of(guild, member, 9)).is_member


def test_can_manage_messages_checks_the_cards_channel() -> None:
    """Manage Messages is checked in the card's channel, not just where the command was run."""
    interaction: Any = MagicMock(spec=discord.Interaction)
    interaction.permissions = discord.Permissions(manage_messages=True)
    member = MagicMock(spec=discord.Member)
    interaction.user = member
    channel = MagicMock()
    channel.permissions_for.return_value = discord.Permissions(manage_messages=False)
    interaction.guild = MagicMock()
    interaction.guild.get_channel.return_value = channel
    assert not can_manage_messages(interaction, 77)
    channel.permissions_for.return_value = discord.Permissions(manage_messages=True)
    assert can_manage_messages(interaction, 77)
    interaction.guild.get_channel.return_value = None
    interaction.permissions = discord.Permissions.none()
    assert not can_manage_messages(interaction, 77)


@pytest.mark.parametrize("refusal", list(Refusal))
def test_refusals_are_warm(refusal: Refusal) -> None:
    """No refusal blames: none says "invalid", "error" or "not allowed"."""
    bot: Any = MagicMock()
    bot.content = load_content()
    text = refusal_error(bot, CardRefusedError(refusal, length=1001)).message.lower()
    assert not any(word in text for word in ("invalid", "error", "not allowed"))
