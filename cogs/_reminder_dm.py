"""The reminder DM's buttons: thank them, snooze, done, stop. They keep working after a restart."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

import discord

from bot import custom_ids
from bot.content.appreciation import AppreciationContent
from bot.delivery import SEND_FAILURES
from bot.errors import InvalidInputError, NotFoundError
from bot.reminders import service
from bot.reminders.service import Nudge, Reminder
from bot.reminders.snooze import Snooze, available_snoozes, snooze_until
from bot.replies import mention, send_private
from bot.ui import PersistentButton, persistent_view

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)


def content_of(bot: HearthBot) -> AppreciationContent:
    """Return the appreciation content."""
    return bot.content.appreciation


def relative(moment: datetime) -> str:
    """Return a relative Discord timestamp, e.g. "in 3 hours"."""
    return discord.utils.format_dt(moment, "R")


async def own_nudge(bot: HearthBot, nudge_id: int, user_id: int) -> tuple[Nudge, Reminder]:
    """Return a nudge and its reminder if ``user_id`` owns them, or raise the kind "stopped" answer."""
    owned = await service.own_nudge(bot.db, nudge_id, user_id)
    if owned is None:
        command = bot.command_directory.mention("remind appreciation")
        raise NotFoundError(content_of(bot).texts("remind.stopped", command=command))
    return owned


async def reminder_timezone(bot: HearthBot, reminder: Reminder) -> str:
    """Return the timezone a reminder runs in (its schedule's, else the person's, else the default)."""
    return await service.reminder_timezone(bot.db, reminder, bot.settings.default_timezone)


# --- the reminder DM and its buttons ------------------------------------------------------------


async def _server_name(bot: HearthBot, guild_id: int) -> str:
    """Return the server's name for a DM reply, asking Discord when it's on another process's shard."""
    guild = bot.get_guild(guild_id)
    if guild is None:
        try:
            guild = await bot.fetch_guild(guild_id)
        except SEND_FAILURES:
            return "your server"
    return discord.utils.escape_markdown(guild.name)


class SendGratitudeButton(PersistentButton, custom_id=custom_ids.NUDGE_THANK):
    """Points to the gratitude channel of the server the reminder was made in (or says there is none)."""

    def __init__(self, nudge_id: int, label: str) -> None:
        super().__init__(label, discord.ButtonStyle.primary, row=0, nudge=nudge_id)
        self.nudge_id = nudge_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Say how to thank them in the server's gratitude channel, or that the server has none."""
        _, reminder = await own_nudge(bot, self.nudge_id, interaction.user.id)
        texts = content_of(bot).texts
        who = mention(reminder.target_id)
        command = bot.command_directory.mention("gratitude send")
        if reminder.guild_id is None:
            await send_private(interaction, texts("gratitude.outside_server", who=who, command=command))
            return
        server = await _server_name(bot, reminder.guild_id)
        if not await service.has_gratitude_channel(bot.db, reminder.guild_id):
            await send_private(interaction, texts("gratitude.no_channel", who=who, server=server))
            return
        reply = texts("gratitude.use_command", who=who, server=server, command=command)
        await send_private(interaction, reply)


class SnoozeButton(PersistentButton, custom_id=custom_ids.NUDGE_SNOOZE):
    """Offers the snooze choices that make sense now."""

    def __init__(self, nudge_id: int, label: str) -> None:
        super().__init__(label, row=0, nudge=nudge_id)
        self.nudge_id = nudge_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Show "In 1 hour / This evening / Tomorrow" privately."""
        _, reminder = await own_nudge(bot, self.nudge_id, interaction.user.id)
        texts = content_of(bot).texts
        zone = await reminder_timezone(bot, reminder)
        choices = available_snoozes(bot.clock.now(), zone)
        view = persistent_view(
            *(
                SnoozeChoiceButton(self.nudge_id, choice, texts(f"snooze.{choice.value}"))
                for choice in choices
            )
        )
        await send_private(interaction, texts("snooze.prompt"), view=view)


class SnoozeChoiceButton(PersistentButton, custom_id=custom_ids.NUDGE_SNOOZE_CHOICE):
    """Puts the nudge off: a one-shot schedule brings the same idea back."""

    def __init__(self, nudge_id: int, choice: Snooze, label: str) -> None:
        super().__init__(label, nudge=nudge_id, choice=choice.value)
        self.nudge_id = nudge_id
        self.choice = choice

    @classmethod
    def from_match(cls, match: re.Match[str], label: str) -> Self:
        """Build from the custom_id."""
        return cls(int(match["nudge"]), Snooze(match["choice"]), label)

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Schedule the nudge's return and confirm when."""
        nudge, reminder = await own_nudge(bot, self.nudge_id, interaction.user.id)
        texts = content_of(bot).texts
        zone = await reminder_timezone(bot, reminder)
        now = bot.clock.now()
        until = snooze_until(self.choice, now, zone)
        if until is None:
            raise InvalidInputError(texts("snooze.too_late"))
        await service.snooze(bot.db, nudge, reminder, until=until, timezone=zone, now=now)
        log.info("Appreciation nudge %s snoozed (%s)", nudge.id, self.choice.value)
        when = f"{discord.utils.format_dt(until, 't')} ({relative(until)})"
        await interaction.response.edit_message(content=texts("snooze.set", when=when), view=None)


class DoneButton(PersistentButton, custom_id=custom_ids.NUDGE_DONE):
    """Records that the nudge was acted on."""

    def __init__(self, nudge_id: int, label: str) -> None:
        super().__init__(label, discord.ButtonStyle.success, row=0, nudge=nudge_id)
        self.nudge_id = nudge_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Mark the nudge done (a pending snooze of it is dropped) and thank the person."""
        nudge, reminder = await own_nudge(bot, self.nudge_id, interaction.user.id)
        texts = content_of(bot).texts
        if not await service.mark_done(bot.db, nudge, reminder, bot.clock.now()):
            await send_private(interaction, texts("done.already"))
            return
        await send_private(interaction, texts("done.recorded"))


class StopReminderButton(PersistentButton, custom_id=custom_ids.REMINDER_STOP):
    """Stops the reminder for good (every DM can stop what sent it)."""

    def __init__(self, reminder_id: int, label: str) -> None:
        super().__init__(label, row=1, reminder=reminder_id)
        self.reminder_id = reminder_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Delete the reminder and its schedules."""
        await service.cancel(bot.db, self.reminder_id, interaction.user.id)
        command = bot.command_directory.mention("remind appreciation")
        await send_private(interaction, content_of(bot).texts("remind.stopped", command=command))


NUDGE_BUTTONS: tuple[type[PersistentButton], ...] = (
    SendGratitudeButton,
    SnoozeButton,
    SnoozeChoiceButton,
    DoneButton,
    StopReminderButton,
)


def nudge_view(content: AppreciationContent, nudge_id: int, reminder_id: int) -> discord.ui.View:
    """Return the buttons of a reminder DM."""
    texts = content.texts
    return persistent_view(
        SendGratitudeButton(nudge_id, texts("nudge.button_gratitude")),
        SnoozeButton(nudge_id, texts("nudge.button_snooze")),
        DoneButton(nudge_id, texts("nudge.button_done")),
        StopReminderButton(reminder_id, texts("nudge.button_stop")),
    )
