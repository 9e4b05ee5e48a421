"""The /setup, /prompt and /circle commands, called directly with a spec'd interaction."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any
from unittest.mock import AsyncMock, MagicMock

import discord
import pytest
from discord import app_commands

from bot.clock import ManualClock
from bot.content.library import load_content
from bot.db.database import Database
from bot.db.repos import circles, prompt_config, prompt_posts, schedules, suggestions
from bot.db.repos.suggestions import SuggestionStatus
from bot.errors import InvalidInputError, MissingPermissionsError, NotFoundError
from bot.prompts.answering import submit_answer
from bot.prompts.posting import owner_key
from cogs._prompt_answers import AnswerModal
from cogs.circles import Circles
from cogs.prompts import Prompts, ReviewButton
from cogs.setup import Setup
from tests.prompts.standin import ADMIN, GUILD, START, StandInBot


@pytest.fixture
async def bot(db: Database) -> AsyncIterator[StandInBot]:
    stand_in = StandInBot(db, load_content(), ManualClock(START))
    stand_in.guild.id = GUILD
    yield stand_in


def interaction_for(bot: StandInBot, *, user_id: int = ADMIN, manage: bool = True) -> Any:
    interaction = MagicMock(spec=discord.Interaction)
    interaction.client = bot
    interaction.permissions = discord.Permissions(manage_guild=manage)
    interaction.guild = bot.guild
    interaction.guild_id = GUILD
    interaction.user = MagicMock()
    interaction.user.id = user_id
    done = {"value": False}
    response = MagicMock()
    response.is_done.side_effect = lambda: done["value"]

    async def answered(*args: Any, **kwargs: Any) -> None:
        done["value"] = True

    response.send_message = AsyncMock(side_effect=answered)
    response.send_modal = AsyncMock(side_effect=answered)
    response.defer = AsyncMock(side_effect=answered)
    response.edit_message = AsyncMock(side_effect=answered)
    interaction.response = response
    interaction.followup.send = AsyncMock()
    return interaction


async def invoke(command: Any, cog: Any, interaction: Any, *args: Any, **kwargs: Any) -> None:
    """Call a slash command as discord.py would: its checks, its transformers, then its callback.

    A transformer's kind error reaches the tree wrapped in TransformerError; it is unwrapped here
    so that tests see the error the person is shown.
    """
    for check in command.checks:
        await check(interaction)
    names = [parameter.name for parameter in command.parameters]
    values = {**dict(zip(names, args, strict=False)), **kwargs}
    transformed: dict[str, Any] = {}
    for name, value in values.items():
        parameter = command._params[name]
        if not isinstance(value, str):  # resolved objects (channels, users, choices) pass as they are
            transformed[name] = value
            continue
        try:
            transformed[name] = await parameter.transform(interaction, value)
        except app_commands.TransformerError as error:
            raise error.__cause__ or error from None
    await command.callback(cog, interaction, **transformed)


def reply_of(interaction: Any) -> dict[str, Any]:
    """Return the keyword arguments of the (only) private reply."""
    calls = interaction.response.send_message.await_args_list + interaction.followup.send.await_args_list
    assert len(calls) == 1
    kwargs: dict[str, Any] = calls[0].kwargs
    assert kwargs["ephemeral"] is True
    return kwargs


async def run_setup(
    bot: StandInBot, interaction: Any, time: str = "09:00", zone: str = "Europe/London", **extra: Any
) -> None:
    cog = Setup(bot)  # type: ignore[arg-type]
    await invoke(cog.prompts, cog, interaction, bot.channel, time, zone, **extra)


async def test_setup_prompts_saves_and_schedules(bot: StandInBot) -> None:
    """A valid setup saves the configuration and schedule and shows the next time as a timestamp."""
    interaction = interaction_for(bot)
    await run_setup(bot, interaction, threads=True)
    config = await prompt_config.get(bot.db, GUILD)
    assert (
        config is not None
        and config.local_time == "09:00"
        and config.threads
        and config.configured_by == ADMIN
    )
    schedule = await schedules.get_by_owner_key(bot.db, owner_key(GUILD))
    assert schedule is not None and not schedule.paused
    embed = reply_of(interaction)["embed"]
    assert any(re.search(r"<t:\d+:F>", field.value or "") for field in embed.fields)


async def test_setup_prompts_refuses_non_admin(bot: StandInBot) -> None:
    """Without Manage Server the command refuses kindly and changes nothing."""
    with pytest.raises(MissingPermissionsError, match="Manage Server"):
        await run_setup(bot, interaction_for(bot, manage=False))
    assert await prompt_config.get(bot.db, GUILD) is None


@pytest.mark.parametrize(
    ("time", "zone", "match"),
    [
        ("25:00", "Europe/London", "hours"),
        ("7", "Europe/London", "7:30 pm"),
        ("13pm", "Europe/London", "from 1 to 12"),
        ("09:00", "Mars/Olympus", "timezone"),
    ],
)
async def test_setup_prompts_bad_input_changes_nothing(
    bot: StandInBot, time: str, zone: str, match: str
) -> None:
    """An impossible time or unknown timezone gives a kind error and saves nothing."""
    with pytest.raises(InvalidInputError, match=match):
        await run_setup(bot, interaction_for(bot), time=time, zone=zone)
    assert await prompt_config.get(bot.db, GUILD) is None


async def test_setup_prompts_names_missing_permissions(bot: StandInBot) -> None:
    """Missing permissions in the channel are named, and nothing is saved."""
    bot.permissions = discord.Permissions(view_channel=True, send_messages=True)
    with pytest.raises(MissingPermissionsError) as raised:
        await run_setup(bot, interaction_for(bot), threads=True)
    message = raised.value.message
    assert "**Embed Links**" in message and "**Create Public Threads**" in message
    assert "**Send Messages in Threads**" in message and "**Send Messages**," not in message
    assert await prompt_config.get(bot.db, GUILD) is None


async def test_setup_timezone_autocomplete(bot: StandInBot) -> None:
    """The timezone option's transformer autocompletes by city, at most 25 choices."""
    cog = Setup(bot)  # type: ignore[arg-type]
    parameter = cog.prompts._params["timezone"]
    assert parameter.autocomplete is not None
    choices = await parameter.autocomplete(interaction_for(bot), "berl")
    assert choices[0].value == "Europe/Berlin"
    assert len(await parameter.autocomplete(interaction_for(bot), "a")) <= 25


async def test_setup_show_and_check(bot: StandInBot) -> None:
    """/setup show shows the timestamp; /setup check reports a working channel and a lost permission."""
    cog = Setup(bot)  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        await invoke(cog.show, cog, interaction_for(bot))
    await run_setup(bot, interaction_for(bot), threads=True)
    shown = interaction_for(bot)
    await invoke(cog.show, cog, shown)
    assert "<t:" in str(reply_of(shown)["embed"].to_dict())
    checked = interaction_for(bot)
    await invoke(cog.check, cog, checked)
    assert "✅" in reply_of(checked)["embed"].description
    bot.permissions = discord.Permissions(view_channel=True, send_messages=True, embed_links=True)
    checked = interaction_for(bot)
    await invoke(cog.check, cog, checked)
    assert "**Create Public Threads**" in reply_of(checked)["embed"].description


async def test_prompt_now_pause_resume(bot: StandInBot) -> None:
    """/prompt now posts once per day; pause and resume flip the schedule."""
    await run_setup(bot, interaction_for(bot))
    cog = Prompts(bot)  # type: ignore[arg-type]
    first = interaction_for(bot)
    await invoke(cog.now, cog, first)
    assert "counts as today's" in reply_of(first)["content"]
    second = interaction_for(bot)
    await invoke(cog.now, cog, second)
    assert "already out" in reply_of(second)["content"]
    assert len([sent for sent in bot.sent if "embed" in sent]) == 1
    with pytest.raises(MissingPermissionsError):
        await invoke(cog.pause, cog, interaction_for(bot, manage=False))
    await invoke(cog.pause, cog, interaction_for(bot))
    schedule = await schedules.get_by_owner_key(bot.db, owner_key(GUILD))
    assert schedule is not None and schedule.paused
    resumed = interaction_for(bot)
    await invoke(cog.resume, cog, resumed)
    schedule = await schedules.get_by_owner_key(bot.db, owner_key(GUILD))
    assert schedule is not None and not schedule.paused
    assert "<t:" in reply_of(resumed)["content"]


async def test_prompt_answer_opens_a_private_form(bot: StandInBot) -> None:
    """/prompt answer opens a modal within Discord's limits, and submitting stores the answer."""
    await run_setup(bot, interaction_for(bot))
    cog = Prompts(bot)  # type: ignore[arg-type]
    await invoke(cog.now, cog, interaction_for(bot))
    await circles.join(bot.db, GUILD, 1, bot.clock.now())
    await circles.join(bot.db, GUILD, 2, bot.clock.now())
    opened = interaction_for(bot, user_id=1)
    await invoke(cog.answer, cog, opened)
    modal = opened.response.send_modal.await_args.args[0]
    assert isinstance(modal, AnswerModal)
    assert len(modal.title) <= 45 and len(modal.children) <= 5
    assert modal.answer.min_length == 1 and modal.answer.max_length == 1500
    modal.answer._value = "my private words"
    submitted = interaction_for(bot, user_id=1)
    await modal.on_submit(submitted)
    assert "1 of 2" in reply_of(submitted)["content"]
    assert "my private words" not in repr(bot.sent)


async def test_suggest_and_review_with_persistent_buttons(bot: StandInBot) -> None:
    """A suggestion waits for review; its button's custom_id carries the id and approves it later."""
    cog = Prompts(bot)  # type: ignore[arg-type]
    suggested = interaction_for(bot, user_id=5, manage=False)
    await invoke(cog.suggest, cog, suggested, "What made today lighter?", "empathy")
    assert "Thank you" in reply_of(suggested)["content"]
    with pytest.raises(InvalidInputError):
        await invoke(cog.suggest, cog, interaction_for(bot), "Hmm?", "no-such-theme")
    reviewing = interaction_for(bot)
    await invoke(cog.review, cog, reviewing)
    view = reviewing.response.send_message.await_args.kwargs["view"]
    custom_ids = [item.item.custom_id for item in view.children]
    [pending] = await suggestions.with_status(bot.db, GUILD, SuggestionStatus.PENDING)
    assert f"hearth:suggestion:approve:{pending.id}" in custom_ids
    # After a restart, discord.py rebuilds the button from the custom_id alone.
    match = re.fullmatch(
        ReviewButton.__discord_ui_compiled_template__, f"hearth:suggestion:approve:{pending.id}"
    )
    assert match is not None
    button = await ReviewButton.from_custom_id(
        interaction_for(bot), discord.ui.Button(label="Approve"), match
    )
    refused = interaction_for(bot, manage=False)
    await button.callback(refused)
    assert "Manage Server" in str(refused.response.send_message.await_args)
    clicked = interaction_for(bot)
    await button.callback(clicked)
    assert "Approved" in clicked.response.edit_message.await_args.kwargs["content"]
    [approved] = await suggestions.with_status(bot.db, GUILD, SuggestionStatus.APPROVED)
    assert approved.id == pending.id


async def test_circle_join_leave_show_and_reveal_on_leave(bot: StandInBot) -> None:
    """Joining, showing and leaving work; leaving can complete the circle and trigger the reveal."""
    await run_setup(bot, interaction_for(bot), threads=True)
    prompts_cog = Prompts(bot)  # type: ignore[arg-type]
    await invoke(prompts_cog.now, prompts_cog, interaction_for(bot))
    cog = Circles(bot)  # type: ignore[arg-type]
    for user_id in (1, 2, 3):
        joined = interaction_for(bot, user_id=user_id)
        await invoke(cog.join, cog, joined)
        assert "You're in" in reply_of(joined)["content"]
    shown = interaction_for(bot)
    await invoke(cog.show, cog, shown)
    assert "<@1> <@2> <@3>" in reply_of(shown)["embed"].description
    post = await prompt_posts.latest(bot.db, GUILD)
    assert post is not None
    await submit_answer(bot, post.id, 1, "one")  # type: ignore[arg-type]
    await submit_answer(bot, post.id, 2, "two")  # type: ignore[arg-type]
    assert not [sent for sent in bot.sent if sent["where"] == "thread"]
    left = interaction_for(bot, user_id=3)
    await invoke(cog.leave, cog, left)
    [reveal] = [sent for sent in bot.sent if sent["where"] == "thread"]
    assert len(reveal["embeds"]) == 2


async def test_setup_prompts_refuses_everyone_as_ping(bot: StandInBot) -> None:
    """The @everyone role can't be the ping role; nothing is saved."""
    everyone = MagicMock(spec=discord.Role)
    everyone.is_default.return_value = True
    with pytest.raises(InvalidInputError, match="never @everyone"):
        await run_setup(bot, interaction_for(bot), ping=everyone)
    assert await prompt_config.get(bot.db, GUILD) is None
