"""The initiator's side of a repair request: the I-statement form, its preview, pause and send.

The statement is private text: it appears only in the initiator's ephemeral
preview and the recipient's DM, never in a channel, a log line or an error.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

import discord

from bot import custom_ids
from bot.content.repair import RepairContent
from bot.content.texts import TextTable
from bot.delivery import SEND_FAILURES, DmUndeliverableError, send_dm
from bot.errors import InvalidInputError, NotFoundError
from bot.repair import service
from bot.repair.limits import MAX_REQUESTS_PER_DAY
from bot.repair.service import Capped, DraftProblem, RepairRequest, SendStart
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
from bot.replies import mention, send_private
from bot.ui import HEARTH_COLOUR, HearthModal, PersistentButton, persistent_view
from cogs._repair_answer import recipient_view, shown_name, texts_of

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

TIP_FIELD_LIMIT = 1024


async def own_draft(bot: HearthBot, request_id: int, user_id: int) -> RepairRequest:
    """Return the initiator's request if it is still a draft, or raise the kind reason why not."""
    texts = texts_of(bot)
    found = await service.own_draft(bot.db, request_id, user_id, bot.clock.now())
    if found is DraftProblem.EXPIRED:
        raise NotFoundError(texts("start.expired", start=bot.command_directory.mention("repair start")))
    if found is DraftProblem.NOT_YOURS:
        raise NotFoundError(texts("start.not_yours"))
    if found is DraftProblem.NOT_A_DRAFT:
        raise InvalidInputError(texts("send.already"))
    return found


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
        existing = service.open_statement(request, bot.cipher)
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
        if not await service.save_statement(self.bot.db, self.bot.cipher, request, statement):
            raise InvalidInputError(texts_of(self.bot)("send.already"))
        message, embed, view = preview(self.bot, request, statement)
        if interaction.message is not None:
            await interaction.response.edit_message(
                content=message, embed=embed, view=view, allowed_mentions=discord.AllowedMentions.none()
            )
        else:
            await send_private(interaction, message, embed=embed, view=view)


# --- the initiator's buttons ---------------------------------------------------------------------


class WriteButton(PersistentButton, custom_id=custom_ids.REPAIR_WRITE):
    """Opens the I-statement form (prefilled when editing a draft)."""

    def __init__(self, request_id: int, label: str) -> None:
        super().__init__(label, discord.ButtonStyle.primary, request=request_id)
        self.request_id = request_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Open the form; the modal is the first and only response."""
        request = await own_draft(bot, self.request_id, interaction.user.id)
        await interaction.response.send_modal(StatementModal(bot, request))


class PauseButton(PersistentButton, custom_id=custom_ids.REPAIR_PAUSE):
    """Remind me in 20 minutes or 1 hour: a one-shot DM that brings the initiator back to the form."""

    def __init__(self, request_id: int, minutes: int, label: str) -> None:
        super().__init__(label, request=request_id, minutes=minutes)
        self.request_id = request_id
        self.minutes = minutes

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Schedule the reminder and say when it comes; writing now stays possible."""
        request = await own_draft(bot, self.request_id, interaction.user.id)
        texts = texts_of(bot)
        run_at = await service.pause(bot.db, request, self.minutes, bot.clock.now())
        view = persistent_view(WriteButton(request.id, texts("start.button_write")))
        content = texts("start.paused", when=discord.utils.format_dt(run_at, "R"))
        await interaction.response.edit_message(content=content, embed=None, view=view)


class SendButton(PersistentButton, custom_id=custom_ids.REPAIR_SEND):
    """Sends the statement to the other person, within the per-day cap."""

    def __init__(self, request_id: int, label: str) -> None:
        super().__init__(label, discord.ButtonStyle.success, request=request_id)
        self.request_id = request_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Claim the draft, DM the recipient (unless they can't or won't receive it) and say what happened."""
        request = await own_draft(bot, self.request_id, interaction.user.id)
        texts = texts_of(bot)
        statement = service.open_statement(request, bot.cipher)
        if statement is None or (problem := problem_text(texts, statement)) is not None:
            raise InvalidInputError(problem or texts("preview.empty", part=texts("modal.feel_label")))
        await interaction.response.defer()
        now = bot.clock.now()
        who = mention(request.recipient_id)
        started = await service.begin_send(bot.db, request, now)
        if started is SendStart.NOT_A_DRAFT:
            raise InvalidInputError(texts("send.already"))
        if isinstance(started, Capped):
            reply = capped_text(bot, request.recipient_id, started)
        elif await deliver_request(bot, request, statement, shown_name(interaction.user), now):
            reply = texts("send.sent", who=who, cancel=bot.command_directory.mention("repair cancel"))
        else:
            reply = texts("send.undeliverable", who=who)
        await interaction.edit_original_response(
            content=reply, embed=None, view=None, allowed_mentions=discord.AllowedMentions.none()
        )


class DiscardButton(PersistentButton, custom_id=custom_ids.REPAIR_DISCARD):
    """Throws the draft away; nothing is sent."""

    def __init__(self, request_id: int, label: str) -> None:
        super().__init__(label, discord.ButtonStyle.danger, request=request_id)
        self.request_id = request_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Delete the draft and its pause reminder."""
        request = await own_draft(bot, self.request_id, interaction.user.id)
        await service.discard(bot.db, request)
        await interaction.response.edit_message(
            content=texts_of(bot)("preview.discarded"), embed=None, view=None
        )


def capped_text(bot: HearthBot, recipient_id: int, capped: Capped) -> str:
    """Return the kind "give it some time" answer, with when another request may be sent."""
    return texts_of(bot)(
        "start.capped",
        who=mention(recipient_id),
        limit=MAX_REQUESTS_PER_DAY,
        when=discord.utils.format_dt(capped.retry_at, "R"),
    )


async def deliver_request(
    bot: HearthBot, request: RepairRequest, statement: Statement, initiator_name: str, now: datetime
) -> bool:
    """DM the statement to the recipient; return False if it can't reach them (closed DMs or a block).

    Both cases look the same to the initiator, so a block is never revealed.
    A passing Discord failure puts the draft back and raises a kind error.
    """
    texts = texts_of(bot)
    if await service.is_blocked(bot.db, request.recipient_id, request.initiator_id):
        await service.mark_undelivered(bot.db, request.id)
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
        await service.mark_undelivered(bot.db, request.id)
        return False
    except SEND_FAILURES:
        await service.revert_send(bot.db, request.id)
        raise InvalidInputError(texts("send.failed")) from None
    await service.mark_sent(bot.db, request.id, channel_id=message.channel.id, message_id=message.id, now=now)
    return True
