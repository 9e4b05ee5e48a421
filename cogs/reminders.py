"""/remind appreciation|list|cancel: recurring DM nudges to appreciate someone, with an idea each time."""

from __future__ import annotations

import logging
from datetime import time, timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_scope import EVERYWHERE, PERSONAL_INSTALLS
from bot.content.appreciation import AppreciationContent
from bot.delivery import SEND_FAILURES, dm_error, require_opt_in_dm, send_dm
from bot.errors import InvalidInputError, NotFoundError
from bot.reminders import service
from bot.reminders.every import describe_days, every_suggestions, parse_every
from bot.reminders.limits import MAX_ACTIVE_REMINDERS
from bot.reminders.service import SCHEDULE_KIND, Schedule
from bot.replies import mention, send_private
from bot.schedule.days import DAY_NAMES
from bot.schedule.engine import Occurrence
from bot.schedule.kinds import ReminderPayload
from bot.schedule.recurrence import Recurrence, format_local_time
from bot.transformers import LocalTime, Timezone
from bot.tree import MAX_INTEGER_OPTION
from bot.ui import HEARTH_COLOUR
from cogs._reminder_dm import NUDGE_BUTTONS, nudge_view, relative

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

# A nudge this late (the bot was down) says so.
LATE_AFTER = timedelta(minutes=10)
# An embed description holds 4096 characters; a list of 25 reminders can need two embeds.
LIST_DESCRIPTION_LIMIT = 4000
ReminderTime = app_commands.Transform[
    time, LocalTime(lambda content: content.appreciation.texts, "remind.bad_time", max_length=20)
]
ReminderZone = app_commands.Transform[
    str, Timezone(lambda content: content.appreciation.texts, "remind.bad_timezone", max_length=64)
]
DAY_CHOICES = [app_commands.Choice(name=name, value=name.lower()) for name in DAY_NAMES]


def describe_rule(schedule: Schedule | None) -> tuple[str, str, str]:
    """Return (days, HH:MM, timezone) of a reminder's schedule, for display."""
    if schedule is None or schedule.recurrence is None:
        return "-", "-", "-"
    rule = schedule.recurrence
    return describe_days(rule.weekdays), format_local_time(rule.local_time), rule.timezone


def list_embeds(title: str, lines: list[str]) -> list[discord.Embed]:
    """Return the lines in as many embeds as their descriptions need (25 long lines pass 4096)."""
    embeds = [discord.Embed(title=title, description="", colour=HEARTH_COLOUR)]
    for line in lines:
        current = embeds[-1]
        if len(current.description or "") + len(line) + 1 > LIST_DESCRIPTION_LIMIT:
            current = discord.Embed(description="", colour=HEARTH_COLOUR)
            embeds.append(current)
        current.description = f"{current.description}\n{line}" if current.description else line
    return embeds


# --- the cog --------------------------------------------------------------------------------------


class Reminders(commands.Cog):
    """Appreciation reminders: set up, list, cancel, and their scheduled DMs."""

    remind = app_commands.Group(
        name="remind",
        description="Gentle reminders to appreciate someone",
        allowed_installs=PERSONAL_INSTALLS,
        allowed_contexts=EVERYWHERE,
    )

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Take over appreciation deliveries and the reminder DMs' buttons."""
        self.bot.add_dynamic_items(*NUDGE_BUTTONS)
        self.bot.schedule_routes.register(SCHEDULE_KIND, self.deliver)

    async def cog_unload(self) -> None:
        """Hand deliveries and buttons back."""
        self.bot.remove_dynamic_items(*NUDGE_BUTTONS)
        self.bot.schedule_routes.unregister(SCHEDULE_KIND)

    @property
    def content(self) -> AppreciationContent:
        """Return the appreciation content."""
        return self.bot.content.appreciation

    # --- delivery ---------------------------------------------------------------------------------

    async def deliver(self, occurrence: Occurrence) -> None:
        """DM a reminder's nudge: a new idea each time, or the snoozed one coming back."""
        schedule = occurrence.schedule
        now = self.bot.clock.now()
        texts = self.content.texts
        payload = ReminderPayload.decode(schedule.payload)
        found = await service.next_nudge(
            self.bot.db,
            reminder_id=payload.reminder_id,
            snoozed_nudge_id=payload.nudge_id,
            occurrence_key=occurrence.key,
            idea_ids=self.content.idea_ids,
            now=now,
        )
        if found is None:
            # Cancelled, or the snoozed nudge was done, while this occurrence was in flight.
            log.info("Appreciation schedule %s has nothing to send any more; skipped", schedule.id)
            return
        reminder, nudge = found
        idea = self.content.idea(nudge.idea_id) or self.content.ideas[0]
        parts = [texts("nudge.message", who=mention(reminder.target_id), idea=idea.text)]
        if payload.nudge_id is not None:
            parts.insert(0, texts("nudge.snoozed"))
        if occurrence.late_by > LATE_AFTER:
            parts.append(texts("nudge.late"))
        try:
            await send_dm(
                self.bot,
                self.bot.db,
                reminder.user_id,
                now,
                content="\n\n".join(parts),
                view=nudge_view(self.content, nudge.id, reminder.id),
                nonce=occurrence.key,
            )
        except SEND_FAILURES as error:
            raise dm_error(error) from error
        log.info("Appreciation reminder %s sent nudge %s (%s)", reminder.id, nudge.id, occurrence.key)

    # --- commands ---------------------------------------------------------------------------------

    @remind.command(name="appreciation", description="A recurring nudge, by DM, to appreciate someone")
    @app_commands.describe(
        who="The person to appreciate",
        every="daily, weekdays, weekends, weekly (pick a day) or days like mon, wed, fri",
        time="Local time of day, e.g. 19:30 or 7:30 pm",
        day="The day, for a weekly reminder",
        timezone="Your timezone: type a city (e.g. London) to search; remembered for next time",
    )
    @app_commands.choices(day=DAY_CHOICES)
    async def appreciation(
        self,
        interaction: discord.Interaction[HearthBot],
        who: discord.User,
        every: app_commands.Range[str, 1, 100],
        time: ReminderTime,
        day: app_commands.Choice[str] | None = None,
        timezone: ReminderZone | None = None,
    ) -> None:
        """Check everything, send a test DM, then store the reminder and its schedule."""
        texts = self.content.texts
        me = interaction.user
        if who.bot:
            raise InvalidInputError(texts("remind.no_bots"))
        if who.id == me.id:
            raise InvalidInputError(texts("remind.not_yourself"))
        # In a server the person must be in it; outside servers, whoever the command could name.
        if interaction.guild_id is not None and not isinstance(who, discord.Member):
            raise InvalidInputError(texts("remind.not_member"))
        try:
            weekdays = parse_every(every, day.value if day else None)
        except ValueError as error:
            raise InvalidInputError(texts("remind.bad_every", problem=str(error))) from None
        local_time = time
        zone, note = await self._choose_timezone(me.id, timezone)
        cancel = self.bot.command_directory.mention("remind cancel")
        cap_error = InvalidInputError(texts("remind.at_cap", cap=MAX_ACTIVE_REMINDERS, cancel=cancel))
        if await service.at_cap(self.bot.db, me.id):
            raise cap_error
        rule = Recurrence(timezone=zone, local_time=local_time, weekdays=weekdays)
        days, at = describe_days(weekdays), format_local_time(local_time)
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.bot.clock.now()
        await self._test_dm(
            me.id, texts("remind.test_dm", who=mention(who.id), days=days, time=at, timezone=zone)
        )
        created = await service.create(
            self.bot.db,
            user_id=me.id,
            guild_id=interaction.guild_id,
            target_id=who.id,
            target_name=who.display_name[:100],
            rule=rule,
            remember_timezone=timezone is not None,
            now=now,
        )
        if created is None:
            raise cap_error
        reply = texts(
            "remind.created",
            who=mention(who.id),
            days=days,
            time=at,
            timezone=zone,
            next=relative(created.schedule.next_run_at),
        )
        if note:
            reply = f"{reply}\n{texts('remind.timezone_note', timezone=zone)}"
        await send_private(interaction, reply)

    async def _choose_timezone(self, user_id: int, given: str | None) -> tuple[str, bool]:
        """Return the timezone to use and whether it was a default the person should hear about."""
        if given is not None:
            return given, False
        saved = await service.saved_timezone(self.bot.db, user_id)
        if saved is not None:
            return saved, False
        return self.bot.settings.default_timezone, True

    async def _test_dm(self, user_id: int, text: str) -> None:
        """Send the opt-in DM (DMs are tried afresh), or refuse kindly if it doesn't get through."""
        texts = self.content.texts
        await require_opt_in_dm(
            self.bot,
            self.bot.db,
            user_id,
            self.bot.clock.now(),
            refused=texts("remind.dm_closed"),
            failed=texts("remind.dm_failed"),
            content=text,
        )

    @appreciation.autocomplete("every")
    async def every_autocomplete(
        self, interaction: discord.Interaction[HearthBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest daily, weekdays, weekends, weekly, or confirm a typed set of days."""
        return [app_commands.Choice(name=name, value=value) for name, value in every_suggestions(current)][
            :25
        ]

    @remind.command(name="list", description="Your appreciation reminders and when each comes next")
    async def list_(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Show the person's reminders privately: number, who, when, next time."""
        texts = self.content.texts
        directory = self.bot.command_directory
        own = await service.listing(self.bot.db, interaction.user.id)
        if not own:
            await send_private(
                interaction, texts("remind.list_empty", command=directory.mention("remind appreciation"))
            )
            return
        lines: list[str] = []
        any_paused = False
        for reminder, schedule in ((item.reminder, item.schedule) for item in own):
            days, at, zone = describe_rule(schedule)
            values = {
                "id": reminder.id,
                "who": mention(reminder.target_id),
                "days": days,
                "time": at,
                "timezone": zone,
            }
            if schedule is not None and schedule.paused:
                any_paused = True
                lines.append(texts("remind.list_paused", **values))
            else:
                upcoming = "-" if schedule is None else relative(schedule.next_run_at)
                lines.append(texts("remind.list_item", next=upcoming, **values))
        lines.append("")
        lines.append(texts("remind.list_hint", cancel=directory.mention("remind cancel")))
        if any_paused:
            lines.append(texts("remind.list_paused_hint"))
        await interaction.response.send_message(
            embeds=list_embeds(texts("remind.list_title"), lines),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @remind.command(name="cancel", description="Stop one of your appreciation reminders")
    @app_commands.rename(reminder_id="id")
    @app_commands.describe(reminder_id="The reminder's number (start typing to pick one)")
    async def cancel(
        self,
        interaction: discord.Interaction[HearthBot],
        reminder_id: app_commands.Range[int, 1, MAX_INTEGER_OPTION],
    ) -> None:
        """Delete one of the person's reminders; someone else's number is as good as a missing one."""
        texts = self.content.texts
        if not await service.cancel(self.bot.db, reminder_id, interaction.user.id):
            list_command = self.bot.command_directory.mention("remind list")
            raise NotFoundError(texts("remind.not_found", id=reminder_id, list=list_command))
        await send_private(interaction, texts("remind.cancelled", id=reminder_id))

    @cancel.autocomplete("reminder_id")
    async def id_autocomplete(
        self, interaction: discord.Interaction[HearthBot], current: str
    ) -> list[app_commands.Choice[int]]:
        """Suggest the person's own reminders (never anyone else's) matching the typed number or name."""
        texts = self.content.texts
        needle = str(current).strip().lower().lstrip("#")
        choices: list[app_commands.Choice[int]] = []
        for item in await service.listing(self.bot.db, interaction.user.id):
            reminder = item.reminder
            days, at, _ = describe_rule(item.schedule)
            label = texts(
                "remind.autocomplete_item", id=reminder.id, who=reminder.target_name, days=days, time=at
            )
            if needle and needle not in label.lower():
                continue
            choices.append(app_commands.Choice(name=label[:100], value=reminder.id))
        return choices[:25]


async def setup(bot: HearthBot) -> None:
    """Add the reminders cog."""
    await bot.add_cog(Reminders(bot))
