"""/checkin now|history|schedule|stop: private check-ins, scheduled DM check-ins and consent-based sharing.

Every reply is ephemeral or in the author's DMs; nothing about a check-in is
ever posted in a channel or logged.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any, cast

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.checkins import service
from bot.checkins.days import day_choices, describe_days, parse_days
from bot.checkins.form import (
    MAX_NEEDS,
    NOTE_LIMIT,
    CheckinAnswers,
    clean_note,
    validate_answers,
    validate_feelings,
    validate_needs,
)
from bot.checkins.replies import saved_text, score_saved_text
from bot.content.checkins import CheckinContent
from bot.db.repos import checkins, users
from bot.db.repos.checkins import CheckinSource
from bot.db.timestamps import to_unix
from bot.dm import DmUndeliverableError, send_dm
from bot.errors import InvalidInputError, NotFoundError
from bot.prompts.timezones import search_timezones
from bot.replies import fit_message, join_names, send_private
from bot.safety import mentions_danger
from bot.schedule.engine import Occurrence
from bot.schedule.errors import PermanentDeliveryError, TransientDeliveryError
from bot.schedule.recurrence import Recurrence, format_local_time, is_valid_timezone, parse_local_time
from bot.tree import report_interaction_error
from bot.ui import HearthModal

if TYPE_CHECKING:
    from bot.app import HearthBot

SCORE_FIELD = "hearth:checkin:score"
FEELINGS_FIELD = "hearth:checkin:feelings"
NEEDS_FIELD = "hearth:checkin:needs"
NOTE_FIELD = "hearth:checkin:note"
# A shared summary goes to at most this many people at once.
MAX_SHARE_RECIPIENTS = 5
NO_MENTIONS = discord.AllowedMentions.none()


def _bot(interaction: discord.Interaction[Any]) -> HearthBot:
    """Return the Hearth bot behind an interaction."""
    return cast("HearthBot", interaction.client)


def note_pointer_for(bot: HearthBot, note: str | None, resources: str, locale: str) -> str | None:
    """Return the gentle pointer to help when the note speaks of self-harm or danger, else None.

    It names the lines of the person's country when their Discord language says where they are.
    Only the author's private reply carries it: the match itself is never logged, stored or shared.
    """
    if not mentions_danger(note):
        return None
    content = bot.content.resources
    return content.safety.pointer(resources, content.country_for_locale(locale))


# --- the form -------------------------------------------------------------------------------------


class CheckinForm(HearthModal):
    """The check-in form: score (radio group), feelings and needs (selects), and a private note.

    Opened by /checkin now with all four fields, or from a DM check-in's
    "Add feelings and needs" button without the score (already saved).
    """

    def __init__(self, content: CheckinContent, *, details_for: int | None = None) -> None:
        texts = content.texts
        if details_for is None:
            super().__init__(title=texts("modal.title"), form="checkin")
        else:
            super().__init__(title=texts("modal.details_title"), form="checkin-details")
        self.details_for = details_for
        self.score: discord.ui.RadioGroup[CheckinForm] | None = None
        if details_for is None:
            self.score = discord.ui.RadioGroup(custom_id=SCORE_FIELD, required=True)
            for point in content.scores:
                self.score.add_option(
                    label=f"{point.value} · {point.label}",
                    value=str(point.value),
                    description=point.description,
                )
            self.add_item(
                discord.ui.Label(
                    text=texts("modal.score_label"),
                    description=texts("modal.score_description"),
                    component=self.score,
                )
            )
        feelings = content.feelings
        self.feelings: discord.ui.Select[CheckinForm] = discord.ui.Select(
            custom_id=FEELINGS_FIELD,
            placeholder=texts("modal.feelings_placeholder"),
            min_values=0,
            max_values=len(feelings),
            required=False,
            options=[
                discord.SelectOption(label=feeling.label, value=feeling.id, description=feeling.group)
                for feeling in feelings
            ],
        )
        self.add_item(discord.ui.Label(text=texts("modal.feelings_label"), component=self.feelings))
        self.needs: discord.ui.Select[CheckinForm] = discord.ui.Select(
            custom_id=NEEDS_FIELD,
            placeholder=texts("modal.needs_placeholder"),
            min_values=0,
            max_values=min(MAX_NEEDS, len(content.needs)),
            required=False,
            options=[discord.SelectOption(label=need.label, value=need.id) for need in content.needs],
        )
        self.add_item(discord.ui.Label(text=texts("modal.needs_label"), component=self.needs))
        self.note: discord.ui.TextInput[CheckinForm] = discord.ui.TextInput(
            custom_id=NOTE_FIELD,
            style=discord.TextStyle.paragraph,
            placeholder=texts("modal.note_placeholder"),
            required=False,
            max_length=NOTE_LIMIT,
        )
        self.add_item(discord.ui.Label(text=texts("modal.note_label"), component=self.note))

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Validate everything on the server, save privately and answer with care."""
        bot = _bot(interaction)
        content = bot.content.checkins
        resources = bot.command_directory.mention("resources")
        in_guild = interaction.guild_id is not None
        note_pointer = note_pointer_for(bot, self.note.value, resources, str(interaction.locale))
        if self.details_for is not None:
            updated = await checkins.update_details(
                bot.db,
                bot.cipher,
                self.details_for,
                interaction.user.id,
                feelings=validate_feelings(self.feelings.values, content),
                needs=validate_needs(self.needs.values, content),
                note=clean_note(self.note.value, content),
                now=bot.clock.now(),
            )
            if updated is None:
                raise NotFoundError(content.texts("checkin.not_found"))
            reply = saved_text(
                updated.score,
                updated.needs,
                content,
                resources=resources,
                in_guild=False,
                thanks=False,
                note_pointer=note_pointer,
            )
            await send_private(interaction, fit_message(reply))
            return
        answers = validate_answers(
            self.score.value if self.score else None,
            self.feelings.values,
            self.needs.values,
            self.note.value,
            content,
        )
        saved = await service.save_checkin(bot, interaction.user.id, answers, CheckinSource.COMMAND)
        if saved is None:
            raise RuntimeError("a check-in without a prompt key was not stored")
        reply = saved_text(
            answers.score,
            answers.needs,
            content,
            resources=resources,
            in_guild=in_guild,
            note_pointer=note_pointer,
        )
        view: discord.ui.View | None = None
        if in_guild:
            view = discord.ui.View(timeout=None)
            view.add_item(ShareSelect(saved.id, content.texts("saved.share_placeholder")))
        await send_private(interaction, fit_message(reply), view=view)


# --- sharing ----------------------------------------------------------------------------------------


class ShareSelect(
    discord.ui.DynamicItem[discord.ui.UserSelect[Any]],
    template=r"hearth:checkin:share:(?P<id>[0-9]{1,19})",
):
    """The "Share a summary with…" select; its custom_id carries the check-in id, so it outlives a restart."""

    def __init__(self, checkin_id: int, placeholder: str | None = None) -> None:
        super().__init__(
            discord.ui.UserSelect(
                custom_id=f"hearth:checkin:share:{checkin_id}",
                placeholder=placeholder,
                min_values=1,
                max_values=MAX_SHARE_RECIPIENTS,
            )
        )
        self.checkin_id = checkin_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ShareSelect:
        """Rebuild the select from its custom_id when it is used."""
        placeholder = item.placeholder if isinstance(item, discord.ui.UserSelect) else None
        return cls(int(match["id"]), placeholder)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Send the summary to each chosen person, then tell the author who received it."""
        try:
            await self._share(interaction, _bot(interaction))
        except Exception as error:
            # The view discord.py builds for a dynamic item has no error handler of ours.
            await report_interaction_error(interaction, error)

    async def _share(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Share with members of this server only: never bots, never the author."""
        texts = bot.content.checkins.texts
        if interaction.guild_id is None:
            raise InvalidInputError(texts("saved.share_in_dm"))
        chosen = [
            value
            for value in self.item.values
            if isinstance(value, discord.Member)
            and value.guild.id == interaction.guild_id
            and not value.bot
            and value.id != interaction.user.id
        ]
        if not chosen:
            raise InvalidInputError(texts("share.nobody"))
        checkin = await checkins.get(bot.db, self.checkin_id, interaction.user.id)
        if checkin is None:
            raise NotFoundError(texts("checkin.not_found"))
        await interaction.response.defer(ephemeral=True, thinking=True)
        author = discord.utils.escape_markdown(interaction.user.display_name)
        outcome = await service.share(bot, checkin, author, [member.id for member in chosen])

        def people(ids: list[int]) -> str:
            return join_names([f"<@{user_id}>" for user_id in ids])

        lines = []
        for key, ids in (
            ("share.sent", outcome.sent),
            ("share.already", outcome.already),
            ("share.closed", outcome.closed),
            ("share.failed", outcome.failed),
        ):
            if ids:
                lines.append(texts(key, people=people(ids)))
        await send_private(interaction, fit_message("\n".join(lines)))


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
            existing = await checkins.by_prompt(bot.db, interaction.user.id, key)
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


# --- the cog ----------------------------------------------------------------------------------------


class Checkins(commands.Cog):
    """Private check-ins: now, history, DM schedule; sharing only by the author's explicit choice."""

    checkin = app_commands.Group(
        name="checkin",
        description="Private check-ins: how safe and connected you feel",
        allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=False),
    )

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Take over DM check-in deliveries and the persistent buttons."""
        self.bot.add_dynamic_items(ShareSelect, DmCheckinButton, DetailsButton, StopButton)
        # Meta tests load cogs into a bot that never ran setup_hook, so there may be no engine yet.
        engine = getattr(self.bot, "schedule_engine", None)
        if engine is not None:
            engine.register(service.SCHEDULE_KIND, self.deliver)

    async def cog_unload(self) -> None:
        """Hand DM check-in deliveries and the buttons back."""
        self.bot.remove_dynamic_items(ShareSelect, DmCheckinButton, DetailsButton, StopButton)
        engine = getattr(self.bot, "schedule_engine", None)
        if engine is not None:
            engine.unregister(service.SCHEDULE_KIND)

    async def deliver(self, occurrence: Occurrence) -> None:
        """Send one scheduled check-in DM; closed DMs pause the schedule (and the person is told later)."""
        user_id = occurrence.schedule.user_id
        if user_id is None:
            raise PermanentDeliveryError("check-in schedule without a user")
        content = self.bot.content.checkins
        now = self.bot.clock.now()
        view = checkin_dm_view(content, occurrence.schedule.id, to_unix(now))
        try:
            await send_dm(
                self.bot,
                self.bot.db,
                user_id,
                now,
                content=content.texts("dm.prompt"),
                view=view,
                nonce=occurrence.key,
            )
        except DmUndeliverableError:
            raise
        except (discord.NotFound, discord.Forbidden) as error:
            raise PermanentDeliveryError(f"DM refused ({error.code or error.status})") from error
        except discord.HTTPException as error:
            raise TransientDeliveryError(f"HTTP {error.status} ({error.code})") from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise TransientDeliveryError(f"network error ({type(error).__name__})") from error

    @checkin.command(name="now", description="Check in privately: how safe and connected you feel today")
    async def now(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Open the private check-in form."""
        await interaction.response.send_modal(CheckinForm(self.bot.content.checkins))

    @checkin.command(name="history", description="Your own check-ins over time, with a chart")
    @app_commands.describe(days="How many days back to look (1-365, default 30)")
    async def history(
        self,
        interaction: discord.Interaction[HearthBot],
        days: app_commands.Range[int, 1, service.MAX_HISTORY_DAYS] = service.DEFAULT_HISTORY_DAYS,
    ) -> None:
        """Show the author's own check-ins: a chart and a short summary, privately."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await service.history(
            self.bot,
            interaction.user.id,
            days,
            checkin_mention=self.bot.command_directory.mention("checkin now"),
        )
        if result.chart is None:
            await send_private(interaction, fit_message(result.text))
            return
        await interaction.followup.send(
            content=fit_message(result.text),
            file=discord.File(io.BytesIO(result.chart), filename=service.CHART_FILENAME),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @checkin.command(name="schedule", description="Get a private check-in by DM at a time you choose")
    @app_commands.describe(
        time="Your local time, 24-hour HH:MM (e.g. 20:30)",
        days="Which days (default: every day), e.g. weekdays or mon,wed,fri",
        timezone="Your timezone: type a city to search (remembered for next time)",
    )
    async def schedule(
        self,
        interaction: discord.Interaction[HearthBot],
        time: str,
        days: str | None = None,
        timezone: str | None = None,
    ) -> None:
        """Validate, send a test DM, and only then save the schedule."""
        content = self.bot.content.checkins
        texts = content.texts
        user_id = interaction.user.id
        try:
            local_time = parse_local_time(time)
        except ValueError as error:
            raise InvalidInputError(texts("schedule.bad_time", problem=str(error))) from None
        try:
            weekdays = parse_days(days)
        except ValueError:
            raise InvalidInputError(
                texts("schedule.bad_days", days=discord.utils.escape_markdown((days or "")[:50]))
            ) from None
        zone = (
            timezone.strip()
            if timezone and timezone.strip()
            else await service.user_zone_name(self.bot, user_id)
        )
        if zone is None:
            raise InvalidInputError(texts("schedule.need_timezone"))
        if not is_valid_timezone(zone):
            raise InvalidInputError(
                texts("schedule.bad_timezone", timezone=discord.utils.escape_markdown(zone[:64]))
            )
        rule = Recurrence(timezone=zone, local_time=local_time, weekdays=weekdays)
        await interaction.response.defer(ephemeral=True, thinking=True)
        directory = self.bot.command_directory
        when = {
            "time": format_local_time(local_time),
            "timezone": zone,
            "days": describe_days(weekdays, texts),
            "stop": directory.mention("checkin stop"),
        }
        # Running this again is how someone says they opened their DMs: try once more.
        await users.clear_dm_undeliverable(self.bot.db, user_id)
        try:
            await send_dm(
                self.bot,
                self.bot.db,
                user_id,
                self.bot.clock.now(),
                content=texts("schedule.test_dm", **when),
                view=stop_only_view(content),
            )
        except DmUndeliverableError:
            # Told right here, so the next command doesn't repeat it.
            await users.take_dm_notice(self.bot.db, user_id)
            raise InvalidInputError(
                texts("schedule.dms_closed", schedule=directory.mention("checkin schedule"))
            ) from None
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError):
            raise InvalidInputError(texts("schedule.dm_failed")) from None
        saved = await service.start_schedule(self.bot, user_id, rule)
        moment = saved.next_run_at
        upcoming = f"{discord.utils.format_dt(moment, 'F')} ({discord.utils.format_dt(moment, 'R')})"
        await send_private(interaction, texts("schedule.saved", next=upcoming, **when))

    @schedule.autocomplete("timezone")
    async def timezone_autocomplete(
        self, interaction: discord.Interaction[HearthBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest IANA timezones whose city or region matches what was typed (at most 25)."""
        return [app_commands.Choice(name=name, value=name) for name in search_timezones(current)]

    @schedule.autocomplete("days")
    async def days_autocomplete(
        self, interaction: discord.Interaction[HearthBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest common day sets, or the days typed so far."""
        return [app_commands.Choice(name=name, value=value) for name, value in day_choices(current)]

    @checkin.command(name="stop", description="Stop your scheduled DM check-ins")
    async def stop(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Remove the person's DM check-in schedule."""
        texts = self.bot.content.checkins.texts
        stopped = await service.stop_schedule(self.bot, interaction.user.id)
        schedule = self.bot.command_directory.mention("checkin schedule")
        key = "schedule.stopped" if stopped else "schedule.nothing_to_stop"
        await send_private(interaction, texts(key, schedule=schedule))


async def setup(bot: HearthBot) -> None:
    """Add the check-ins cog."""
    await bot.add_cog(Checkins(bot))
