"""The one place where errors from app commands, buttons and modals become replies."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord
from discord import app_commands

from bot.errors import UserFacingError
from bot.replies import join_labels, send_private

log = logging.getLogger(__name__)

# Discord's INTEGER options hold -2^53+1 to 2^53-1; a max_value of 2^53 makes the whole sync fail.
MAX_INTEGER_OPTION = 2**53 - 1

GENERIC_APOLOGY = (
    "Sorry, something went wrong on my side and nothing was changed. "
    "If it keeps happening, please share this error id {where}: `{error_id}`."
)
DEFAULT_SUPPORT = "with the bot's team"


# discord.py raises TransformerError when it cannot turn an option into the object the command asked for.
OptionType = discord.AppCommandOptionType
TRANSFORM_PROBLEMS: dict[discord.AppCommandOptionType, str] = {
    OptionType.user: "I couldn't find that person here: they may have left. Nothing was changed.",
    OptionType.mentionable: "I couldn't find that person or role here. Nothing was changed.",
    OptionType.role: "I couldn't find that role in this server. Nothing was changed.",
    OptionType.channel: (
        "I can't use that channel: it may be gone, hidden from me, or the wrong kind. Nothing was changed."
    ),
    OptionType.attachment: "I couldn't read that file. Nothing was changed.",
}
UNREADABLE_VALUE = (
    "I couldn't read one of the values you gave: please check it and try again. Nothing was changed."
)


def support_place(client: Any) -> str:
    """Return where people report an error: SUPPORT_URL when the bot's owner set one."""
    url = getattr(getattr(client, "settings", None), "support_url", None)
    # Angle brackets: a link without a preview card.
    return f"at <{url}>" if isinstance(url, str) and url else DEFAULT_SUPPORT


class OutOfRangeError(UserFacingError, app_commands.CheckFailure):
    """An option value outside the bounds its command declares: Discord's client checks them, not its API."""


def range_problem(
    command: app_commands.Command[Any, ..., Any], namespace: app_commands.Namespace
) -> str | None:
    """Return a kind sentence if a given option is outside its declared bounds, else None."""
    for parameter in command.parameters:
        value = namespace.__dict__.get(parameter.display_name)
        low, high = parameter.min_value, parameter.max_value
        if value is None or (low is None and high is None):
            continue
        if parameter.type is discord.AppCommandOptionType.string and isinstance(value, str):
            size, unit = len(value), " characters long"
        elif parameter.type in (discord.AppCommandOptionType.integer, discord.AppCommandOptionType.number):
            size, unit = value, ""
        else:
            continue
        if (low is not None and size < low) or (high is not None and size > high):
            if low is None:
                bounds = f"at most {high}"
            elif high is None:
                bounds = f"at least {low}"
            else:
                bounds = f"between {low} and {high}"
            return f"**{parameter.display_name}** must be {bounds}{unit}. Nothing was changed."
    return None


def reply_for_error(error: Exception) -> str | None:
    """Return the kind message for an expected error, or None if it is unexpected."""
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        original = error.__cause__ if isinstance(error, app_commands.TransformerError) else error.original
        if isinstance(original, UserFacingError):
            return original.message
    if isinstance(error, UserFacingError):
        return error.message
    if isinstance(error, app_commands.TransformerError):
        return TRANSFORM_PROBLEMS.get(error.type, UNREADABLE_VALUE)
    if isinstance(error, app_commands.MissingPermissions):
        return f"You need the {join_labels(error.missing_permissions)} permission to use this."
    if isinstance(error, app_commands.BotMissingPermissions):
        return f"I need the {join_labels(error.missing_permissions)} permission here to do that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This works inside a server, not in direct messages."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Let's take a breath: you can use this again in {error.retry_after:.0f} seconds."
    if isinstance(error, app_commands.MissingRole | app_commands.MissingAnyRole):
        return "This command is only for people with a certain role in this server. Nothing was changed."
    if isinstance(error, app_commands.CheckFailure):
        return (
            "This command can't be used here, in this channel or by this account. "
            "Nothing was changed; /help lists what works here."
        )
    return None


def unwrap(error: Exception) -> Exception:
    """Return the exception a command actually raised, without discord.py's wrapper."""
    if isinstance(error, app_commands.CommandInvokeError):
        return error.original if isinstance(error.original, Exception) else error
    return error


async def report_interaction_error(interaction: discord.Interaction[Any], error: Exception) -> None:
    """Answer ``interaction`` about ``error``: kindly if expected, with an error id otherwise.

    Logs name the command, user and guild by id only: option values and
    message text can be private, so they never reach a log line.
    """
    message = reply_for_error(error)
    if message is None:
        error_id = secrets.token_hex(4)
        command = interaction.command.qualified_name if interaction.command else "component"
        log.error(
            "Error %s in %s (user %s, guild %s)",
            error_id,
            command,
            interaction.user.id,
            interaction.guild_id,
            exc_info=unwrap(error),
        )
        message = GENERIC_APOLOGY.format(error_id=error_id, where=support_place(interaction.client))
    try:
        await send_private(interaction, message)
    except discord.HTTPException:
        log.warning("Could not send the error reply for interaction %s", interaction.id)


class AppTree(app_commands.CommandTree[Any]):
    """Command tree that routes every command error to one handler."""

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Refuse option values outside their declared bounds before any command runs."""
        if interaction.type is discord.InteractionType.application_command:
            command = interaction.command
            if isinstance(command, app_commands.Command):
                problem = range_problem(command, interaction.namespace)
                if problem is not None:
                    raise OutOfRangeError(problem)
        return True

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """Reply to a failed command and log unexpected errors."""
        await report_interaction_error(interaction, error)
