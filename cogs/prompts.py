"""/prompt now|pause|resume|answer|suggest|review: running daily prompts and answering them."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.content.prompts import PROMPT_TEXT_LIMIT
from bot.db.repos import prompt_config, suggestions
from bot.db.repos.prompt_config import PromptConfig
from bot.db.repos.suggestions import Suggestion, SuggestionStatus
from bot.errors import InvalidInputError, MissingPermissionsError, NotFoundError
from bot.prompts.posting import (
    SCHEDULE_KIND,
    PromptChannelError,
    deliver_scheduled,
    next_prompt_time,
    pause_prompts,
    post_now,
    prompt_text_of,
    resume_prompts,
)
from bot.prompts.reveal import ANSWER_MAX_LENGTH, AnswerResult, answerable_post, submit_answer
from bot.replies import join_labels, send_private
from bot.schedule.engine import Occurrence
from bot.schedule.errors import TransientDeliveryError
from bot.tree import report_interaction_error
from bot.ui import HEARTH_COLOUR, HearthModal
from cogs._admin import guild_of, require_admin

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

REVIEW_PAGE = 5
MODAL_DESCRIPTION_LIMIT = 100
ADMIN_PAUSE_REASON = "paused by an admin"
ANSWER_FIELD_ID = "hearth:prompt-answer"


async def current_config(bot: HearthBot, guild_id: int) -> PromptConfig:
    """Return the server's prompt configuration, or raise a kind error if prompts aren't set up."""
    config = await prompt_config.get(bot.db, guild_id)
    if config is None:
        texts = bot.content.daily_prompts
        raise NotFoundError(
            texts("setup.not_configured", setup=bot.command_directory.mention("setup prompts"))
        )
    return config


def when(moment: datetime | None) -> str:
    """Return a Discord timestamp for a moment, or a dash."""
    return "-" if moment is None else discord.utils.format_dt(moment, "F")


class AnswerModal(HearthModal):
    """The private answer form: one paragraph, 1-1500 characters."""

    def __init__(self, bot: HearthBot, post_id: int, prompt_text: str, existing: str | None) -> None:
        texts = bot.content.daily_prompts
        super().__init__(title=texts("answer.modal_title"), form="answer")
        self.bot = bot
        self.post_id = post_id
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
        # Revealing posts messages, which can take longer than the 3 s an interaction allows.
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await submit_answer(self.bot, self.post_id, interaction.user.id, self.answer.value)
        texts = self.bot.content.daily_prompts
        if outcome.result is AnswerResult.SMALL_CIRCLE:
            reply = texts("answer.small_circle", join=self.bot.command_directory.mention("circle join"))
        elif outcome.result in (AnswerResult.REVEALED, AnswerResult.ADDED):
            reply = texts(f"answer.{outcome.result.value}", place=outcome.place or "-")
        else:
            reply = texts(f"answer.{outcome.result.value}", answered=outcome.answered, total=outcome.total)
        await send_private(interaction, reply)


class ReviewButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"hearth:suggestion:(?P<action>approve|reject):(?P<id>[0-9]{1,19})",
):
    """Approve or reject one suggestion; the id lives in the custom_id, so it works after a restart."""

    def __init__(self, action: str, suggestion_id: int, label: str = "") -> None:
        style = discord.ButtonStyle.success if action == "approve" else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=label or action.title(),
                style=style,
                custom_id=f"hearth:suggestion:{action}:{suggestion_id}",
            )
        )
        self.action = action
        self.suggestion_id = suggestion_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReviewButton:
        """Rebuild the button from its custom_id when it is clicked."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match["action"], int(match["id"]), label or "")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Review the suggestion, then show the remaining ones in place."""
        try:
            await self._review(interaction, cast("HearthBot", interaction.client))
        except Exception as error:
            # The view discord.py builds for a dynamic item has no error handler of ours.
            await report_interaction_error(interaction, error)

    async def _review(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Approve or reject, refusing people without Manage Server."""
        require_admin(interaction)
        guild = guild_of(interaction)
        texts = bot.content.daily_prompts
        status = SuggestionStatus.APPROVED if self.action == "approve" else SuggestionStatus.REJECTED
        changed = await suggestions.review(
            bot.db, self.suggestion_id, guild.id, status, interaction.user.id, bot.clock.now()
        )
        if not changed:
            line = texts("prompt.review_gone", id=self.suggestion_id)
        else:
            line = texts(f"prompt.review_{status.value}", id=self.suggestion_id)
            log.info("Suggestion %s %s in guild %s", self.suggestion_id, status.value, guild.id)
        embeds, view = await review_page(bot, guild.id)
        await interaction.response.edit_message(
            content=line, embeds=embeds, view=view, allowed_mentions=discord.AllowedMentions.none()
        )


def theme_label(bot: HearthBot, suggestion: Suggestion) -> str:
    """Return the theme name a suggestion shows in review."""
    texts = bot.content.daily_prompts
    if suggestion.theme is None:
        return texts("prompt.review_no_theme")
    theme = bot.content.prompts.themes.get(suggestion.theme)
    return theme.name if theme else suggestion.theme


async def review_page(bot: HearthBot, guild_id: int) -> tuple[list[discord.Embed], discord.ui.View | None]:
    """Render the oldest pending suggestions with Approve / Reject buttons for each."""
    texts = bot.content.daily_prompts
    pending = await suggestions.with_status(bot.db, guild_id, SuggestionStatus.PENDING)
    if not pending:
        return [discord.Embed(description=texts("prompt.review_none"), colour=HEARTH_COLOUR)], None
    shown = pending[:REVIEW_PAGE]
    embed = discord.Embed(title=texts("prompt.review_title"), colour=HEARTH_COLOUR)
    for item in shown:
        # Suggestion text is user text: embeds never ping, and markdown is kept as written.
        embed.add_field(
            name=texts("prompt.review_item", id=item.id, theme=theme_label(bot, item)),
            value=f"{item.text}\n— <@{item.author_id}>",
            inline=False,
        )
    if len(pending) > len(shown):
        embed.set_footer(text=texts("prompt.review_more", count=len(pending) - len(shown)))
    view = discord.ui.View(timeout=None)
    for row, item in enumerate(shown):
        view.add_item(ReviewButton("approve", item.id, texts("prompt.review_approve", id=item.id)))
        view.children[-1].row = row
        view.add_item(ReviewButton("reject", item.id, texts("prompt.review_reject", id=item.id)))
        view.children[-1].row = row
    return [embed], view


class Prompts(commands.Cog):
    """Daily prompts: posting by hand, pausing, answering, suggesting and reviewing."""

    prompt = app_commands.Group(name="prompt", description="Today's conversation prompt", guild_only=True)

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Take over daily prompt deliveries and the persistent review buttons."""
        self.bot.add_dynamic_items(ReviewButton)
        # Meta tests load cogs into a bot that never ran setup_hook, so there may be no engine yet.
        engine = getattr(self.bot, "schedule_engine", None)
        if engine is not None:
            engine.register(SCHEDULE_KIND, self.deliver, guild_bound=True)

    async def cog_unload(self) -> None:
        """Hand daily prompt deliveries and the review buttons back."""
        self.bot.remove_dynamic_items(ReviewButton)
        engine = getattr(self.bot, "schedule_engine", None)
        if engine is not None:
            engine.unregister(SCHEDULE_KIND)

    async def deliver(self, occurrence: Occurrence) -> None:
        """Post a scheduled daily prompt."""
        await deliver_scheduled(self.bot, occurrence)

    # /prompt now|pause|resume can't carry their own default permissions inside a group that
    # everyone uses (/prompt answer), so the run-time check is the guard there.

    @prompt.command(name="now", description="Post the next prompt now (counts as today's; Manage Server)")
    async def now(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Post today's prompt immediately, unless today already has one."""
        require_admin(interaction)
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        directory = self.bot.command_directory
        config = await current_config(self.bot, guild.id)
        if config.paused:
            raise InvalidInputError(texts("prompt.now_paused", resume=directory.mention("prompt resume")))
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            result = await post_now(self.bot, config)
        except PromptChannelError as error:
            raise MissingPermissionsError(texts("prompt.channel_unavailable", reason=error.reason)) from None
        except TransientDeliveryError:
            raise InvalidInputError(texts("prompt.now_failed")) from None
        channel = f"<#{result.post.channel_id}>"
        if result.posted_now:
            await send_private(interaction, texts("prompt.now_posted", channel=channel))
        else:
            upcoming = await next_prompt_time(self.bot, config)
            await send_private(interaction, texts("prompt.now_already", channel=channel, next=when(upcoming)))

    @prompt.command(name="pause", description="Stop posting daily prompts (Manage Server)")
    async def pause(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Pause the server's daily prompts."""
        require_admin(interaction)
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        resume = self.bot.command_directory.mention("prompt resume")
        config = await current_config(self.bot, guild.id)
        if config.paused:
            await send_private(interaction, texts("prompt.already_paused", resume=resume))
            return
        await pause_prompts(self.bot, guild.id, ADMIN_PAUSE_REASON)
        log.info("Daily prompts paused by user %s in guild %s", interaction.user.id, guild.id)
        await send_private(interaction, texts("prompt.paused", resume=resume))

    @prompt.command(name="resume", description="Start posting daily prompts again (Manage Server)")
    async def resume(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Resume the server's daily prompts, once the bot can post in the channel again."""
        require_admin(interaction)
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        config = await current_config(self.bot, guild.id)
        if not config.paused:
            upcoming = await next_prompt_time(self.bot, config)
            await send_private(interaction, texts("prompt.not_paused", next=when(upcoming)))
            return
        try:
            resumed = await resume_prompts(self.bot, config)
        except PromptChannelError as error:
            directory = self.bot.command_directory
            if not error.missing:
                raise NotFoundError(
                    texts("setup.check_gone", setup=directory.mention("setup prompts"))
                ) from None
            raise MissingPermissionsError(
                texts(
                    "setup.missing_permissions",
                    channel=f"<#{config.channel_id}>",
                    missing=join_labels(error.missing),
                )
            ) from None
        log.info("Daily prompts resumed by user %s in guild %s", interaction.user.id, guild.id)
        upcoming = await next_prompt_time(self.bot, resumed)
        await send_private(interaction, texts("prompt.resumed", next=when(upcoming)))

    @prompt.command(name="answer", description="Answer today's prompt privately")
    async def answer(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Open the private answer form for the latest prompt."""
        guild = guild_of(interaction)
        post, existing = await answerable_post(self.bot, guild.id, interaction.user.id)
        prompt_text = await prompt_text_of(self.bot, post.prompt_id)
        await interaction.response.send_modal(AnswerModal(self.bot, post.id, prompt_text, existing))

    @prompt.command(name="suggest", description="Suggest a prompt for this server")
    @app_commands.describe(text="Your prompt: one open question", theme="The theme it fits (optional)")
    async def suggest(
        self,
        interaction: discord.Interaction[HearthBot],
        text: app_commands.Range[str, 1, PROMPT_TEXT_LIMIT],
        theme: str | None = None,
    ) -> None:
        """Store a suggestion for the server's admins to review."""
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        cleaned = " ".join(text.split())
        if not cleaned:
            raise InvalidInputError(texts("prompt.suggest_empty"))
        if len(cleaned) > PROMPT_TEXT_LIMIT:
            raise InvalidInputError(
                texts("prompt.suggest_too_long", limit=PROMPT_TEXT_LIMIT, length=len(cleaned))
            )
        theme_id = None if theme is None or not theme.strip() else theme.strip()
        if theme_id is not None and theme_id not in self.bot.content.prompts.themes:
            raise InvalidInputError(
                texts("prompt.suggest_unknown_theme", theme=discord.utils.escape_markdown(theme_id[:100]))
            )
        suggestion = await suggestions.add(
            self.bot.db,
            guild_id=guild.id,
            author_id=interaction.user.id,
            text=cleaned,
            theme=theme_id,
            now=self.bot.clock.now(),
        )
        log.info("Suggestion %s stored in guild %s", suggestion.id, guild.id)
        await send_private(interaction, texts("prompt.suggest_saved"))

    @suggest.autocomplete("theme")
    async def theme_autocomplete(
        self, interaction: discord.Interaction[HearthBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest themes whose name contains what was typed."""
        needle = current.strip().lower()
        return [
            app_commands.Choice(name=theme.name, value=theme.id)
            for theme in self.bot.content.prompts.themes.values()
            if needle in theme.name.lower()
        ][:25]

    @prompt.command(name="review", description="Approve or reject suggested prompts (Manage Server)")
    async def review(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Show pending suggestions with persistent Approve / Reject buttons."""
        require_admin(interaction)
        guild = guild_of(interaction)
        embeds, view = await review_page(self.bot, guild.id)
        kwargs: dict[str, Any] = {
            "embeds": embeds,
            "ephemeral": True,
            "allowed_mentions": discord.AllowedMentions.none(),
        }
        if view is not None:
            kwargs["view"] = view
        await interaction.response.send_message(**kwargs)


async def setup(bot: HearthBot) -> None:
    """Add the prompts cog."""
    await bot.add_cog(Prompts(bot))
