"""/prompt skip: today's card shows another prompt instead, once a day, before anyone has answered."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.content.prompts import Audience, Prompt
from bot.db.repos import prompt_posts
from bot.db.repos.prompt_config import PromptConfig
from bot.db.repos.prompt_posts import PromptPost
from bot.delivery import SEND_FAILURES, ChannelUnavailableError, channel_error, text_channel
from bot.prompts.cards import build_prompt_card, theme_of
from bot.prompts.posting import candidates_for, recurrence_of
from bot.prompts.selection import DepthLimit, PastPost, choose_prompt, selection_rng
from bot.schedule.recurrence import local_date_of

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)


class SkipRefusal(StrEnum):
    """Why a day's prompt stays as it is."""

    NOT_POSTED = "not_posted"
    ALREADY_SKIPPED = "already_skipped"
    # Someone answered or passed: their words belong to the prompt they saw.
    ANSWERED = "answered"
    NO_OTHER = "no_other"


@dataclass(frozen=True)
class SkipOutcome:
    """The day's post after /prompt skip, and why nothing changed when ``refusal`` is set."""

    post: PromptPost | None
    refusal: SkipRefusal | None = None


async def replacement_for(bot: HearthBot, config: PromptConfig, post: PromptPost) -> Prompt | None:
    """Choose another prompt for the day, by the rules of the day before it and never the skipped one."""
    audience = Audience(config.audience)
    earlier = [
        PastPost(past.prompt_id, past.theme)
        for past in await prompt_posts.history(bot.db, config.guild_id)
        if past.local_date < post.local_date
    ]
    candidates = [
        prompt
        for prompt in await candidates_for(bot, config.guild_id, audience)
        if prompt.id != post.prompt_id
    ]
    rng = selection_rng(config.guild_id, f"{post.local_date.isoformat()}:skip")
    return choose_prompt(candidates, audience, earlier, rng, DepthLimit(config.depth))


async def skip_today(bot: HearthBot, config: PromptConfig) -> SkipOutcome:
    """Replace the server's prompt of today with another and change its card to show it.

    The skipped prompt goes back into the deck. If the card cannot be changed the day keeps
    its prompt, and ChannelUnavailableError or TransientDeliveryError is raised.
    """
    today = local_date_of(recurrence_of(config), bot.clock.now())
    post = await prompt_posts.for_date(bot.db, config.guild_id, today)
    if post is None:
        return SkipOutcome(None, SkipRefusal.NOT_POSTED)
    if post.skipped_prompt_id is not None:
        return SkipOutcome(post, SkipRefusal.ALREADY_SKIPPED)
    prompt = await replacement_for(bot, config, post)
    if prompt is None:
        return SkipOutcome(post, SkipRefusal.NO_OTHER)
    if not await prompt_posts.replace_prompt(bot.db, post, prompt.id, prompt.theme):
        current = await prompt_posts.get(bot.db, post.id)
        skipped = current is not None and current.skipped_prompt_id is not None
        return SkipOutcome(current, SkipRefusal.ALREADY_SKIPPED if skipped else SkipRefusal.ANSWERED)
    texts = bot.content.daily_prompts
    card = build_prompt_card(
        prompt, theme_of(prompt, bot.content.prompts, texts), texts, bot.command_directory
    )
    try:
        if post.message_id is None:
            raise ChannelUnavailableError("the card's message is unknown")
        channel = await text_channel(bot, config.guild_id, post.channel_id)
        # Only the embed changes: the buttons are the day's, and nobody is pinged again.
        await channel.get_partial_message(post.message_id).edit(embed=card)
    except BaseException as error:
        await prompt_posts.restore_prompt(bot.db, post)
        if isinstance(error, SEND_FAILURES):
            raise channel_error(error) from error
        raise
    log.info("Prompt %s of guild %s for %s skipped for %s", post.prompt_id, config.guild_id, today, prompt.id)
    return SkipOutcome(await prompt_posts.get(bot.db, post.id))
