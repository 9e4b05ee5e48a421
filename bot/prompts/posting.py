"""Posting a server's daily prompt, on schedule or by hand, and pausing (and telling) when it can't."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import discord

from bot.content.prompts import Audience, Prompt
from bot.db.database import Database, Transaction
from bot.db.repos import prompt_config, prompt_posts, schedules, suggestions
from bot.db.repos.prompt_config import PromptConfig
from bot.db.repos.prompt_posts import PromptPost
from bot.db.repos.schedules import Schedule
from bot.db.repos.suggestions import SuggestionStatus
from bot.delivery import SEND_FAILURES, ChannelUnavailableError, channel_error, reason_of, text_channel
from bot.permissions import bot_permissions_in, missing_permissions
from bot.prompts.cards import build_prompt_card, ping_line, theme_of, thread_name
from bot.prompts.reveal import close_post
from bot.prompts.selection import (
    CUSTOM_PREFIX,
    DepthLimit,
    PastPost,
    choose_prompt,
    custom_prompt,
    selection_rng,
)
from bot.replies import join_labels
from bot.schedule.engine import Occurrence
from bot.schedule.errors import PermanentDeliveryError, TransientDeliveryError
from bot.schedule.kinds import OwnerKey, ScheduleKind
from bot.schedule.recurrence import (
    Recurrence,
    local_date_of,
    mask_to_weekdays,
    next_occurrence,
    occurrence_on,
    parse_local_time,
)

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

SCHEDULE_KIND = ScheduleKind.DAILY_PROMPT

# Builds the buttons under a server's card for a local date; the prompts cog, which handles them, gives it.
CardButtons = Callable[[int, date], discord.ui.View]


def owner_key(guild_id: int) -> OwnerKey:
    """Return the schedule owner key of a server's daily prompt."""
    return OwnerKey.guild(SCHEDULE_KIND, guild_id)


def recurrence_of(config: PromptConfig) -> Recurrence:
    """Return the daily recurrence a configuration describes."""
    return Recurrence(
        timezone=config.timezone,
        local_time=parse_local_time(config.local_time),
        weekdays=mask_to_weekdays(config.weekdays),
    )


async def candidates_for(bot: HearthBot, guild_id: int, audience: Audience) -> list[Prompt]:
    """Return the library's prompts for ``audience`` plus the server's approved suggestions."""
    approved = await suggestions.with_status(bot.db, guild_id, SuggestionStatus.APPROVED)
    custom = [custom_prompt(item.id, item.text, item.theme) for item in approved]
    return [*bot.content.prompts.for_audience(audience), *custom]


async def next_prompt(bot: HearthBot, config: PromptConfig, local_date: date) -> Prompt | None:
    """Return the prompt a server gets on ``local_date``, within its audience and depth."""
    audience = Audience(config.audience)
    history = [
        PastPost(post.prompt_id, post.theme) for post in await prompt_posts.history(bot.db, config.guild_id)
    ]
    candidates = await candidates_for(bot, config.guild_id, audience)
    rng = selection_rng(config.guild_id, local_date.isoformat())
    return choose_prompt(candidates, audience, history, rng, DepthLimit(config.depth))


async def prompt_text_of(bot: HearthBot, prompt_id: str) -> str:
    """Return the words of a posted prompt (library or approved suggestion), or "" if it is gone."""
    for prompt in bot.content.prompts.prompts:
        if prompt.id == prompt_id:
            return prompt.text
    suggestion_id = prompt_id.removeprefix(CUSTOM_PREFIX)
    if prompt_id.startswith(CUSTOM_PREFIX) and suggestion_id.isdigit():
        suggestion = await suggestions.get(bot.db, int(suggestion_id))
        if suggestion is not None:
            return suggestion.text
    return ""


def mentions_for(config: PromptConfig) -> discord.AllowedMentions:
    """Return the mentions a prompt may make: only the configured role, or nothing."""
    if config.ping_role_id is None:
        return discord.AllowedMentions.none()
    return discord.AllowedMentions(
        everyone=False, users=False, roles=[discord.Object(config.ping_role_id)], replied_user=False
    )


async def post_prompt(
    bot: HearthBot,
    config: PromptConfig,
    local_date: date,
    *,
    nonce: str | None,
    buttons: CardButtons | None = None,
) -> PromptPost:
    """Post the prompt of ``local_date`` and record it; on a channel problem, pause and tell, then re-raise.

    The server's previous prompt closes once the new one is recorded. Raises
    ChannelUnavailableError (permanent) or TransientDeliveryError.
    """
    try:
        post = await _post(bot, config, local_date, nonce, buttons)
    except ChannelUnavailableError as error:
        await pause_and_tell(bot, config, error)
        raise
    previous = await prompt_posts.previous(bot.db, post)
    if previous is not None:
        await close_post(bot, previous)
    return post


async def _post(
    bot: HearthBot, config: PromptConfig, local_date: date, nonce: str | None, buttons: CardButtons | None
) -> PromptPost:
    """Send the card (and open its thread), then record the post."""
    channel = await text_channel(bot, config.guild_id, config.channel_id)
    missing = missing_permissions(bot_permissions_in(channel), threads=config.threads)
    if missing:
        raise ChannelUnavailableError(f"missing permissions ({', '.join(missing)})", missing=missing)
    prompt = await next_prompt(bot, config, local_date)
    if prompt is None:
        raise PermanentDeliveryError("no prompt suits the audience")
    texts = bot.content.daily_prompts
    theme = theme_of(prompt, bot.content.prompts, texts)
    embed = build_prompt_card(prompt, theme, texts, bot.command_directory)
    content = None if config.ping_role_id is None else ping_line(texts, config.ping_role_id)
    try:
        kwargs: dict[str, Any] = {
            "content": content,
            "embed": embed,
            "allowed_mentions": mentions_for(config),
        }
        if buttons is not None:
            kwargs["view"] = buttons(config.guild_id, local_date)
        if nonce is not None:
            # discord.py sends enforce_nonce with it, so Discord drops a re-sent duplicate.
            kwargs["nonce"] = nonce
        message = await channel.send(**kwargs)
    except SEND_FAILURES as error:
        raise channel_error(error) from error
    thread_id: int | None = None
    if config.threads:
        try:
            thread = await message.create_thread(name=thread_name(texts, local_date))
            thread_id = thread.id
        except SEND_FAILURES:
            # The prompt itself is out; answers then reveal as a reply to it instead of in a thread.
            log.warning(
                "Prompt message %s in guild %s posted, but its thread could not be opened",
                message.id,
                config.guild_id,
            )
    post = await prompt_posts.record(
        bot.db,
        guild_id=config.guild_id,
        local_date=local_date,
        prompt_id=prompt.id,
        theme=prompt.theme,
        channel_id=channel.id,
        message_id=message.id,
        thread_id=thread_id,
        now=bot.clock.now(),
    )
    if post is None:
        raise RuntimeError(f"guild {config.guild_id} already had a prompt recorded for {local_date}")
    log.info(
        "Posted prompt %s in guild %s for %s (message %s)", prompt.id, config.guild_id, local_date, message.id
    )
    return post


def pause_reason(bot: HearthBot, error: ChannelUnavailableError) -> str:
    """Return why prompts paused, in words an admin reads in the notice and in /setup show."""
    texts = bot.content.daily_prompts
    if error.missing is None:
        return texts("pause.reason_channel_gone")
    missing = error.missing or ["view_channel", "send_messages"]
    return texts("pause.reason_missing", missing=join_labels(missing))


def pause_notice(bot: HearthBot, guild_name: str, error: ChannelUnavailableError) -> str:
    """Return the kind message telling an admin why prompts paused and how to restart them."""
    texts = bot.content.daily_prompts
    return texts(
        "pause.notice",
        guild=discord.utils.escape_markdown(guild_name),
        reason=pause_reason(bot, error),
        resume=bot.command_directory.mention("prompt resume"),
        setup=bot.command_directory.mention("setup prompts"),
    )


async def pause_and_tell(bot: HearthBot, config: PromptConfig, error: ChannelUnavailableError) -> None:
    """Pause a server's prompts and tell the admin who configured them, once, by DM or system channel."""
    await pause_prompts(bot, config.guild_id, pause_reason(bot, error))
    log.warning("Paused daily prompts in guild %s: %s", config.guild_id, error.reason)
    guild = bot.get_guild(config.guild_id)
    notice = pause_notice(bot, guild.name if guild else str(config.guild_id), error)
    if await _tell_by_dm(bot, config.configured_by, notice):
        return
    if guild is not None and guild.system_channel is not None:
        try:
            await guild.system_channel.send(notice, allowed_mentions=discord.AllowedMentions.none())
            return
        except SEND_FAILURES as send_error:
            log.info(
                "Could not tell guild %s in its system channel (%s)", config.guild_id, reason_of(send_error)
            )
    log.warning("Nobody in guild %s could be told that its prompts paused", config.guild_id)


async def _tell_by_dm(bot: HearthBot, user_id: int, notice: str) -> bool:
    """Send ``notice`` to a user by DM once, without retrying; return whether it arrived."""
    try:
        user = bot.get_user(user_id) or await bot.fetch_user(user_id)
        await user.send(notice, allowed_mentions=discord.AllowedMentions.none())
    except SEND_FAILURES as error:
        # 50007 (DMs closed) counts towards Discord's invalid-request limit: never retried.
        log.info("Could not DM user %s about paused prompts (%s)", user_id, reason_of(error))
        return False
    return True


async def deliver_scheduled(
    bot: HearthBot, occurrence: Occurrence, buttons: CardButtons | None = None
) -> None:
    """Post a server's daily prompt for the engine, unless that local day already has one."""
    guild_id = occurrence.schedule.guild_id
    if guild_id is None:
        raise PermanentDeliveryError("daily prompt schedule without a guild")
    config = await prompt_config.get(bot.db, guild_id)
    if config is None:
        raise PermanentDeliveryError("prompts not configured")
    if config.paused:
        log.info("Prompts in guild %s are paused; not posting %s", guild_id, occurrence.key)
        return
    if await prompt_posts.for_date(bot.db, guild_id, occurrence.local_date) is not None:
        log.info("Guild %s already has its prompt for %s; not posting again", guild_id, occurrence.local_date)
        return
    await post_prompt(bot, config, occurrence.local_date, nonce=occurrence.key, buttons=buttons)


@dataclass(frozen=True)
class ManualPost:
    """The result of /prompt now: the new post, or today's existing one."""

    post: PromptPost
    posted_now: bool


async def post_now(bot: HearthBot, config: PromptConfig, buttons: CardButtons | None = None) -> ManualPost:
    """Post today's prompt by hand, claiming today's occurrence so the schedule doesn't post it too."""
    now = bot.clock.now()
    rule = recurrence_of(config)
    local_date = local_date_of(rule, now)
    existing = await prompt_posts.for_date(bot.db, config.guild_id, local_date)
    if existing is not None:
        return ManualPost(existing, posted_now=False)
    schedule = await _schedule_for(bot, config, now)
    key = schedules.recurring_occurrence_key(schedule.id, local_date)
    due_at = occurrence_on(rule, local_date) or now
    claimant = bot.schedule_routes.claimant
    if not await schedules.claim_occurrence(bot.db, schedule.id, key, due_at, now, claimant):
        # The scheduler has (or is) posting today's prompt: report it rather than post a second one.
        posted = await prompt_posts.for_date(bot.db, config.guild_id, local_date)
        if posted is not None:
            return ManualPost(posted, posted_now=False)
        raise TransientDeliveryError("today's prompt is being posted")
    try:
        post = await post_prompt(bot, config, local_date, nonce=key, buttons=buttons)
    except TransientDeliveryError:
        async with bot.db.transaction() as tx:
            # Let the scheduler still post today's prompt at its time.
            await schedules.release_occurrence_in(tx, schedule.id, key)
        raise
    except BaseException:
        await schedules.finish_occurrence(
            bot.db, schedule.id, key, schedules.OccurrenceStatus.FAILED, bot.clock.now()
        )
        raise
    await schedules.finish_occurrence(
        bot.db, schedule.id, key, schedules.OccurrenceStatus.SENT, bot.clock.now()
    )
    return ManualPost(post, posted_now=True)


async def _schedule_for(bot: HearthBot, config: PromptConfig, now: datetime) -> Schedule:
    """Return the server's schedule row, recreating it from the configuration if it went missing."""
    schedule = await schedules.get_by_owner_key(bot.db, owner_key(config.guild_id))
    if schedule is None:
        schedule = await save_schedule(bot.db, config, now)
    return schedule


async def save_schedule(db: Database | Transaction, config: PromptConfig, now: datetime) -> Schedule:
    """Create or update the server's daily schedule from its configuration, unpaused unless it is paused."""
    schedule = await schedules.upsert_recurring(
        db,
        kind=SCHEDULE_KIND,
        owner_key=owner_key(config.guild_id),
        rule=recurrence_of(config),
        now=now,
        guild_id=config.guild_id,
    )
    if schedule.paused and not config.paused:
        resumed = await schedules.resume(db, schedule.id, now)
        if resumed is not None:
            schedule = resumed
    elif config.paused and not schedule.paused:
        await schedules.pause(db, schedule.id, config.paused_reason or "paused")
    return schedule


async def next_prompt_time(bot: HearthBot, config: PromptConfig) -> datetime | None:
    """Return when the server's next prompt will be posted, or None while paused."""
    if config.paused:
        return None
    rule = recurrence_of(config)
    schedule = await schedules.get_by_owner_key(bot.db, owner_key(config.guild_id))
    upcoming = schedule.next_run_at if schedule is not None else next_occurrence(rule, bot.clock.now())
    # A day whose prompt came early (/prompt now) posts nothing more at its regular time.
    if await prompt_posts.for_date(bot.db, config.guild_id, local_date_of(rule, upcoming)) is not None:
        upcoming = next_occurrence(rule, upcoming)
    return upcoming


async def pause_prompts(bot: HearthBot, guild_id: int, reason: str) -> None:
    """Pause a server's prompts and its schedule with a short reason (no user content)."""
    # One transaction: a configuration shown as paused never keeps a schedule that still posts.
    async with bot.db.transaction() as tx:
        await prompt_config.set_paused(tx, guild_id, True, reason, bot.clock.now())
        schedule = await schedules.get_by_owner_key(tx, owner_key(guild_id))
        if schedule is not None:
            await schedules.pause(tx, schedule.id, reason)


async def resume_prompts(bot: HearthBot, config: PromptConfig) -> PromptConfig:
    """Resume a server's prompts once its channel works again; raise ChannelUnavailableError if it doesn't."""
    channel = await text_channel(bot, config.guild_id, config.channel_id)
    missing = missing_permissions(bot_permissions_in(channel), threads=config.threads)
    if missing:
        raise ChannelUnavailableError(f"missing permissions ({', '.join(missing)})", missing=missing)
    now = bot.clock.now()
    async with bot.db.transaction() as tx:
        await prompt_config.set_paused(tx, config.guild_id, False, None, now)
        resumed = await prompt_config.get(tx, config.guild_id)
        if resumed is None:
            raise ChannelUnavailableError("prompts not configured")
        await save_schedule(tx, resumed, now)
    return resumed
