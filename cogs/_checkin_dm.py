"""The scheduled DM check-in's buttons: a score, later, skip, "add details" and "stop"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.checkins import service
from bot.checkins.form import (
    CheckinAnswers,
)
from bot.checkins.replies import score_saved_text
from bot.checkins.service import CheckinSource
from bot.content.checkins import CheckinContent
from bot.tree import report_interaction_error
from cogs._checkin_form import NO_MENTIONS, CheckinForm, _bot

if TYPE_CHECKING:
    from bot.app import HearthBot


# --- scheduled DM check-ins -------------------------------------------------------------------------


class DmCheckinButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"hearth:checkin:dm:(?P<action>[1-5]|later|skip):(?P<schedule>[0-9]{1,19}):(?P<sent>[0-9]{1,12})",
):
    """A button of a scheduled check-in DM: a score, "Later" or "Not today".

    The schedule id and the send time live in the custom_id, so the buttons
    work after a restart, and a DM older than a day answers that it expired.
    """

    def __init__(self, action: str, schedule_id: int, sent: int, label: str = "") -> None:
        style = discord.ButtonStyle.primary if action.isdigit() else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=label or action,
                style=style,
                custom_id=f"hearth:checkin:dm:{action}:{schedule_id}:{sent}",
                row=0 if action.isdigit() else 1,
            )
        )
        self.action = action
        self.schedule_id = schedule_id
        self.sent = sent

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DmCheckinButton:
        """Rebuild the button from its custom_id when it is clicked."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match["action"], int(match["schedule"]), int(match["sent"]), label or "")

    async def _press(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Record the score, snooze for an hour, or let today go; then update the DM in place."""
        texts = bot.content.checkins.texts
        if service.is_expired(self.sent, bot.clock.now()):
            checkin = bot.command_directory.mention("checkin now")
            await interaction.response.edit_message(
                content=texts("dm.expired", checkin=checkin), view=None, allowed_mentions=NO_MENTIONS
            )
            return
        if self.action == "later":
            await service.snooze(bot, interaction.user.id)
            await interaction.response.edit_message(content=texts("dm.snoozed"), view=None)
            return
        if self.action == "skip":
            await interaction.response.edit_message(content=texts("dm.skipped"), view=None)
            return
        content = bot.content.checkins
        answers = CheckinAnswers(score=int(self.action), feelings=(), needs=(), note=None)
        key = service.prompt_key(self.schedule_id, self.sent)
        saved = await service.save_checkin(bot, interaction.user.id, answers, CheckinSource.DM, key=key)
        if saved is None:
            existing = await service.answer_to(bot, interaction.user.id, key)
            view = details_view(content, existing.id) if existing is not None else None
            await interaction.response.edit_message(content=texts("dm.already"), view=view)
            return
        reply = score_saved_text(saved.score, content, resources=bot.command_directory.mention("resources"))
        await interaction.response.edit_message(
            content=reply, view=details_view(content, saved.id), allowed_mentions=NO_MENTIONS
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Record the score, snooze or let today go."""
        try:
            await self._press(interaction, _bot(interaction))
        except Exception as error:
            # The view discord.py builds for a dynamic item has no error handler of ours.
            await report_interaction_error(interaction, error)


class DetailsButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"hearth:checkin:details:(?P<id>[0-9]{1,19})",
):
    """The "Add feelings and needs" button after a DM score: opens the form for that check-in."""

    def __init__(self, checkin_id: int, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=label or "Add feelings and needs",
                style=discord.ButtonStyle.primary,
                custom_id=f"hearth:checkin:details:{checkin_id}",
            )
        )
        self.checkin_id = checkin_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> DetailsButton:
        """Rebuild the button from its custom_id when it is clicked."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(int(match["id"]), label or "")

    async def _open(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Open the form first (a modal must be the first response); ownership is checked on submit."""
        await interaction.response.send_modal(CheckinForm(bot.content.checkins, details_for=self.checkin_id))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Open the feelings and needs form."""
        try:
            await self._open(interaction, _bot(interaction))
        except Exception as error:
            # The view discord.py builds for a dynamic item has no error handler of ours.
            await report_interaction_error(interaction, error)


class StopButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"hearth:checkin:stop"):
    """The "Stop check-ins" button on every check-in DM: ends the person's schedule at once."""

    def __init__(self, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=label or "Stop check-ins",
                style=discord.ButtonStyle.danger,
                custom_id="hearth:checkin:stop",
                row=1,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> StopButton:
        """Rebuild the button when it is clicked."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(label or "")

    async def _stop(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Delete the person's DM schedule and say how to start again."""
        texts = bot.content.checkins.texts
        stopped = await service.stop_schedule(bot, interaction.user.id)
        schedule = bot.command_directory.mention("checkin schedule")
        key = "schedule.stopped" if stopped else "schedule.nothing_to_stop"
        await interaction.response.edit_message(
            content=texts(key, schedule=schedule), view=None, allowed_mentions=NO_MENTIONS
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Stop the person's DM check-ins."""
        try:
            await self._stop(interaction, _bot(interaction))
        except Exception as error:
            # The view discord.py builds for a dynamic item has no error handler of ours.
            await report_interaction_error(interaction, error)


def details_view(content: CheckinContent, checkin_id: int) -> discord.ui.View:
    """Return the buttons under a saved DM score: add feelings and needs, or stop check-ins."""
    view = discord.ui.View(timeout=None)
    view.add_item(DetailsButton(checkin_id, content.texts("dm.details")))
    view.add_item(StopButton(content.texts("dm.stop")))
    return view


def checkin_dm_view(content: CheckinContent, schedule_id: int, sent: int) -> discord.ui.View:
    """Return a check-in DM's buttons: 1-5, then Later, Not today and Stop."""
    view = discord.ui.View(timeout=None)
    for point in content.scores:
        view.add_item(DmCheckinButton(str(point.value), schedule_id, sent, str(point.value)))
    view.add_item(DmCheckinButton("later", schedule_id, sent, content.texts("dm.later")))
    view.add_item(DmCheckinButton("skip", schedule_id, sent, content.texts("dm.skip")))
    view.add_item(StopButton(content.texts("dm.stop")))
    return view


def stop_only_view(content: CheckinContent) -> discord.ui.View:
    """Return the test DM's single button: stop check-ins."""
    view = discord.ui.View(timeout=None)
    view.add_item(StopButton(content.texts("dm.stop")))
    return view
