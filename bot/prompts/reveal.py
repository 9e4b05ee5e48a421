"""Private answers and their reveal once everyone in the circle has answered."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import discord

from bot.db.repos import answers, circles, prompt_posts
from bot.db.repos.prompt_posts import PromptPost
from bot.errors import InvalidInputError, NotFoundError
from bot.prompts.cards import RevealEntry, build_reveal, reveal_header

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

ANSWER_MAX_LENGTH = 1500
MIN_CIRCLE_FOR_REVEAL = 2


class AnswerResult(StrEnum):
    """What happened to an answer once it was saved."""

    SAVED = "saved"
    UPDATED = "updated"
    SMALL_CIRCLE = "small_circle"
    REVEALED = "revealed"
    ADDED = "added"


@dataclass(frozen=True)
class AnswerOutcome:
    """The reply to someone who answered: what happened and how far the circle is."""

    result: AnswerResult
    answered: int
    total: int
    place: str | None = None


def reveal_due(members: Collection[int], answered: Collection[int]) -> bool:
    """Return whether a post's answers should be revealed: at least two members, all of them answered."""
    return len(members) >= MIN_CIRCLE_FOR_REVEAL and set(members) <= set(answered)


def validated_answer(bot: HearthBot, text: str) -> str:
    """Return the answer without surrounding spaces, or raise a kind error if it is empty or too long."""
    cleaned = text.strip()
    texts = bot.content.daily_prompts
    if not cleaned:
        raise InvalidInputError(texts("answer.empty"))
    if len(cleaned) > ANSWER_MAX_LENGTH:
        raise InvalidInputError(texts("answer.too_long", limit=ANSWER_MAX_LENGTH, length=len(cleaned)))
    return cleaned


async def answerable_post(bot: HearthBot, guild_id: int, user_id: int) -> tuple[PromptPost, str | None]:
    """Return the post someone can answer now and their unrevealed answer so far, or raise a kind error."""
    texts = bot.content.daily_prompts
    directory = bot.command_directory
    post = await prompt_posts.latest(bot.db, guild_id)
    if post is None:
        raise NotFoundError(texts("answer.no_prompt", answer=directory.mention("prompt answer")))
    if not await circles.is_member(bot.db, guild_id, user_id):
        raise InvalidInputError(texts("answer.not_in_circle", join=directory.mention("circle join")))
    existing = await answers.get(bot.db, bot.cipher, post.id, user_id)
    if existing is not None and existing.shared_at is not None:
        raise InvalidInputError(texts("answer.already_shared"))
    return post, None if existing is None else existing.text


async def submit_answer(bot: HearthBot, post_id: int, user_id: int, text: str) -> AnswerOutcome:
    """Save someone's answer to a post, then reveal (or add to the reveal) when the circle is complete."""
    texts = bot.content.daily_prompts
    cleaned = validated_answer(bot, text)
    post = await prompt_posts.get(bot.db, post_id)
    if post is None:
        raise NotFoundError(texts("answer.no_prompt", answer=bot.command_directory.mention("prompt answer")))
    if not await circles.is_member(bot.db, post.guild_id, user_id):
        raise InvalidInputError(
            texts("answer.not_in_circle", join=bot.command_directory.mention("circle join"))
        )
    had_answer = await answers.get(bot.db, bot.cipher, post.id, user_id) is not None
    if not await answers.save(
        bot.db,
        bot.cipher,
        post_id=post.id,
        guild_id=post.guild_id,
        user_id=user_id,
        text=cleaned,
        now=bot.clock.now(),
    ):
        raise InvalidInputError(texts("answer.already_shared"))
    log.info("Saved an answer of user %s to post %s", user_id, post.id)
    members = await circles.members(bot.db, post.guild_id)
    answered = await answers.answered_user_ids(bot.db, post.id)
    counted = len(answered & set(members))
    if post.revealed:
        place = await share_answers(bot, post, [user_id], late=True)
        return AnswerOutcome(AnswerResult.ADDED, counted, len(members), place)
    if reveal_due(members, answered):
        place = await reveal(bot, post, members)
        return AnswerOutcome(AnswerResult.REVEALED, counted, len(members), place)
    if len(members) < MIN_CIRCLE_FOR_REVEAL:
        return AnswerOutcome(AnswerResult.SMALL_CIRCLE, counted, len(members))
    result = AnswerResult.UPDATED if had_answer else AnswerResult.SAVED
    return AnswerOutcome(result, counted, len(members))


async def reveal_if_due(bot: HearthBot, guild_id: int) -> str | None:
    """Reveal the latest post's answers if the circle (e.g. after someone left) is now complete."""
    post = await prompt_posts.latest(bot.db, guild_id)
    if post is None or post.revealed:
        return None
    members = await circles.members(bot.db, guild_id)
    if not reveal_due(members, await answers.answered_user_ids(bot.db, post.id)):
        return None
    return await reveal(bot, post, members)


async def reveal(bot: HearthBot, post: PromptPost, members: Sequence[int]) -> str:
    """Reveal every circle member's answer together, once; return where it happened."""
    if not await prompt_posts.claim_reveal(bot.db, post.id, bot.clock.now()):
        # Someone else's answer completed the circle a moment earlier; their reveal includes ours.
        refreshed = await prompt_posts.get(bot.db, post.id)
        return place_of(refreshed or post)
    try:
        return await share_answers(bot, post, list(members), late=False)
    except (discord.HTTPException, NotFoundError):
        # Nothing was shown: let the next answer (or leave) try the reveal again.
        await prompt_posts.unclaim_reveal(bot.db, post.id)
        raise


async def share_answers(bot: HearthBot, post: PromptPost, user_ids: list[int], *, late: bool) -> str:
    """Post the given people's answers to ``post`` in its thread (or as a reply) and mark them shared."""
    by_user = {answer.user_id: answer for answer in await answers.for_post(bot.db, bot.cipher, post.id)}
    entries = [RevealEntry(user_id, by_user[user_id].text) for user_id in user_ids if user_id in by_user]
    texts = bot.content.daily_prompts
    target, reference = await _reveal_target(bot, post)
    first: discord.Message | None = None
    # Which message shows whose answer, so erasing someone edits exactly the messages showing theirs.
    places: dict[int, tuple[int, int]] = {}
    shown = 0
    for index, embeds in enumerate(build_reveal(entries, texts)):
        # Answers are user text: they may mention nobody, whatever they contain.
        kwargs: dict[str, Any] = {"embeds": embeds, "allowed_mentions": discord.AllowedMentions.none()}
        if index == 0:
            kwargs["content"] = reveal_header(texts, late=late)
            if reference is not None:
                kwargs["reference"] = reference
        try:
            message = await target.send(**kwargs)
        except discord.Forbidden:
            if "reference" not in kwargs:
                raise
            # Replying needs Read Message History, which posting prompts doesn't: post it plainly.
            del kwargs["reference"]
            message = await target.send(**kwargs)
        first = first or message
        # build_reveal keeps the entries' order, one embed per answer.
        for entry in entries[shown : shown + len(embeds)]:
            places[entry.user_id] = (message.channel.id, message.id)
        shown += len(embeds)
    await answers.mark_shared(bot.db, post.id, [entry.user_id for entry in entries], bot.clock.now(), places)
    if first is not None and not late:
        await prompt_posts.set_reveal_message(bot.db, post.id, first.id)
    log.info("Shared %d answer(s) to post %s in guild %s", len(entries), post.id, post.guild_id)
    refreshed = await prompt_posts.get(bot.db, post.id)
    return place_of(refreshed or post)


async def _reveal_target(
    bot: HearthBot, post: PromptPost
) -> tuple[discord.abc.Messageable, discord.MessageReference | None]:
    """Return where a reveal goes: the prompt's thread, else the prompt's channel replying to it."""
    if post.thread_id is not None:
        thread = bot.get_channel(post.thread_id) or await bot.fetch_channel(post.thread_id)
        if isinstance(thread, discord.abc.Messageable):
            return thread, None
    channel = bot.get_channel(post.channel_id) or await bot.fetch_channel(post.channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        raise NotFoundError(bot.content.daily_prompts("answer.channel_gone"))
    reply_to = post.reveal_message_id or post.message_id
    reference = (
        None
        if reply_to is None
        else discord.MessageReference(
            message_id=reply_to, channel_id=post.channel_id, fail_if_not_exists=False
        )
    )
    return channel, reference


def place_of(post: PromptPost) -> str:
    """Return a clickable pointer to where a post's answers are revealed."""
    if post.thread_id is not None:
        return f"<#{post.thread_id}>"
    message_id = post.reveal_message_id or post.message_id
    return f"https://discord.com/channels/{post.guild_id}/{post.channel_id}/{message_id}"
