"""Answering a daily prompt privately, or passing: the form, the card's buttons and the replies."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import discord

from bot import custom_ids
from bot.errors import NotFoundError
from bot.prompts.answering import (
    ANSWER_MAX_LENGTH,
    AnswerOutcome,
    AnswerResult,
    PassResult,
    answerable_post,
    open_post,
    pass_prompt,
    submit_answer,
)
from bot.prompts.posting import CardButtons, prompt_text_of
from bot.prompts.service import PromptPost, post_for_date
from bot.replies import send_private
from bot.ui import HearthModal, PersistentButton, persistent_view

if TYPE_CHECKING:
    from bot.app import HearthBot

MODAL_DESCRIPTION_LIMIT = 100
ANSWER_FIELD_ID = "hearth:prompt-answer"


def outcome_text(bot: HearthBot, outcome: AnswerOutcome) -> str:
    """Return the private reply to an answer or a pass."""
    texts = bot.content.daily_prompts
    directory = bot.command_directory
    key = f"answer.{outcome.result.value}"
    if outcome.result is AnswerResult.SMALL_CIRCLE:
        return texts(key, join=directory.mention("circle join"))
    if outcome.result in (AnswerResult.REVEALED, AnswerResult.ADDED, PassResult.REVEALED):
        return texts(key, place=outcome.place or "-")
    if outcome.result is PassResult.ALREADY:
        return texts(key, answer=directory.mention("prompt answer"))
    if outcome.result is AnswerResult.PROMPT_CHANGED:
        return texts(key, answer=directory.mention("prompt answer"))
    if outcome.result in (AnswerResult.ALONE, PassResult.WITHDRAWN):
        return texts(key)
    return texts(key, answered=outcome.answered, total=outcome.total)


class AnswerModal(HearthModal):
    """The private answer form: one paragraph, 1-1500 characters, for one post."""

    def __init__(self, bot: HearthBot, post: PromptPost, prompt_text: str, existing: str | None) -> None:
        texts = bot.content.daily_prompts
        super().__init__(title=texts("answer.modal_title"), form="answer")
        self.bot = bot
        self.post_id = post.id
        # The prompt this form shows: if /prompt skip replaces it before the submit, nothing is saved.
        self.prompt_id = post.prompt_id
        self.answer: discord.ui.TextInput[AnswerModal] = discord.ui.TextInput(
            custom_id=ANSWER_FIELD_ID,
            style=discord.TextStyle.paragraph,
            min_length=1,
            max_length=ANSWER_MAX_LENGTH,
            default=existing,
        )
        description: str | None = prompt_text or None
        if description and len(description) > MODAL_DESCRIPTION_LIMIT:
            description = description[: MODAL_DESCRIPTION_LIMIT - 1] + "…"
        self.add_item(
            discord.ui.Label(text=texts("answer.field_label"), description=description, component=self.answer)
        )

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Save the answer privately and, if the circle is complete, reveal everyone's answers."""
        text = self.answer.value
        # Revealing posts messages, which can take longer than the 3 s an interaction allows.
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await submit_answer(self.bot, self.post_id, interaction.user.id, text, self.prompt_id)
        reply = outcome_text(self.bot, outcome)
        if outcome.result is AnswerResult.PROMPT_CHANGED:
            # Only its author sees this reply: their words come back so that nothing they wrote is lost.
            reply += "\n\n" + "\n".join(f"> {line}" for line in text.strip().splitlines())
        await send_private(interaction, reply, allowed_mentions=discord.AllowedMentions.none())


async def answer_form(bot: HearthBot, guild_id: int, user_id: int) -> AnswerModal:
    """Return the answer form for the server's open prompt, or raise a kind error."""
    post, existing = await answerable_post(bot, guild_id, user_id)
    return AnswerModal(bot, post, await prompt_text_of(bot, post.prompt_id), existing)


async def post_of_card(bot: HearthBot, guild_id: int, day: int) -> int:
    """Return the id of the post a card's button belongs to, or raise "no longer available"."""
    local_date = date(day // 10000, day // 100 % 100, day % 100)
    post = await post_for_date(bot.db, guild_id, local_date)
    if post is None:
        answer = bot.command_directory.mention("prompt answer")
        raise NotFoundError(bot.content.daily_prompts("answer.card_gone", answer=answer))
    return post.id


class AnswerButton(PersistentButton, custom_id=custom_ids.PROMPT_ANSWER):
    """Opens the private answer form for the card's prompt."""

    def __init__(self, guild_id: int, day: int, label: str) -> None:
        super().__init__(label, discord.ButtonStyle.primary, guild=guild_id, day=f"{day:08d}")
        self.guild_id = guild_id
        self.day = day

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Open the form, once the card's prompt is known to be the open one."""
        post_id = await post_of_card(bot, self.guild_id, self.day)
        post = await open_post(bot, post_id, interaction.user.id)
        await interaction.response.send_modal(await answer_form(bot, post.guild_id, interaction.user.id))


class PassButton(PersistentButton, custom_id=custom_ids.PROMPT_PASS):
    """Passes on the card's prompt for the person who pressed it."""

    def __init__(self, guild_id: int, day: int, label: str) -> None:
        super().__init__(label, guild=guild_id, day=f"{day:08d}")
        self.guild_id = guild_id
        self.day = day

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Record the pass privately; the others' answers may be revealed by it."""
        post_id = await post_of_card(bot, self.guild_id, self.day)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await pass_prompt(bot, post_id, interaction.user.id)
        await send_private(interaction, outcome_text(bot, outcome))


CARD_BUTTONS = (AnswerButton, PassButton)


def card_buttons_for(bot: HearthBot) -> CardButtons:
    """Return the builder of a card's Answer and Pass buttons, for the posting code."""
    texts = bot.content.daily_prompts

    def build(guild_id: int, local_date: date) -> discord.ui.View:
        day = local_date.year * 10000 + local_date.month * 100 + local_date.day
        return persistent_view(
            AnswerButton(guild_id, day, texts("card.answer_button")),
            PassButton(guild_id, day, texts("card.pass_button")),
        )

    return build
