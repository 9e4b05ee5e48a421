"""/remind appreciation|list|cancel: recurring DM nudges to appreciate someone, with an idea each time."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Self

import discord
from discord import app_commands
from discord.ext import commands

from bot.content.appreciation import AppreciationContent
from bot.db.repos import gratitude, reminders, schedules, users
from bot.db.repos.reminders import Nudge, Reminder
from bot.db.repos.schedules import Schedule
from bot.dm import DmUndeliverableError, send_dm
from bot.errors import InvalidInputError, NotFoundError
from bot.prompts.timezones import search_timezones
from bot.reminders.every import describe_days, every_suggestions, parse_every
from bot.reminders.ideas import idea_rng, pick_idea
from bot.reminders.limits import MAX_ACTIVE_REMINDERS, at_reminder_cap
from bot.reminders.snooze import Snooze, available_snoozes, snooze_until
from bot.replies import send_private
from bot.schedule.days import DAY_NAMES
from bot.schedule.engine import Occurrence
from bot.schedule.recurrence import Recurrence, format_local_time, is_valid_timezone, parse_local_time
from bot.tree import MAX_INTEGER_OPTION
from bot.ui import HEARTH_COLOUR
from cogs._admin import guild_of
from cogs._dm_ui import GuardedButton, delivery_error, persistent_view

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

SCHEDULE_KIND = "appreciation"
# A nudge this late (the bot was down) says so.
LATE_AFTER = timedelta(minutes=10)
# An embed description holds 4096 characters; a list of 25 reminders can need two embeds.
LIST_DESCRIPTION_LIMIT = 4000
DAY_CHOICES = [app_commands.Choice(name=name, value=name.lower()) for name in DAY_NAMES]
_ID = "[0-9]{1,19}"


def owner_key(reminder_id: int) -> str:
    """Return the schedule owner key of a reminder."""
    return f"{SCHEDULE_KIND}:{reminder_id}"


def snooze_owner_key(reminder_id: int) -> str:
    """Return the owner key of a reminder's pending snooze (one at a time; a new one replaces it)."""
    return f"{SCHEDULE_KIND}:{reminder_id}:snooze"


def content_of(bot: HearthBot) -> AppreciationContent:
    """Return the appreciation content."""
    return bot.content.appreciation


def mention(user_id: int) -> str:
    """Return a user mention (shown as a name; it never pings, mentions are off)."""
    return f"<@{user_id}>"


def relative(moment: datetime) -> str:
    """Return a relative Discord timestamp, e.g. "in 3 hours"."""
    return discord.utils.format_dt(moment, "R")


async def delete_schedules(bot: HearthBot, reminder_id: int) -> None:
    """Delete a reminder's schedule and any pending snooze."""
    await schedules.delete_by_owner_key(bot.db, owner_key(reminder_id))
    await schedules.delete_by_owner_key(bot.db, snooze_owner_key(reminder_id))


async def own_nudge(bot: HearthBot, nudge_id: int, user_id: int) -> tuple[Nudge, Reminder]:
    """Return a nudge and its reminder if ``user_id`` owns them, or raise the kind "stopped" answer."""
    nudge = await reminders.get_nudge(bot.db, nudge_id)
    reminder = None if nudge is None else await reminders.get_own(bot.db, nudge.reminder_id, user_id)
    if nudge is None or reminder is None:
        command = bot.command_directory.mention("remind appreciation")
        raise NotFoundError(content_of(bot).texts("remind.stopped", command=command))
    return nudge, reminder


async def reminder_timezone(bot: HearthBot, reminder: Reminder) -> str:
    """Return the timezone a reminder runs in (its schedule's, else the person's, else the default)."""
    schedule = await schedules.get_by_owner_key(bot.db, owner_key(reminder.id))
    if schedule is not None and schedule.timezone:
        return schedule.timezone
    record = await users.get(bot.db, reminder.user_id)
    return record.timezone if record and record.timezone else bot.settings.default_timezone


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


# --- the reminder DM and its buttons ------------------------------------------------------------


async def _server_name(bot: HearthBot, guild_id: int) -> str:
    """Return the server's name for a DM reply, asking Discord when it's on another process's shard."""
    guild = bot.get_guild(guild_id)
    if guild is None:
        try:
            guild = await bot.fetch_guild(guild_id)
        except discord.HTTPException:
            return "your server"
    return discord.utils.escape_markdown(guild.name)


class SendGratitudeButton(GuardedButton, template=rf"hearth:appr:thank:(?P<nudge>{_ID})"):
    """Points to the gratitude channel of the server the reminder was made in (or says there is none)."""

    def __init__(self, nudge_id: int, label: str) -> None:
        super().__init__(f"hearth:appr:thank:{nudge_id}", label, discord.ButtonStyle.primary, row=0)
        self.nudge_id = nudge_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Say how to thank them in the server's gratitude channel, or that the server has none."""
        _, reminder = await own_nudge(bot, self.nudge_id, interaction.user.id)
        texts = content_of(bot).texts
        server = await _server_name(bot, reminder.guild_id)
        who = mention(reminder.target_id)
        if await gratitude.get_config(bot.db, reminder.guild_id) is None:
            await send_private(interaction, texts("gratitude.no_channel", who=who, server=server))
            return
        command = bot.command_directory.mention("gratitude send")
        reply = texts("gratitude.use_command", who=who, server=server, command=command)
        await send_private(interaction, reply)


class SnoozeButton(GuardedButton, template=rf"hearth:appr:snooze:(?P<nudge>{_ID})"):
    """Offers the snooze choices that make sense now."""

    def __init__(self, nudge_id: int, label: str) -> None:
        super().__init__(f"hearth:appr:snooze:{nudge_id}", label, row=0)
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


class SnoozeChoiceButton(
    GuardedButton, template=rf"hearth:appr:snz:(?P<nudge>{_ID}):(?P<choice>hour|evening|tomorrow)"
):
    """Puts the nudge off: a one-shot schedule brings the same idea back."""

    def __init__(self, nudge_id: int, choice: Snooze, label: str) -> None:
        super().__init__(f"hearth:appr:snz:{nudge_id}:{choice.value}", label)
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
        await schedules.create_one_shot(
            bot.db,
            kind=SCHEDULE_KIND,
            owner_key=snooze_owner_key(reminder.id),
            run_at=until,
            now=now,
            guild_id=reminder.guild_id,
            user_id=reminder.user_id,
            timezone=zone,
            payload={"reminder_id": reminder.id, "nudge_id": nudge.id},
        )
        await reminders.snooze_nudge(bot.db, nudge.id, until)
        log.info("Appreciation nudge %s snoozed (%s)", nudge.id, self.choice.value)
        when = f"{discord.utils.format_dt(until, 't')} ({relative(until)})"
        await interaction.response.edit_message(content=texts("snooze.set", when=when), view=None)


class DoneButton(GuardedButton, template=rf"hearth:appr:done:(?P<nudge>{_ID})"):
    """Records that the nudge was acted on."""

    def __init__(self, nudge_id: int, label: str) -> None:
        super().__init__(f"hearth:appr:done:{nudge_id}", label, discord.ButtonStyle.success, row=0)
        self.nudge_id = nudge_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Mark the nudge done (a pending snooze of it is dropped) and thank the person."""
        nudge, reminder = await own_nudge(bot, self.nudge_id, interaction.user.id)
        texts = content_of(bot).texts
        if not await reminders.mark_done(bot.db, nudge.id, bot.clock.now()):
            await send_private(interaction, texts("done.already"))
            return
        snoozed = await schedules.get_by_owner_key(bot.db, snooze_owner_key(reminder.id))
        if snoozed is not None and snoozed.payload.get("nudge_id") == nudge.id:
            await schedules.delete(bot.db, snoozed.id)
        log.info("Appreciation nudge %s done", nudge.id)
        await send_private(interaction, texts("done.recorded"))


class StopReminderButton(GuardedButton, template=rf"hearth:appr:stop:(?P<reminder>{_ID})"):
    """Stops the reminder for good (every DM can stop what sent it)."""

    def __init__(self, reminder_id: int, label: str) -> None:
        super().__init__(f"hearth:appr:stop:{reminder_id}", label, row=1)
        self.reminder_id = reminder_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Delete the reminder and its schedules."""
        if await reminders.delete_own(bot.db, self.reminder_id, interaction.user.id):
            await delete_schedules(bot, self.reminder_id)
            log.info("Appreciation reminder %s stopped from its DM", self.reminder_id)
        command = bot.command_directory.mention("remind appreciation")
        await send_private(interaction, content_of(bot).texts("remind.stopped", command=command))


NUDGE_BUTTONS: tuple[type[GuardedButton], ...] = (
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


# --- the cog --------------------------------------------------------------------------------------


class Reminders(commands.Cog):
    """Appreciation reminders: set up, list, cancel, and their scheduled DMs."""

    remind = app_commands.Group(
        name="remind", description="Gentle reminders to appreciate someone", guild_only=True
    )

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Take over appreciation deliveries and the reminder DMs' buttons."""
        self.bot.add_dynamic_items(*NUDGE_BUTTONS)
        # Meta tests load cogs into a bot that never ran setup_hook, so there may be no engine yet.
        engine = getattr(self.bot, "schedule_engine", None)
        if engine is not None:
            engine.register(SCHEDULE_KIND, self.deliver)

    async def cog_unload(self) -> None:
        """Hand deliveries and buttons back."""
        self.bot.remove_dynamic_items(*NUDGE_BUTTONS)
        engine = getattr(self.bot, "schedule_engine", None)
        if engine is not None:
            engine.unregister(SCHEDULE_KIND)

    @property
    def content(self) -> AppreciationContent:
        """Return the appreciation content."""
        return self.bot.content.appreciation

    # --- delivery ---------------------------------------------------------------------------------

    async def deliver(self, occurrence: Occurrence) -> None:
        """DM a reminder's nudge: a new idea each time, or the snoozed one coming back."""
        schedule = occurrence.schedule
        reminder = await reminders.get(self.bot.db, int(schedule.payload["reminder_id"]))
        if reminder is None:
            # The reminder was cancelled while this occurrence was in flight.
            log.info("Appreciation schedule %s has no reminder any more; skipped", schedule.id)
            return
        now = self.bot.clock.now()
        texts = self.content.texts
        snoozed_id = schedule.payload.get("nudge_id")
        if snoozed_id is not None:
            nudge = await reminders.get_nudge(self.bot.db, int(snoozed_id))
            if nudge is None or nudge.done_at is not None:
                log.info("Snoozed nudge %s is done or gone; skipped", snoozed_id)
                return
        else:
            history = await reminders.idea_history(self.bot.db, reminder.id)
            rng = idea_rng(reminder.id, occurrence.key)
            idea_id = pick_idea(self.content.idea_ids, history, rng)
            nudge = await reminders.record_nudge(self.bot.db, reminder.id, occurrence.key, idea_id, now)
        idea = self.content.idea(nudge.idea_id) or self.content.ideas[0]
        parts = [texts("nudge.message", who=mention(reminder.target_id), idea=idea.text)]
        if snoozed_id is not None:
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
        except discord.HTTPException as error:
            raise delivery_error(error) from error
        log.info("Appreciation reminder %s sent nudge %s (%s)", reminder.id, nudge.id, occurrence.key)

    # --- commands ---------------------------------------------------------------------------------

    @remind.command(name="appreciation", description="A recurring nudge, by DM, to appreciate someone")
    @app_commands.describe(
        who="The person to appreciate",
        every="daily, weekdays, weekends, weekly (pick a day) or days like mon, wed, fri",
        time="Local time of day, 24-hour HH:MM (e.g. 19:30)",
        day="The day, for a weekly reminder",
        timezone="Your timezone: type a city to search (remembered for next time)",
    )
    @app_commands.choices(day=DAY_CHOICES)
    async def appreciation(
        self,
        interaction: discord.Interaction[HearthBot],
        who: discord.User,
        every: app_commands.Range[str, 1, 100],
        time: app_commands.Range[str, 1, 20],
        day: app_commands.Choice[str] | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
    ) -> None:
        """Check everything, send a test DM, then store the reminder and its schedule."""
        guild = guild_of(interaction)
        texts = self.content.texts
        me = interaction.user
        if who.bot:
            raise InvalidInputError(texts("remind.no_bots"))
        if who.id == me.id:
            raise InvalidInputError(texts("remind.not_yourself"))
        if not isinstance(who, discord.Member):
            raise InvalidInputError(texts("remind.not_member"))
        try:
            weekdays = parse_every(every, day.value if day else None)
        except ValueError as error:
            raise InvalidInputError(texts("remind.bad_every", problem=str(error))) from None
        try:
            local_time = parse_local_time(time)
        except ValueError as error:
            raise InvalidInputError(texts("remind.bad_time", problem=str(error))) from None
        zone, note = await self._choose_timezone(me.id, timezone)
        cancel = self.bot.command_directory.mention("remind cancel")
        cap_error = InvalidInputError(texts("remind.at_cap", cap=MAX_ACTIVE_REMINDERS, cancel=cancel))
        if at_reminder_cap(len(await reminders.for_user(self.bot.db, me.id))):
            raise cap_error
        rule = Recurrence(timezone=zone, local_time=local_time, weekdays=weekdays)
        days, at = describe_days(weekdays), format_local_time(local_time)
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.bot.clock.now()
        await self._test_dm(
            me.id, texts("remind.test_dm", who=mention(who.id), days=days, time=at, timezone=zone)
        )
        if timezone is not None:
            await users.set_timezone(self.bot.db, me.id, zone, now)
        reminder = await reminders.create(
            self.bot.db,
            user_id=me.id,
            guild_id=guild.id,
            target_id=who.id,
            target_name=who.display_name[:100],
            now=now,
            cap=MAX_ACTIVE_REMINDERS,
        )
        if reminder is None:
            raise cap_error
        schedule = await schedules.upsert_recurring(
            self.bot.db,
            kind=SCHEDULE_KIND,
            owner_key=owner_key(reminder.id),
            rule=rule,
            now=now,
            guild_id=guild.id,
            user_id=me.id,
            payload={"reminder_id": reminder.id},
        )
        await self._resume_paused(me.id, now)
        log.info("Appreciation reminder %s created by user %s in guild %s", reminder.id, me.id, guild.id)
        reply = texts(
            "remind.created",
            who=mention(who.id),
            days=days,
            time=at,
            timezone=zone,
            next=relative(schedule.next_run_at),
        )
        if note:
            reply = f"{reply}\n{texts('remind.timezone_note', timezone=zone)}"
        await send_private(interaction, reply)

    async def _choose_timezone(self, user_id: int, given: str | None) -> tuple[str, bool]:
        """Return the timezone to use and whether it was a default the person should hear about."""
        if given is not None and given.strip():
            zone = given.strip()
            if not is_valid_timezone(zone):
                shown = discord.utils.escape_markdown(zone[:64])
                raise InvalidInputError(self.content.texts("remind.bad_timezone", timezone=shown))
            return zone, False
        record = await users.get(self.bot.db, user_id)
        if record is not None and record.timezone:
            return record.timezone, False
        return self.bot.settings.default_timezone, True

    async def _test_dm(self, user_id: int, text: str) -> None:
        """Send the opt-in DM (DMs are tried afresh), or refuse kindly if it doesn't get through."""
        texts = self.content.texts
        await users.clear_dm_undeliverable(self.bot.db, user_id)
        try:
            await send_dm(self.bot, self.bot.db, user_id, self.bot.clock.now(), content=text)
        except DmUndeliverableError:
            # The person hears it right here; the next command need not repeat it.
            await users.take_dm_notice(self.bot.db, user_id)
            raise InvalidInputError(texts("remind.dm_closed")) from None
        except discord.HTTPException:
            raise InvalidInputError(texts("remind.dm_failed")) from None

    async def _resume_paused(self, user_id: int, now: datetime) -> None:
        """Restart the person's reminders that paused because DMs failed: DMs reach them again."""
        for reminder in await reminders.for_user(self.bot.db, user_id):
            schedule = await schedules.get_by_owner_key(self.bot.db, owner_key(reminder.id))
            if schedule is not None and schedule.paused:
                await schedules.resume(self.bot.db, schedule.id, now)
                log.info("Appreciation reminder %s resumed", reminder.id)

    @appreciation.autocomplete("every")
    async def every_autocomplete(
        self, interaction: discord.Interaction[HearthBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest daily, weekdays, weekends, weekly, or confirm a typed set of days."""
        return [app_commands.Choice(name=name, value=value) for name, value in every_suggestions(current)][
            :25
        ]

    @appreciation.autocomplete("timezone")
    async def timezone_autocomplete(
        self, interaction: discord.Interaction[HearthBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest IANA timezones whose city or region matches what was typed (at most 25)."""
        return [app_commands.Choice(name=name, value=name) for name in search_timezones(current)]

    @remind.command(name="list", description="Your appreciation reminders and when each comes next")
    async def list_(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Show the person's reminders privately: number, who, when, next time."""
        texts = self.content.texts
        directory = self.bot.command_directory
        own = await reminders.for_user(self.bot.db, interaction.user.id)
        if not own:
            await send_private(
                interaction, texts("remind.list_empty", command=directory.mention("remind appreciation"))
            )
            return
        lines: list[str] = []
        any_paused = False
        for reminder in own:
            schedule = await schedules.get_by_owner_key(self.bot.db, owner_key(reminder.id))
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
        if not await reminders.delete_own(self.bot.db, reminder_id, interaction.user.id):
            list_command = self.bot.command_directory.mention("remind list")
            raise NotFoundError(texts("remind.not_found", id=reminder_id, list=list_command))
        await delete_schedules(self.bot, reminder_id)
        log.info("Appreciation reminder %s cancelled by its owner", reminder_id)
        await send_private(interaction, texts("remind.cancelled", id=reminder_id))

    @cancel.autocomplete("reminder_id")
    async def id_autocomplete(
        self, interaction: discord.Interaction[HearthBot], current: str
    ) -> list[app_commands.Choice[int]]:
        """Suggest the person's own reminders (never anyone else's) matching the typed number or name."""
        texts = self.content.texts
        needle = str(current).strip().lower().lstrip("#")
        choices: list[app_commands.Choice[int]] = []
        for reminder in await reminders.for_user(self.bot.db, interaction.user.id):
            schedule = await schedules.get_by_owner_key(self.bot.db, owner_key(reminder.id))
            days, at, _ = describe_rule(schedule)
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
