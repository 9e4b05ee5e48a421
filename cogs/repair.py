"""/repair start|cancel: a guided, private repair flow after conflict, and the other person's answer.

The flow: a pause step (with "remind me" one-shots), an I-statement modal, a
preview to edit, then one DM to the other person with three ways to answer
and a "Stop messages from this person" button; the initiator hears the
answer by DM, and both get a follow-up DM after ``REPAIR_FOLLOW_UP_HOURS``.

The statement is private text: it appears only in the initiator's ephemeral
preview and the recipient's DM, never in a channel, a log line or an error.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_scope import EVERYWHERE, PERSONAL_INSTALLS
from bot.content.texts import TextTable
from bot.delivery import SEND_FAILURES, DmUndeliverableError, dm_error, send_dm
from bot.errors import InvalidInputError, NotFoundError
from bot.repair import service
from bot.repair.service import FOLLOW_UP_KIND, PAUSE_KIND, Capped, RepairRequest, RepairStatus
from bot.replies import mention, send_private
from bot.schedule.engine import Occurrence
from bot.schedule.kinds import RepairPayload
from bot.ui import HEARTH_COLOUR, PersistentButton, persistent_view
from cogs._repair_answer import AnswerButton, BlockButton, UnblockButton, shown_name
from cogs._repair_draft import DiscardButton, PauseButton, SendButton, WriteButton, capped_text

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

PAUSE_MINUTES = (20, 60)

REPAIR_BUTTONS: tuple[type[PersistentButton], ...] = (
    WriteButton,
    PauseButton,
    SendButton,
    DiscardButton,
    AnswerButton,
    BlockButton,
    UnblockButton,
)


# --- the cog --------------------------------------------------------------------------------------


class Repair(commands.Cog):
    """The guided repair flow, its scheduled reminders and follow-ups."""

    repair = app_commands.Group(
        name="repair",
        description="A gentle, guided way back after conflict",
        allowed_installs=PERSONAL_INSTALLS,
        allowed_contexts=EVERYWHERE,
    )

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Take over repair reminders, follow-ups and the flow's persistent buttons."""
        self.bot.add_dynamic_items(*REPAIR_BUTTONS)
        self.bot.schedule_routes.register(PAUSE_KIND, self.deliver_pause_reminder)
        self.bot.schedule_routes.register(FOLLOW_UP_KIND, self.deliver_follow_up)

    async def cog_unload(self) -> None:
        """Hand deliveries and buttons back."""
        self.bot.remove_dynamic_items(*REPAIR_BUTTONS)
        self.bot.schedule_routes.unregister(PAUSE_KIND)
        self.bot.schedule_routes.unregister(FOLLOW_UP_KIND)

    @property
    def texts(self) -> TextTable:
        """Return the repair flow's texts."""
        return self.bot.content.repair.texts

    # --- scheduled DMs ----------------------------------------------------------------------------

    async def deliver_pause_reminder(self, occurrence: Occurrence) -> None:
        """After the pause, DM the initiator a way back to the form (unless the draft moved on)."""
        request = await service.get(self.bot.db, RepairPayload.decode(occurrence.schedule.payload).request_id)
        if request is None or request.status is not RepairStatus.DRAFT:
            log.info("Repair pause reminder %s no longer needed", occurrence.schedule.id)
            return
        view = persistent_view(WriteButton(request.id, self.texts("start.button_write")))
        try:
            await send_dm(
                self.bot,
                self.bot.db,
                request.initiator_id,
                self.bot.clock.now(),
                content=self.texts("start.pause_dm", who=mention(request.recipient_id)),
                view=view,
                nonce=occurrence.key,
            )
        except SEND_FAILURES as error:
            raise dm_error(error) from error
        log.info("Repair pause reminder sent for request %s", request.id)

    async def deliver_follow_up(self, occurrence: Occurrence) -> None:
        """DM both people "how are things?", each with a way to stop messages from the other."""
        request = await service.get(self.bot.db, RepairPayload.decode(occurrence.schedule.payload).request_id)
        if request is None or request.status is not RepairStatus.ANSWERED:
            log.info("Repair follow-up %s no longer needed", occurrence.schedule.id)
            return
        checkin = self.bot.command_directory.mention("checkin now")
        pairs = (
            (request.initiator_id, request.recipient_id, "i"),
            (request.recipient_id, request.initiator_id, "r"),
        )
        for person, other, suffix in pairs:
            if await service.is_blocked(self.bot.db, person, other):
                continue
            view = persistent_view(BlockButton(other, self.texts("recipient.button_block")))
            try:
                await send_dm(
                    self.bot,
                    self.bot.db,
                    person,
                    self.bot.clock.now(),
                    content=self.texts("follow_up.message", name=mention(other), checkin=checkin),
                    view=view,
                    nonce=f"{occurrence.key}{suffix}"[-25:],
                )
            except DmUndeliverableError:
                log.info("Repair follow-up %s: one DM was refused", request.id)
            except SEND_FAILURES as error:
                raise dm_error(error) from error
        log.info("Repair follow-up sent for request %s", request.id)

    # --- commands ---------------------------------------------------------------------------------

    @repair.command(name="start", description="A guided, private way to reach out after a conflict")
    @app_commands.describe(who="The person you'd like to repair things with")
    async def start(self, interaction: discord.Interaction[HearthBot], who: discord.User) -> None:
        """Check who it is for, then show the pause step privately."""
        texts = self.texts
        me = interaction.user
        if who.bot:
            raise InvalidInputError(texts("start.no_bots"))
        if who.id == me.id:
            raise InvalidInputError(texts("start.not_yourself"))
        if interaction.guild_id is not None and not isinstance(who, discord.Member):
            raise InvalidInputError(texts("start.not_member"))
        request = await service.start(
            self.bot.db,
            initiator_id=me.id,
            recipient_id=who.id,
            guild_id=interaction.guild_id,
            now=self.bot.clock.now(),
        )
        if isinstance(request, Capped):
            raise InvalidInputError(capped_text(self.bot, who.id, request))
        resources = self.bot.command_directory.mention("resources")
        scope = texts("start.scope", who=mention(who.id), resources=resources)
        embed = discord.Embed(
            title=texts("start.title", who=shown_name(who))[:256],
            description=f"{scope}\n\n{texts('start.pause')}",
            colour=HEARTH_COLOUR,
        )
        steps = "\n".join(
            f"**{index}. {step.name}.** {step.text}"
            for index, step in enumerate(self.bot.content.repair.steps, 1)
        )
        embed.add_field(name=texts("start.steps_title"), value=steps[:1024], inline=False)
        view = persistent_view(
            WriteButton(request.id, texts("start.button_write")),
            *(
                PauseButton(request.id, minutes, texts(f"start.button_pause_{minutes}"))
                for minutes in PAUSE_MINUTES
            ),
        )
        await send_private(interaction, embed=embed, view=view)

    @repair.command(name="cancel", description="Withdraw a repair message that hasn't been answered yet")
    @app_commands.describe(who="Whose message to withdraw (your latest one if you leave this out)")
    async def cancel(
        self, interaction: discord.Interaction[HearthBot], who: discord.User | None = None
    ) -> None:
        """Withdraw the latest pending request: a draft is discarded, a sent one is taken back."""
        texts = self.texts
        me = interaction.user
        request = await service.latest_pending(self.bot.db, me.id, who.id if who else None)
        if request is None:
            raise NotFoundError(texts("cancel.none"))
        await interaction.response.defer(ephemeral=True, thinking=True)
        before = await service.withdraw(self.bot.db, request.id, me.id)
        if before is None:
            raise NotFoundError(texts("cancel.none"))
        who_text = mention(request.recipient_id)
        if before.status is RepairStatus.DRAFT:
            await send_private(interaction, texts("cancel.withdrawn_draft", who=who_text))
            return
        await self._take_back_dm(before, shown_name(me))
        await send_private(interaction, texts("cancel.withdrawn", who=who_text))

    async def _take_back_dm(self, request: RepairRequest, initiator_name: str) -> None:
        """Replace the recipient's copy with "they withdrew it", keeping only the block button."""
        if request.dm_channel_id is None or request.dm_message_id is None:
            return
        channel = self.bot.get_partial_messageable(request.dm_channel_id, type=discord.ChannelType.private)
        view = persistent_view(BlockButton(request.initiator_id, self.texts("recipient.button_block")))
        try:
            await channel.get_partial_message(request.dm_message_id).edit(
                content=self.texts("recipient.withdrawn_dm", name=initiator_name),
                embeds=[],
                view=view,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except SEND_FAILURES:
            log.info("Could not edit the recipient's copy of repair request %s", request.id)


async def setup(bot: HearthBot) -> None:
    """Add the repair cog."""
    await bot.add_cog(Repair(bot))
