"""/checkin now|history|schedule|stop: private check-ins, scheduled DM check-ins and consent-based sharing.

Every reply is ephemeral or in the author's DMs; nothing about a check-in is
ever posted in a channel or logged.
"""

from __future__ import annotations

import io
from datetime import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.checkins import service
from bot.command_scope import EVERYWHERE, PERSONAL_INSTALLS
from bot.db.timestamps import to_unix
from bot.delivery import SEND_FAILURES, dm_error, require_opt_in_dm, send_dm
from bot.errors import InvalidInputError
from bot.replies import fit_message, send_private
from bot.schedule.days import describe_days, parse_days
from bot.schedule.engine import Occurrence
from bot.schedule.errors import PermanentDeliveryError
from bot.schedule.recurrence import Recurrence, format_local_time
from bot.transformers import LocalTime, Timezone, Weekdays
from cogs._checkin_dm import DetailsButton, DmCheckinButton, StopButton, checkin_dm_view, stop_only_view
from cogs._checkin_form import NO_MENTIONS, CheckinForm, ShareSelect

if TYPE_CHECKING:
    from bot.app import HearthBot

CheckinTime = app_commands.Transform[
    time, LocalTime(lambda content: content.checkins.texts, "schedule.bad_time")
]
CheckinDays = app_commands.Transform[
    frozenset[int], Weekdays(lambda content: content.checkins.texts, "schedule.bad_days")
]
CheckinZone = app_commands.Transform[
    str, Timezone(lambda content: content.checkins.texts, "schedule.bad_timezone")
]

# --- the cog ----------------------------------------------------------------------------------------


class Checkins(commands.Cog):
    """Private check-ins: now, history, DM schedule; sharing only by the author's explicit choice."""

    checkin = app_commands.Group(
        name="checkin",
        description="Private check-ins: how safe and connected you feel",
        allowed_installs=PERSONAL_INSTALLS,
        allowed_contexts=EVERYWHERE,
    )

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Take over DM check-in deliveries and the persistent buttons."""
        self.bot.add_dynamic_items(ShareSelect, DmCheckinButton, DetailsButton, StopButton)
        self.bot.schedule_routes.register(service.SCHEDULE_KIND, self.deliver)

    async def cog_unload(self) -> None:
        """Hand DM check-in deliveries and the buttons back."""
        self.bot.remove_dynamic_items(ShareSelect, DmCheckinButton, DetailsButton, StopButton)
        self.bot.schedule_routes.unregister(service.SCHEDULE_KIND)

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
        except SEND_FAILURES as error:
            raise dm_error(error) from error

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
        time="Your local time, e.g. 20:30 or 8:30 pm",
        days="Which days (default: every day), e.g. weekdays or mon,wed,fri",
        timezone="Your timezone: type a city (e.g. London) to search; remembered for next time",
    )
    async def schedule(
        self,
        interaction: discord.Interaction[HearthBot],
        time: CheckinTime,
        days: CheckinDays | None = None,
        timezone: CheckinZone | None = None,
    ) -> None:
        """Validate, send a test DM, and only then save the schedule."""
        content = self.bot.content.checkins
        texts = content.texts
        user_id = interaction.user.id
        local_time = time
        weekdays = parse_days(None) if days is None else days
        zone = timezone or await service.user_zone_name(self.bot, user_id)
        if zone is None:
            raise InvalidInputError(texts("schedule.need_timezone"))
        rule = Recurrence(timezone=zone, local_time=local_time, weekdays=weekdays)
        await interaction.response.defer(ephemeral=True, thinking=True)
        directory = self.bot.command_directory
        when = {
            "time": format_local_time(local_time),
            "timezone": zone,
            "days": describe_days(weekdays, texts, "schedule"),
            "stop": directory.mention("checkin stop"),
        }
        # Running this again is how someone says they opened their DMs: try once more.
        await require_opt_in_dm(
            self.bot,
            self.bot.db,
            user_id,
            self.bot.clock.now(),
            refused=texts("schedule.dms_closed", schedule=directory.mention("checkin schedule")),
            failed=texts("schedule.dm_failed"),
            content=texts("schedule.test_dm", **when),
            view=stop_only_view(content),
        )
        saved = await service.start_schedule(self.bot, user_id, rule)
        moment = saved.next_run_at
        upcoming = f"{discord.utils.format_dt(moment, 'F')} ({discord.utils.format_dt(moment, 'R')})"
        await send_private(interaction, texts("schedule.saved", next=upcoming, **when))

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
