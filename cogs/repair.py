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
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Self

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.content.repair import RepairContent
from bot.content.texts import TextTable
from bot.db.repos import blocks, repairs, schedules
from bot.db.repos.repairs import RepairAnswer, RepairRequest, RepairStatus, SendStart
from bot.dm import DmUndeliverableError, send_dm
from bot.errors import InvalidInputError, NotFoundError
from bot.repair.limits import DRAFT_LIFETIME, MAX_REQUESTS_PER_DAY, next_request_at, window_start
from bot.repair.statement import (
    PART_LIMITS,
    REQUIRED_PARTS,
    Part,
    ProblemKind,
    Statement,
    assemble,
    clean_statement,
    gentle_tips,
    problems_of,
)
from bot.replies import send_private
from bot.schedule.engine import Occurrence
from bot.ui import HEARTH_COLOUR, HearthModal
from cogs._admin import guild_of
from cogs._dm_ui import GuardedButton, delivery_error, persistent_view

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

PAUSE_KIND = "repair_pause"
FOLLOW_UP_KIND = "repair_follow_up"
PAUSE_MINUTES = (20, 60)
TIP_FIELD_LIMIT = 1024
# A DM that fails on the way (not refused by Discord) puts the draft back, so it can be sent again.
SEND_FAILURES = (discord.HTTPException, aiohttp.ClientError, TimeoutError)
_ID = "[0-9]{1,19}"


def pause_owner_key(request_id: int) -> str:
    """Return the owner key of a request's "remind me" one-shot."""
    return f"{PAUSE_KIND}:{request_id}"


def follow_up_owner_key(request_id: int) -> str:
    """Return the owner key of a request's follow-up one-shot."""
    return f"{FOLLOW_UP_KIND}:{request_id}"


def texts_of(bot: HearthBot) -> TextTable:
    """Return the repair flow's texts."""
    return bot.content.repair.texts


def mention(user_id: int) -> str:
    """Return a user mention (shown as a name; mentions never ping)."""
    return f"<@{user_id}>"


def shown_name(user: discord.abc.User) -> str:
    """Return someone's display name, safe to put inside Markdown."""
    return discord.utils.escape_markdown(user.display_name)


async def own_draft(bot: HearthBot, request_id: int, user_id: int) -> RepairRequest:
    """Return the initiator's request if it is still a draft, or raise the kind reason why not."""
    texts = texts_of(bot)
    request = await repairs.get(bot.db, request_id)
    expired = NotFoundError(texts("start.expired", start=bot.command_directory.mention("repair start")))
    if request is None:
        raise expired
    if request.initiator_id != user_id:
        raise NotFoundError(texts("start.not_yours"))
    if request.status is not RepairStatus.DRAFT:
        raise InvalidInputError(texts("send.already"))
    if bot.clock.now() - request.created_at > DRAFT_LIFETIME:
        raise expired
    return request


def statement_text(content: RepairContent, statement: Statement) -> str:
    """Return the statement as the recipient will read it."""
    texts = content.texts
    return assemble(statement, texts.template("template.statement"), texts.template("template.will_do"))


def statement_embed(content: RepairContent, statement: Statement) -> discord.Embed:
    """Return the statement in an embed (it never pings and stays apart from the bot's words)."""
    return discord.Embed(description=statement_text(content, statement), colour=HEARTH_COLOUR)


def problem_text(texts: TextTable, statement: Statement) -> str | None:
    """Return what keeps a statement from being sent, kindly, or None if it is ready."""
    problems = problems_of(statement)
    if not problems:
        return None
    first = problems[0]
    part = texts(f"modal.{first.part.value}_label")
    if first.kind is ProblemKind.EMPTY:
        return texts("preview.empty", part=part)
    return texts("preview.too_long", part=part, length=first.length, limit=first.limit)


def preview(
    bot: HearthBot, request: RepairRequest, statement: Statement
) -> tuple[str, discord.Embed, discord.ui.View]:
    """Return the private preview: the statement as it will read, gentle tips, and Send / Edit / Discard."""
    content = bot.content.repair
    texts = content.texts
    who = mention(request.recipient_id)
    embed = statement_embed(content, statement)
    edit = WriteButton(request.id, texts("preview.button_edit"))
    discard = DiscardButton(request.id, texts("preview.button_discard"))
    problem = problem_text(texts, statement)
    if problem is not None:
        return problem, embed, persistent_view(edit, discard)
    tips = gentle_tips(statement_text(content, statement), content.flags)
    if tips:
        embed.add_field(
            name=texts("preview.tips_title"), value="\n".join(tips)[:TIP_FIELD_LIMIT], inline=False
        )
    message = f"{texts('preview.intro', who=who)}\n{texts('preview.outro', who=who)}"
    return (
        message,
        embed,
        persistent_view(SendButton(request.id, texts("preview.button_send")), edit, discard),
    )


# --- the I-statement form ------------------------------------------------------------------------


class StatementModal(HearthModal):
    """The I-statement builder: I feel…, when…, because…, what I need…, and optionally what I'll do."""

    def __init__(self, bot: HearthBot, request: RepairRequest) -> None:
        texts = texts_of(bot)
        super().__init__(title=texts("modal.title"), form="repair")
        self.bot = bot
        self.request_id = request.id
        existing = repairs.open_statement(request, bot.cipher)
        self.fields: dict[Part, discord.ui.TextInput[StatementModal]] = {}
        for part in Part:
            field: discord.ui.TextInput[StatementModal] = discord.ui.TextInput(
                custom_id=f"hearth:repair:{part.value}",
                style=discord.TextStyle.short if part is Part.FEEL else discord.TextStyle.paragraph,
                placeholder=texts(f"modal.{part.value}_placeholder"),
                required=part in REQUIRED_PARTS,
                max_length=PART_LIMITS[part],
                default=(existing.part(part) or None) if existing else None,
            )
            self.fields[part] = field
            self.add_item(discord.ui.Label(text=texts(f"modal.{part.value}_label"), component=field))

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Keep the draft and show it back as a preview (in place of the message the form came from)."""
        statement = clean_statement(
            Statement(**{part.value: field.value for part, field in self.fields.items()})
        )
        request = await own_draft(self.bot, self.request_id, interaction.user.id)
        if not await repairs.save_statement(
            self.bot.db, self.bot.cipher, request.id, interaction.user.id, statement
        ):
            raise InvalidInputError(texts_of(self.bot)("send.already"))
        message, embed, view = preview(self.bot, request, statement)
        if interaction.message is not None:
            await interaction.response.edit_message(
                content=message, embed=embed, view=view, allowed_mentions=discord.AllowedMentions.none()
            )
        else:
            await send_private(interaction, message, embed=embed, view=view)


# --- the initiator's buttons ---------------------------------------------------------------------


class WriteButton(GuardedButton, template=rf"hearth:repair:write:(?P<request>{_ID})"):
    """Opens the I-statement form (prefilled when editing a draft)."""

    def __init__(self, request_id: int, label: str) -> None:
        super().__init__(f"hearth:repair:write:{request_id}", label, discord.ButtonStyle.primary)
        self.request_id = request_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Open the form; the modal is the first and only response."""
        request = await own_draft(bot, self.request_id, interaction.user.id)
        await interaction.response.send_modal(StatementModal(bot, request))


class PauseButton(GuardedButton, template=rf"hearth:repair:pause:(?P<request>{_ID}):(?P<minutes>20|60)"):
    """Remind me in 20 minutes or 1 hour: a one-shot DM that brings the initiator back to the form."""

    def __init__(self, request_id: int, minutes: int, label: str) -> None:
        super().__init__(f"hearth:repair:pause:{request_id}:{minutes}", label)
        self.request_id = request_id
        self.minutes = minutes

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Schedule the reminder and say when it comes; writing now stays possible."""
        request = await own_draft(bot, self.request_id, interaction.user.id)
        texts = texts_of(bot)
        now = bot.clock.now()
        run_at = now + timedelta(minutes=self.minutes)
        await schedules.create_one_shot(
            bot.db,
            kind=PAUSE_KIND,
            owner_key=pause_owner_key(request.id),
            run_at=run_at,
            now=now,
            guild_id=request.guild_id,
            user_id=request.initiator_id,
            payload={"request_id": request.id},
        )
        log.info("Repair request %s paused for %s minutes", request.id, self.minutes)
        view = persistent_view(WriteButton(request.id, texts("start.button_write")))
        content = texts("start.paused", when=discord.utils.format_dt(run_at, "R"))
        await interaction.response.edit_message(content=content, embed=None, view=view)


class SendButton(GuardedButton, template=rf"hearth:repair:send:(?P<request>{_ID})"):
    """Sends the statement to the other person, within the per-day cap."""

    def __init__(self, request_id: int, label: str) -> None:
        super().__init__(f"hearth:repair:send:{request_id}", label, discord.ButtonStyle.success)
        self.request_id = request_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Claim the draft, DM the recipient (unless they can't or won't receive it) and say what happened."""
        request = await own_draft(bot, self.request_id, interaction.user.id)
        texts = texts_of(bot)
        statement = repairs.open_statement(request, bot.cipher)
        if statement is None or (problem := problem_text(texts, statement)) is not None:
            raise InvalidInputError(problem or texts("preview.empty", part=texts("modal.feel_label")))
        await interaction.response.defer()
        now = bot.clock.now()
        who = mention(request.recipient_id)
        started = await repairs.begin_send(
            bot.db, request.id, request.initiator_id, now, since=window_start(now), limit=MAX_REQUESTS_PER_DAY
        )
        if started is SendStart.NOT_A_DRAFT:
            raise InvalidInputError(texts("send.already"))
        if started is SendStart.CAPPED:
            reply = await capped_text(bot, request.initiator_id, request.recipient_id, now)
        elif await deliver_request(bot, request, statement, shown_name(interaction.user), now):
            reply = texts("send.sent", who=who, cancel=bot.command_directory.mention("repair cancel"))
        else:
            reply = texts("send.undeliverable", who=who)
        await schedules.delete_by_owner_key(bot.db, pause_owner_key(request.id))
        await interaction.edit_original_response(
            content=reply, embed=None, view=None, allowed_mentions=discord.AllowedMentions.none()
        )


class DiscardButton(GuardedButton, template=rf"hearth:repair:discard:(?P<request>{_ID})"):
    """Throws the draft away; nothing is sent."""

    def __init__(self, request_id: int, label: str) -> None:
        super().__init__(f"hearth:repair:discard:{request_id}", label, discord.ButtonStyle.danger)
        self.request_id = request_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Delete the draft and its pause reminder."""
        request = await own_draft(bot, self.request_id, interaction.user.id)
        await repairs.withdraw(bot.db, request.id, request.initiator_id)
        await schedules.delete_by_owner_key(bot.db, pause_owner_key(request.id))
        log.info("Repair draft %s discarded", request.id)
        await interaction.response.edit_message(
            content=texts_of(bot)("preview.discarded"), embed=None, view=None
        )


# --- the recipient's buttons ---------------------------------------------------------------------


class AnswerButton(
    GuardedButton, template=rf"hearth:repair:answer:(?P<request>{_ID}):(?P<answer>ready|time|later)"
):
    """The recipient's answer: ready to talk, needs some time, or later today. It can be changed."""

    def __init__(self, request_id: int, answer: RepairAnswer, label: str) -> None:
        style = discord.ButtonStyle.success if answer is RepairAnswer.READY else discord.ButtonStyle.primary
        super().__init__(f"hearth:repair:answer:{request_id}:{answer.value}", label, style, row=0)
        self.request_id = request_id
        self.answer = answer

    @classmethod
    def from_match(cls, match: re.Match[str], label: str) -> Self:
        """Build from the custom_id."""
        return cls(int(match["request"]), RepairAnswer(match["answer"]), label)

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Record the answer, tell the initiator by DM, and schedule both follow-ups."""
        texts = texts_of(bot)
        request = await repairs.get(bot.db, self.request_id)
        if request is None or request.recipient_id != interaction.user.id:
            raise NotFoundError(texts("start.not_yours"))
        initiator = mention(request.initiator_id)
        if request.status is RepairStatus.WITHDRAWN:
            raise InvalidInputError(texts("recipient.withdrawn", name=initiator))
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = bot.clock.now()
        answered = await repairs.record_answer(bot.db, request.id, interaction.user.id, self.answer, now)
        if answered is None:
            raise NotFoundError(texts("start.not_yours"))
        follow_up_at = now + timedelta(hours=bot.settings.repair_follow_up_hours)
        await schedules.create_one_shot(
            bot.db,
            kind=FOLLOW_UP_KIND,
            owner_key=follow_up_owner_key(request.id),
            run_at=follow_up_at,
            now=now,
            guild_id=request.guild_id,
            user_id=request.initiator_id,
            payload={"request_id": request.id},
        )
        log.info("Repair request %s answered (%s)", request.id, self.answer.value)
        if not await blocks.is_blocked(bot.db, request.initiator_id, request.recipient_id):
            notice = texts(f"notice.{self.answer.value}", name=shown_name(interaction.user))
            view = persistent_view(BlockButton(request.recipient_id, texts("recipient.button_block")))
            try:
                await send_dm(bot, bot.db, request.initiator_id, now, content=notice, view=view)
            except discord.HTTPException:
                # Closed DMs included: the answer is saved; the initiator is told on their next command.
                log.info("Could not tell the initiator of repair request %s about the answer", request.id)
        label = texts(f"recipient.button_{self.answer.value}")
        await send_private(interaction, texts("recipient.thanks", name=initiator, answer=label))


class BlockButton(GuardedButton, template=rf"hearth:block:(?P<user>{_ID})"):
    """Stop messages from this person: their repair requests and gratitude DMs are dropped, silently."""

    def __init__(self, user_id: int, label: str) -> None:
        super().__init__(f"hearth:block:{user_id}", label, discord.ButtonStyle.danger, row=1)
        self.user_id = user_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Block, and offer to undo it."""
        texts = texts_of(bot)
        if self.user_id == interaction.user.id:
            raise InvalidInputError(texts("block.yourself"))
        await blocks.block(bot.db, interaction.user.id, self.user_id, bot.clock.now())
        log.info("User %s stopped messages from someone", interaction.user.id)
        undo = persistent_view(UnblockButton(self.user_id, texts("block.button_undo")))
        await send_private(interaction, texts("block.done", name=mention(self.user_id)), view=undo)


class UnblockButton(GuardedButton, template=rf"hearth:unblock:(?P<user>{_ID})"):
    """Undoes a block."""

    def __init__(self, user_id: int, label: str) -> None:
        super().__init__(f"hearth:unblock:{user_id}", label)
        self.user_id = user_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Lift the block."""
        await blocks.unblock(bot.db, interaction.user.id, self.user_id)
        log.info("User %s lifted a block", interaction.user.id)
        content = texts_of(bot)("block.undone", name=mention(self.user_id))
        await interaction.response.edit_message(content=content, view=None)


REPAIR_BUTTONS: tuple[type[GuardedButton], ...] = (
    WriteButton,
    PauseButton,
    SendButton,
    DiscardButton,
    AnswerButton,
    BlockButton,
    UnblockButton,
)


def recipient_view(texts: TextTable, request: RepairRequest) -> discord.ui.View:
    """Return the recipient's three answers and the block button."""
    answers = [
        AnswerButton(request.id, answer, texts(f"recipient.button_{answer.value}")) for answer in RepairAnswer
    ]
    return persistent_view(*answers, BlockButton(request.initiator_id, texts("recipient.button_block")))


async def capped_text(bot: HearthBot, initiator_id: int, recipient_id: int, now: datetime) -> str:
    """Return the kind "give it some time" answer, with when another request may be sent."""
    attempts = await repairs.attempts_since(bot.db, initiator_id, recipient_id, window_start(now))
    retry_at = next_request_at(attempts, now) or now
    return texts_of(bot)(
        "start.capped",
        who=mention(recipient_id),
        limit=MAX_REQUESTS_PER_DAY,
        when=discord.utils.format_dt(retry_at, "R"),
    )


async def deliver_request(
    bot: HearthBot, request: RepairRequest, statement: Statement, initiator_name: str, now: datetime
) -> bool:
    """DM the statement to the recipient; return False if it can't reach them (closed DMs or a block).

    Both cases look the same to the initiator, so a block is never revealed.
    A passing Discord failure puts the draft back and raises a kind error.
    """
    texts = texts_of(bot)
    if await blocks.is_blocked(bot.db, request.recipient_id, request.initiator_id):
        await repairs.mark_undelivered(bot.db, request.id)
        log.info("Repair request %s not delivered", request.id)
        return False
    body = f"{texts('recipient.message', name=initiator_name)}\n\n"
    body += texts("recipient.safety", resources=bot.command_directory.mention("resources"))
    try:
        message = await send_dm(
            bot,
            bot.db,
            request.recipient_id,
            now,
            content=body,
            embed=statement_embed(bot.content.repair, statement),
            view=recipient_view(texts, request),
        )
    except DmUndeliverableError:
        await repairs.mark_undelivered(bot.db, request.id)
        log.info("Repair request %s not delivered", request.id)
        return False
    except SEND_FAILURES:
        await repairs.revert_send(bot.db, request.id)
        log.warning("Repair request %s: Discord refused the DM for now; back to draft", request.id)
        raise InvalidInputError(texts("send.failed")) from None
    await repairs.mark_sent(bot.db, request.id, channel_id=message.channel.id, message_id=message.id, now=now)
    log.info("Repair request %s delivered", request.id)
    return True


# --- the cog --------------------------------------------------------------------------------------


class Repair(commands.Cog):
    """The guided repair flow, its scheduled reminders and follow-ups."""

    repair = app_commands.Group(
        name="repair", description="A gentle, guided way back after conflict", guild_only=True
    )

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Take over repair reminders, follow-ups and the flow's persistent buttons."""
        self.bot.add_dynamic_items(*REPAIR_BUTTONS)
        engine = getattr(self.bot, "schedule_engine", None)
        if engine is not None:
            engine.register(PAUSE_KIND, self.deliver_pause_reminder)
            engine.register(FOLLOW_UP_KIND, self.deliver_follow_up)

    async def cog_unload(self) -> None:
        """Hand deliveries and buttons back."""
        self.bot.remove_dynamic_items(*REPAIR_BUTTONS)
        engine = getattr(self.bot, "schedule_engine", None)
        if engine is not None:
            engine.unregister(PAUSE_KIND)
            engine.unregister(FOLLOW_UP_KIND)

    @property
    def texts(self) -> TextTable:
        """Return the repair flow's texts."""
        return self.bot.content.repair.texts

    # --- scheduled DMs ----------------------------------------------------------------------------

    async def deliver_pause_reminder(self, occurrence: Occurrence) -> None:
        """After the pause, DM the initiator a way back to the form (unless the draft moved on)."""
        request = await repairs.get(self.bot.db, int(occurrence.schedule.payload["request_id"]))
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
        except discord.HTTPException as error:
            raise delivery_error(error) from error
        log.info("Repair pause reminder sent for request %s", request.id)

    async def deliver_follow_up(self, occurrence: Occurrence) -> None:
        """DM both people "how are things?", each with a way to stop messages from the other."""
        request = await repairs.get(self.bot.db, int(occurrence.schedule.payload["request_id"]))
        if request is None or request.status is not RepairStatus.ANSWERED:
            log.info("Repair follow-up %s no longer needed", occurrence.schedule.id)
            return
        checkin = self.bot.command_directory.mention("checkin now")
        pairs = (
            (request.initiator_id, request.recipient_id, "i"),
            (request.recipient_id, request.initiator_id, "r"),
        )
        for person, other, suffix in pairs:
            if await blocks.is_blocked(self.bot.db, person, other):
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
            except discord.HTTPException as error:
                raise delivery_error(error) from error
        log.info("Repair follow-up sent for request %s", request.id)

    # --- commands ---------------------------------------------------------------------------------

    @repair.command(name="start", description="A guided, private way to reach out after a conflict")
    @app_commands.describe(who="The person you'd like to repair things with")
    async def start(self, interaction: discord.Interaction[HearthBot], who: discord.User) -> None:
        """Check who it is for, then show the pause step privately."""
        guild = guild_of(interaction)
        texts = self.texts
        me = interaction.user
        if who.bot:
            raise InvalidInputError(texts("start.no_bots"))
        if who.id == me.id:
            raise InvalidInputError(texts("start.not_yourself"))
        if not isinstance(who, discord.Member):
            raise InvalidInputError(texts("start.not_member"))
        now = self.bot.clock.now()
        attempts = await repairs.attempts_since(self.bot.db, me.id, who.id, window_start(now))
        if next_request_at(attempts, now) is not None:
            raise InvalidInputError(await capped_text(self.bot, me.id, who.id, now))
        request = await repairs.create_draft(
            self.bot.db,
            initiator_id=me.id,
            recipient_id=who.id,
            guild_id=guild.id,
            now=now,
            stale_before=now - DRAFT_LIFETIME,
        )
        log.info("Repair draft %s started in guild %s", request.id, guild.id)
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
        request = await repairs.latest_pending(self.bot.db, me.id, who.id if who else None)
        if request is None:
            raise NotFoundError(texts("cancel.none"))
        await interaction.response.defer(ephemeral=True, thinking=True)
        before = await repairs.withdraw(self.bot.db, request.id, me.id)
        if before is None:
            raise NotFoundError(texts("cancel.none"))
        await schedules.delete_by_owner_key(self.bot.db, pause_owner_key(request.id))
        await schedules.delete_by_owner_key(self.bot.db, follow_up_owner_key(request.id))
        who_text = mention(request.recipient_id)
        if before.status is RepairStatus.DRAFT:
            log.info("Repair draft %s withdrawn", request.id)
            await send_private(interaction, texts("cancel.withdrawn_draft", who=who_text))
            return
        await self._take_back_dm(before, shown_name(me))
        log.info("Repair request %s withdrawn", request.id)
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
        except discord.HTTPException:
            log.info("Could not edit the recipient's copy of repair request %s", request.id)


async def setup(bot: HearthBot) -> None:
    """Add the repair cog."""
    await bot.add_cog(Repair(bot))
