"""/prompt now|pause|resume|answer|suggest|review: running daily prompts and answering them."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, Self

import discord
from discord import app_commands
from discord.ext import commands

from bot import custom_ids
from bot.command_scope import SERVER_INSTALL, SERVER_ONLY
from bot.content.prompts import PROMPT_TEXT_LIMIT
from bot.delivery import ChannelUnavailableError
from bot.errors import InvalidInputError, MissingPermissionsError, NotFoundError
from bot.prompts import service
from bot.prompts.answering import answerable_post, pass_prompt
from bot.prompts.history import HISTORY_LENGTH, HistoryEntry, history_embed
from bot.prompts.posting import (
    SCHEDULE_KIND,
    deliver_scheduled,
    next_prompt_time,
    pause_prompts,
    post_now,
    prompt_text_of,
    resume_prompts,
)
from bot.prompts.service import PromptConfig, Suggestion, SuggestionStatus
from bot.prompts.skipping import SkipRefusal, skip_today
from bot.replies import join_labels, send_private
from bot.schedule.engine import Occurrence
from bot.schedule.errors import TransientDeliveryError
from bot.ui import HEARTH_COLOUR, PersistentButton
from cogs._admin import admin_only, guild_of, require_admin
from cogs._prompt_answers import CARD_BUTTONS, answer_form, card_buttons_for, outcome_text

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

REVIEW_PAGE = 5


async def current_config(bot: HearthBot, guild_id: int) -> PromptConfig:
    """Return the server's prompt configuration, or raise a kind error if prompts aren't set up."""
    config = await service.config_of(bot.db, guild_id)
    if config is None:
        texts = bot.content.daily_prompts
        raise NotFoundError(
            texts("setup.not_configured", setup=bot.command_directory.mention("setup prompts"))
        )
    return config


def when(moment: datetime | None) -> str:
    """Return a Discord timestamp for a moment, or a dash."""
    return "-" if moment is None else discord.utils.format_dt(moment, "F")


class ReviewButton(PersistentButton, custom_id=custom_ids.SUGGESTION_REVIEW):
    """Approve or reject one suggestion; the id lives in the custom_id, so it works after a restart."""

    def __init__(self, action: str, suggestion_id: int, label: str = "") -> None:
        style = discord.ButtonStyle.success if action == "approve" else discord.ButtonStyle.secondary
        super().__init__(label or action.title(), style, action=action, id=suggestion_id)
        self.action = action
        self.suggestion_id = suggestion_id

    @classmethod
    def from_match(cls, match: re.Match[str], label: str) -> Self:
        """Rebuild the button from its action and the suggestion's id."""
        return cls(match["action"], int(match["id"]), label)

    async def run(self, interaction: discord.Interaction[Any], bot: HearthBot) -> None:
        """Approve or reject, refusing people without Manage Server."""
        require_admin(interaction)
        guild = guild_of(interaction)
        texts = bot.content.daily_prompts
        status = SuggestionStatus.APPROVED if self.action == "approve" else SuggestionStatus.REJECTED
        changed = await service.review(
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


def theme_name(bot: HearthBot, theme_id: str) -> str:
    """Return the name a theme shows; a server's own suggested prompts have a theme of their own."""
    theme = bot.content.prompts.themes.get(theme_id)
    return theme.name if theme else bot.content.daily_prompts("card.custom_theme_name")


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
    pending = await service.pending_suggestions(bot.db, guild_id)
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

    prompt = app_commands.Group(
        name="prompt",
        description="Today's conversation prompt",
        allowed_installs=SERVER_INSTALL,
        allowed_contexts=SERVER_ONLY,
    )

    def __init__(self, bot: HearthBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Take over daily prompt deliveries and the persistent review buttons."""
        self.bot.add_dynamic_items(ReviewButton, *CARD_BUTTONS)
        self.bot.schedule_routes.register(SCHEDULE_KIND, self.deliver, guild_bound=True)

    async def cog_unload(self) -> None:
        """Hand daily prompt deliveries and the review buttons back."""
        self.bot.remove_dynamic_items(ReviewButton, *CARD_BUTTONS)
        self.bot.schedule_routes.unregister(SCHEDULE_KIND)

    async def deliver(self, occurrence: Occurrence) -> None:
        """Post a scheduled daily prompt."""
        await deliver_scheduled(self.bot, occurrence, card_buttons_for(self.bot))

    # /prompt now|pause|resume can't carry their own default permissions inside a group that
    # everyone uses (/prompt answer), so the run-time check is the guard there.

    @prompt.command(name="now", description="Post the next prompt now (counts as today's; Manage Server)")
    @admin_only()
    async def now(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Post today's prompt immediately, unless today already has one."""
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        directory = self.bot.command_directory
        config = await current_config(self.bot, guild.id)
        if config.paused:
            raise InvalidInputError(texts("prompt.now_paused", resume=directory.mention("prompt resume")))
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            result = await post_now(self.bot, config, card_buttons_for(self.bot))
        except ChannelUnavailableError as error:
            raise MissingPermissionsError(texts("prompt.channel_unavailable", reason=error.reason)) from None
        except TransientDeliveryError:
            raise InvalidInputError(texts("prompt.now_failed")) from None
        channel = f"<#{result.post.channel_id}>"
        if result.posted_now:
            await send_private(interaction, texts("prompt.now_posted", channel=channel))
        else:
            upcoming = await next_prompt_time(self.bot, config)
            await send_private(interaction, texts("prompt.now_already", channel=channel, next=when(upcoming)))

    @prompt.command(name="skip", description="Replace today's prompt with another, once (Manage Server)")
    @admin_only()
    async def skip(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Show another prompt on today's card, unless it was skipped or answered already."""
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        config = await current_config(self.bot, guild.id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            outcome = await skip_today(self.bot, config)
        except ChannelUnavailableError as error:
            raise MissingPermissionsError(
                texts("prompt.skip_card_unavailable", channel=f"<#{config.channel_id}>", reason=error.reason)
            ) from None
        except TransientDeliveryError:
            raise InvalidInputError(texts("prompt.skip_failed")) from None
        if outcome.refusal is None and outcome.post is not None:
            log.info("Today's prompt skipped by user %s in guild %s", interaction.user.id, guild.id)
            await send_private(
                interaction, texts("prompt.skip_done", channel=f"<#{outcome.post.channel_id}>")
            )
            return
        # str.format ignores the values a refusal's text doesn't use.
        await send_private(
            interaction,
            texts(
                f"prompt.skip_{outcome.refusal or SkipRefusal.NOT_POSTED}",
                next=when(await next_prompt_time(self.bot, config)),
                now=self.bot.command_directory.mention("prompt now"),
            ),
        )

    @prompt.command(name="history", description="The last 30 prompts here, with their themes")
    async def history(self, interaction: discord.Interaction[HearthBot]) -> None:
        """List the server's latest prompts, newest first, only to the person who asked."""
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        entries = [
            HistoryEntry(
                local_date=post.local_date,
                theme_name=theme_name(self.bot, post.theme),
                text=await prompt_text_of(self.bot, post.prompt_id),
                skipped=post.skipped_prompt_id is not None,
            )
            for post in await service.recent_posts(self.bot.db, guild.id, HISTORY_LENGTH)
        ]
        embed = history_embed(texts, entries, self.bot.command_directory.mention("prompt now"))
        await send_private(interaction, embed=embed)

    @prompt.command(name="pause", description="Stop posting daily prompts (Manage Server)")
    @admin_only()
    async def pause(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Pause the server's daily prompts."""
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        resume = self.bot.command_directory.mention("prompt resume")
        config = await current_config(self.bot, guild.id)
        if config.paused:
            await send_private(interaction, texts("prompt.already_paused", resume=resume))
            return
        await pause_prompts(self.bot, guild.id, texts("pause.reason_admin"))
        log.info("Daily prompts paused by user %s in guild %s", interaction.user.id, guild.id)
        await send_private(interaction, texts("prompt.paused", resume=resume))

    @prompt.command(name="resume", description="Start posting daily prompts again (Manage Server)")
    @admin_only()
    async def resume(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Resume the server's daily prompts, once the bot can post in the channel again."""
        guild = guild_of(interaction)
        texts = self.bot.content.daily_prompts
        config = await current_config(self.bot, guild.id)
        if not config.paused:
            upcoming = await next_prompt_time(self.bot, config)
            await send_private(interaction, texts("prompt.not_paused", next=when(upcoming)))
            return
        try:
            resumed = await resume_prompts(self.bot, config)
        except ChannelUnavailableError as error:
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
        await interaction.response.send_modal(await answer_form(self.bot, guild.id, interaction.user.id))

    @prompt.command(name="pass", description="Pass on today's prompt (passing is always okay)")
    async def pass_today(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Pass on the server's open prompt, so its reveal doesn't wait for you."""
        guild = guild_of(interaction)
        post, _ = await answerable_post(self.bot, guild.id, interaction.user.id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await pass_prompt(self.bot, post.id, interaction.user.id)
        await send_private(interaction, outcome_text(self.bot, outcome))

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
        await service.suggest(
            self.bot.db,
            guild_id=guild.id,
            author_id=interaction.user.id,
            text=cleaned,
            theme=theme_id,
            now=self.bot.clock.now(),
        )
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
    @admin_only()
    async def review(self, interaction: discord.Interaction[HearthBot]) -> None:
        """Show pending suggestions with persistent Approve / Reject buttons."""
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
