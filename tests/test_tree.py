"""The single error handler: expected errors become kind messages, others an apology with an id."""

import logging
from unittest.mock import AsyncMock, MagicMock

import discord
import pytest
from discord import app_commands

from bot.errors import InvalidInputError
from bot.tree import reply_for_error, report_interaction_error


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
        (app_commands.CheckFailure(), "isn't available to you"),
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


async def test_generic_apology_points_to_support_url_when_set() -> None:
    """With SUPPORT_URL, the apology names that place instead of "the bot's team"."""
    interaction = make_interaction()
    interaction.client.settings.support_url = "https://example.org/hearth-help"
    await report_interaction_error(interaction, invoke_error(ZeroDivisionError("boom")))
    content = interaction.response.send_message.await_args.kwargs["content"]
    assert "at <https://example.org/hearth-help>" in content
    assert "the bot's team" not in content
