"""The scheduled DM check-in's buttons: a score, later, skip, "add details" and "stop"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Self

import discord

from bot import custom_ids
from bot.checkins import service
from bot.checkins.form import (
    CheckinAnswers,
)
from bot.checkins.replies import score_saved_text
from bot.checkins.service import CheckinSource
from bot.content.checkins import CheckinContent
from bot.ui import PersistentButton
from cogs._checkin_form import NO_MENTIONS, CheckinForm

if TYPE_CHECKING:
    from bot.app import HearthBot


# --- scheduled DM check-ins -------------------------------------------------------------------------


class DmCheckinButton(PersistentButton, custom_id=custom_ids.CHECKIN_DM):
    """A button of a scheduled check-in DM: a score, "Later" or "Not today".

    The schedule id and the send time live in the custom_id, so the buttons
    work after a restart, and a DM older than a day answers that it expired.
    """

    def __init__(self, action: str, schedule_id: int, sent: int, label: str = "") -> None:
        style = discord.ButtonStyle.primary if action.isdigit() else discord.ButtonStyle.secondary
        row = 0 if action.isdigit() else 1
        super().__init__(label or action, style, row, action=action, schedule=schedule_id, sent=sent)
        self.action = action
        self.schedule_id = schedule_id
        self.sent = sent

    @classmethod
    def from_match(cls, match: re.Match[str], label: str) -> Self:
        """Rebuild the button from its action, schedule and send time."""
        return cls(match["action"], int(match["schedule"]), int(match["sent"]), label)

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
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


class DetailsButton(PersistentButton, custom_id=custom_ids.CHECKIN_DETAILS):
    """The "Add feelings and needs" button after a DM score: opens the form for that check-in."""

    def __init__(self, checkin_id: int, label: str = "") -> None:
        super().__init__(label or "Add feelings and needs", discord.ButtonStyle.primary, id=checkin_id)
        self.checkin_id = checkin_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Open the form first (a modal must be the first response); ownership is checked on submit."""
        await interaction.response.send_modal(CheckinForm(bot.content.checkins, details_for=self.checkin_id))


class StopButton(PersistentButton, custom_id=custom_ids.CHECKIN_STOP):
    """The "Stop check-ins" button on every check-in DM: ends the person's schedule at once."""

    def __init__(self, label: str = "") -> None:
        super().__init__(label or "Stop check-ins", discord.ButtonStyle.danger, row=1)

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Delete the person's DM schedule and say how to start again."""
        texts = bot.content.checkins.texts
        stopped = await service.stop_schedule(bot, interaction.user.id)
        schedule = bot.command_directory.mention("checkin schedule")
        key = "schedule.stopped" if stopped else "schedule.nothing_to_stop"
        await interaction.response.edit_message(
            content=texts(key, schedule=schedule), view=None, allowed_mentions=NO_MENTIONS
        )


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
