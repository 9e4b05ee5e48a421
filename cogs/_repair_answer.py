"""The recipient's side of a repair request: their answer, and "Stop messages from this person"."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Self

import discord

from bot import custom_ids
from bot.content.texts import TextTable
from bot.delivery import DM_FAILURES, send_dm
from bot.errors import InvalidInputError, NotFoundError
from bot.repair import service
from bot.repair.service import RepairAnswer, RepairRequest, RepairStatus
from bot.replies import mention, send_private
from bot.ui import PersistentButton, persistent_view

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)


def texts_of(bot: HearthBot) -> TextTable:
    """Return the repair flow's texts."""
    return bot.content.repair.texts


def shown_name(user: discord.abc.User) -> str:
    """Return someone's display name, safe to put inside Markdown."""
    return discord.utils.escape_markdown(user.display_name)


# --- the recipient's buttons ---------------------------------------------------------------------


class AnswerButton(PersistentButton, custom_id=custom_ids.REPAIR_ANSWER):
    """The recipient's answer: ready to talk, needs some time, or later today. It can be changed."""

    def __init__(self, request_id: int, answer: RepairAnswer, label: str) -> None:
        style = discord.ButtonStyle.success if answer is RepairAnswer.READY else discord.ButtonStyle.primary
        super().__init__(label, style, row=0, request=request_id, answer=answer.value)
        self.request_id = request_id
        self.answer = answer

    @classmethod
    def from_match(cls, match: re.Match[str], label: str) -> Self:
        """Build from the custom_id."""
        return cls(int(match["request"]), RepairAnswer(match["answer"]), label)

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Record the answer, tell the initiator by DM, and schedule both follow-ups."""
        texts = texts_of(bot)
        request = await service.get(bot.db, self.request_id)
        if request is None or request.recipient_id != interaction.user.id:
            raise NotFoundError(texts("start.not_yours"))
        initiator = mention(request.initiator_id)
        if request.status is RepairStatus.WITHDRAWN:
            raise InvalidInputError(texts("recipient.withdrawn", name=initiator))
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = bot.clock.now()
        follow_up_after = timedelta(hours=bot.settings.repair_follow_up_hours)
        answered = await service.answer(
            bot.db, request, interaction.user.id, self.answer, now=now, follow_up_after=follow_up_after
        )
        if answered is None:
            raise NotFoundError(texts("start.not_yours"))
        if not await service.is_blocked(bot.db, request.initiator_id, request.recipient_id):
            notice = texts(f"notice.{self.answer.value}", name=shown_name(interaction.user))
            view = persistent_view(BlockButton(request.recipient_id, texts("recipient.button_block")))
            try:
                await send_dm(bot, bot.db, request.initiator_id, now, content=notice, view=view)
            except DM_FAILURES:
                # Closed DMs included: the answer is saved; the initiator is told on their next command.
                log.info("Could not tell the initiator of repair request %s about the answer", request.id)
        label = texts(f"recipient.button_{self.answer.value}")
        await send_private(interaction, texts("recipient.thanks", name=initiator, answer=label))


class BlockButton(PersistentButton, custom_id=custom_ids.BLOCK):
    """Stop messages from this person: their repair requests and gratitude DMs are dropped, silently."""

    def __init__(self, user_id: int, label: str) -> None:
        super().__init__(label, discord.ButtonStyle.danger, row=1, user=user_id)
        self.user_id = user_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Block, and offer to undo it."""
        texts = texts_of(bot)
        if self.user_id == interaction.user.id:
            raise InvalidInputError(texts("block.yourself"))
        await service.block(bot.db, interaction.user.id, self.user_id, bot.clock.now())
        undo = persistent_view(UnblockButton(self.user_id, texts("block.button_undo")))
        await send_private(interaction, texts("block.done", name=mention(self.user_id)), view=undo)


class UnblockButton(PersistentButton, custom_id=custom_ids.UNBLOCK):
    """Undoes a block."""

    def __init__(self, user_id: int, label: str) -> None:
        super().__init__(label, user=user_id)
        self.user_id = user_id

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Lift the block."""
        await service.unblock(bot.db, interaction.user.id, self.user_id)
        content = texts_of(bot)("block.undone", name=mention(self.user_id))
        await interaction.response.edit_message(content=content, view=None)


def recipient_view(texts: TextTable, request: RepairRequest) -> discord.ui.View:
    """Return the recipient's three answers and the block button."""
    answers = [
        AnswerButton(request.id, answer, texts(f"recipient.button_{answer.value}")) for answer in RepairAnswer
    ]
    return persistent_view(*answers, BlockButton(request.initiator_id, texts("recipient.button_block")))
