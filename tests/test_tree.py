"""The single error handler: expected errors become kind messages, others an apology with an id."""

import logging
from types import SimpleNamespace
from typing import Any
from unittest.mock import AsyncMock, MagicMock

import discord
import pytest
from discord import app_commands

from bot.errors import InvalidInputError
from bot.tree import MAX_INTEGER_OPTION, AppTree, OutOfRangeError, reply_for_error, report_interaction_error


def make_interaction(*, done: bool = False) -> MagicMock:
    interaction = MagicMock(spec_set=discord.Interaction)
    interaction.response = MagicMock(spec_set=discord.InteractionResponse)
    interaction.response.is_done.return_value = done
    interaction.response.send_message = AsyncMock()
    interaction.followup = MagicMock(spec_set=discord.Webhook)
    interaction.followup.send = AsyncMock()
    interaction.user.id = 42
    interaction.guild_id = 7
    interaction.id = 99
    interaction.command = None
    return interaction


def invoke_error(original: Exception) -> app_commands.CommandInvokeError:
    command = MagicMock(spec=app_commands.Command)
    command.name = "demo"
    return app_commands.CommandInvokeError(command, original)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (InvalidInputError("That time doesn't exist."), "That time doesn't exist."),
        (app_commands.MissingPermissions(["manage_guild"]), "You need the **Manage Server** permission"),
        (
            app_commands.BotMissingPermissions(["send_messages", "embed_links"]),
            "I need the **Send Messages** and **Embed Links** permission",
        ),
        (app_commands.NoPrivateMessage(), "inside a server"),
        (app_commands.CheckFailure(), "can't be used here, in this channel or by this account. Nothing"),
        (app_commands.MissingRole("Mods"), "certain role in this server. Nothing was changed."),
        (
            app_commands.TransformerError("123", discord.AppCommandOptionType.user, MagicMock()),
            "couldn't find that person here",
        ),
        (
            app_commands.TransformerError("123", discord.AppCommandOptionType.channel, MagicMock()),
            "can't use that channel",
        ),
        (
            app_commands.TransformerError("x", discord.AppCommandOptionType.string, MagicMock()),
            "couldn't read one of the values you gave: please check it and try again. Nothing was changed.",
        ),
    ],
)
def test_reply_for_error_maps_expected_errors(error: Exception, expected: str) -> None:
    """Each expected error gets its own kind sentence."""
    reply = reply_for_error(error)
    assert reply is not None
    assert expected in reply


def test_reply_for_error_unwraps_domain_errors() -> None:
    """A domain error raised inside a command keeps its message."""
    assert reply_for_error(invoke_error(InvalidInputError("Pick a time in the future."))) == (
        "Pick a time in the future."
    )


async def test_report_interaction_error_answers_ephemerally() -> None:
    """An expected error is answered as the initial ephemeral response."""
    interaction = make_interaction()
    await report_interaction_error(interaction, invoke_error(InvalidInputError("Nope, kindly.")))
    interaction.response.send_message.assert_awaited_once()
    kwargs = interaction.response.send_message.await_args.kwargs
    assert kwargs["ephemeral"] is True
    assert kwargs["content"] == "Nope, kindly."
    assert kwargs["allowed_mentions"].everyone is False


async def test_report_interaction_error_uses_followup_after_defer(caplog: pytest.LogCaptureFixture) -> None:
    """An unexpected error after a defer gets an apology followup with an error id that is also logged."""
    interaction = make_interaction(done=True)
    with caplog.at_level(logging.ERROR):
        await report_interaction_error(interaction, invoke_error(ZeroDivisionError("secret text")))
    interaction.followup.send.assert_awaited_once()
    kwargs = interaction.followup.send.await_args.kwargs
    assert kwargs["ephemeral"] is True
    assert "secret text" not in kwargs["content"]
    error_id = kwargs["content"].split("`")[1]
    assert error_id in caplog.text
    assert "user 42" in caplog.text
    assert caplog.records[0].exc_info is not None


async def test_report_interaction_error_keeps_reply_within_discord_limit() -> None:
    """An error message that grew past 2000 characters is cut, so the reply still arrives."""
    interaction = make_interaction()
    await report_interaction_error(interaction, invoke_error(InvalidInputError("x" * 5000)))
    content = interaction.response.send_message.await_args.kwargs["content"]
    assert len(content) == 2000
    assert content.endswith("…")


def range_command() -> app_commands.Command[Any, ..., None]:
    """A command with an integer and a text option that both declare bounds."""

    @app_commands.command(name="demo", description="A demo")
    @app_commands.describe(count="How many", text="Some text")
    async def demo(
        interaction: discord.Interaction,
        count: app_commands.Range[int, 1, MAX_INTEGER_OPTION],
        text: app_commands.Range[str, 2, 5] | None = None,
    ) -> None:
        """Do nothing."""

    return demo


def command_interaction(command: app_commands.Command[Any, ..., None], **values: Any) -> MagicMock:
    interaction = make_interaction()
    interaction.type = discord.InteractionType.application_command
    interaction.command = command
    # range_problem reads the namespace's attributes, as discord.py fills them from the options sent.
    interaction.namespace = SimpleNamespace(**values)
    return interaction


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"count": 0}, "**count** must be between 1 and 9007199254740991. Nothing was changed."),
        ({"count": 2**53}, "**count** must be between 1 and 9007199254740991."),
        ({"count": 3, "text": "x"}, "**text** must be between 2 and 5 characters long."),
        ({"count": 3, "text": "x" * 6}, "**text** must be between 2 and 5 characters long."),
    ],
)
async def test_tree_refuses_values_outside_declared_bounds(values: dict[str, Any], expected: str) -> None:
    """Discord's client checks bounds, its API does not: out-of-range values get a kind error, no call."""
    tree = AppTree(discord.Client(intents=discord.Intents.none()))
    interaction = command_interaction(range_command(), **values)
    with pytest.raises(OutOfRangeError) as raised:
        await tree.interaction_check(interaction)
    reply = reply_for_error(raised.value)
    assert reply is not None and reply.startswith(expected)


async def test_tree_lets_values_within_bounds_and_autocomplete_through() -> None:
    """Values inside the bounds and autocomplete interactions (half-typed values) pass."""
    tree = AppTree(discord.Client(intents=discord.Intents.none()))
    assert await tree.interaction_check(
        command_interaction(range_command(), count=MAX_INTEGER_OPTION, text="ab")
    )
    typing = command_interaction(range_command(), count=0)
    typing.type = discord.InteractionType.autocomplete
    assert await tree.interaction_check(typing)


async def test_generic_apology_points_to_support_url_when_set() -> None:
    """With SUPPORT_URL, the apology names that place instead of "the bot's team"."""
    interaction = make_interaction()
    interaction.client.settings.support_url = "https://example.org/hearth-help"
    await report_interaction_error(interaction, invoke_error(ZeroDivisionError("boom")))
    content = interaction.response.send_message.await_args.kwargs["content"]
    assert "at <https://example.org/hearth-help>" in content
    assert "the bot's team" not in content
