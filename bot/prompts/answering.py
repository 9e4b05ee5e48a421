"""Answering or passing on the day's prompt, and what each does to its reveal."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.db.repos import answers, circles, passes, prompt_posts
from bot.db.repos.prompt_posts import PromptPost
from bot.errors import InvalidInputError, NotFoundError
from bot.prompts.reveal import (
    MIN_ANSWERS_FOR_REVEAL,
    RevealKind,
    circle_progress,
    place_of,
    reveal,
    share_answers,
)

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

ANSWER_MAX_LENGTH = 1500


class AnswerResult(StrEnum):
    """What happened to an answer once it was saved (each names its reply text)."""

    SAVED = "saved"
    UPDATED = "updated"
    SMALL_CIRCLE = "small_circle"
    ALONE = "alone"
    REVEALED = "revealed"
    ADDED = "added"
    # /prompt skip changed the day's prompt while the form was open: nothing was saved.
    PROMPT_CHANGED = "prompt_changed"


class PassResult(StrEnum):
    """What happened when someone passed (each names its reply text)."""

    PASSED = "passed"
    WITHDRAWN = "passed_withdrawn"
    ALREADY = "pass_already"
    REVEALED = "passed_revealed"


@dataclass(frozen=True)
class AnswerOutcome:
    """The reply to someone who answered or passed: what happened and how far the circle is."""

    result: AnswerResult | PassResult
    answered: int
    total: int
    place: str | None = None


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
    post = await prompt_posts.latest(bot.db, guild_id)
    if post is None:
        raise NotFoundError(texts("answer.no_prompt", answer=bot.command_directory.mention("prompt answer")))
    await _require_member(bot, guild_id, user_id)
    existing = await answers.get(bot.db, bot.cipher, post.id, user_id)
    if existing is not None and existing.shared_at is not None:
        raise InvalidInputError(texts("answer.already_shared"))
    return post, None if existing is None else existing.text


async def open_post(bot: HearthBot, post_id: int, user_id: int) -> PromptPost:
    """Return a post that is still open (the server's latest) for a circle member, or raise a kind error."""
    texts = bot.content.daily_prompts
    answer = bot.command_directory.mention("prompt answer")
    post = await prompt_posts.get(bot.db, post_id)
    if post is None:
        raise NotFoundError(texts("answer.no_prompt", answer=answer))
    latest = await prompt_posts.latest(bot.db, post.guild_id)
    if latest is not None and latest.id != post.id:
        raise InvalidInputError(texts("answer.closed", answer=answer))
    await _require_member(bot, post.guild_id, user_id)
    return post


async def _require_member(bot: HearthBot, guild_id: int, user_id: int) -> None:
    """Raise a kind error unless ``user_id`` is in the server's circle."""
    if not await circles.is_member(bot.db, guild_id, user_id):
        texts = bot.content.daily_prompts
        raise InvalidInputError(
            texts("answer.not_in_circle", join=bot.command_directory.mention("circle join"))
        )


class _PromptChangedError(Exception):
    """Rolls back an answer written to a prompt the day no longer shows."""


async def submit_answer(
    bot: HearthBot, post_id: int, user_id: int, text: str, prompt_id: str | None = None
) -> AnswerOutcome:
    """Save someone's answer (taking back a pass), then reveal or add to the reveal when it is due.

    ``prompt_id`` is the prompt the form showed: an answer to a prompt that was skipped since is
    not saved under the new one (PROMPT_CHANGED).
    """
    cleaned = validated_answer(bot, text)
    post = await open_post(bot, post_id, user_id)
    had_answer = await answers.get(bot.db, bot.cipher, post.id, user_id) is not None
    try:
        saved = await _save_answer(bot, post, user_id, cleaned, prompt_id)
    except _PromptChangedError:
        return AnswerOutcome(AnswerResult.PROMPT_CHANGED, 0, 0)
    if not saved:
        raise InvalidInputError(bot.content.daily_prompts("answer.already_shared"))
    return await _after_answer(bot, post, user_id, had_answer)


async def _save_answer(
    bot: HearthBot, post: PromptPost, user_id: int, text: str, prompt_id: str | None
) -> bool:
    """Store the answer and take back a pass in one transaction; False if it was shown already."""
    async with bot.db.transaction() as tx:
        if not await prompt_posts.mark_responded_in(tx, post.id, prompt_id):
            raise _PromptChangedError
        saved = await answers.save(
            tx,
            bot.cipher,
            post_id=post.id,
            guild_id=post.guild_id,
            user_id=user_id,
            text=text,
            now=bot.clock.now(),
        )
        if saved:
            await passes.remove_in(tx, post.id, user_id)
    return saved


async def _after_answer(bot: HearthBot, post: PromptPost, user_id: int, had_answer: bool) -> AnswerOutcome:
    """Reveal, add to the reveal, or say how far the circle is, once an answer was saved."""
    log.info("Saved an answer of user %s to post %s", user_id, post.id)
    post = await prompt_posts.get(bot.db, post.id) or post
    progress = await circle_progress(bot, post)
    answered, total = len(progress.answered_members), len(progress.members)
    if post.revealed:
        place = await share_answers(bot, post, [user_id], RevealKind.ADDED)
        return AnswerOutcome(AnswerResult.ADDED, answered, total, place)
    if progress.complete:
        revealed = await reveal(bot, post, progress.answered_members, RevealKind.COMPLETE)
        # None: another answer revealed a moment earlier; ours joins it unless it was shown already.
        place = revealed or await share_answers(bot, post, [user_id], RevealKind.ADDED)
        return AnswerOutcome(AnswerResult.REVEALED, answered, total, place)
    if total < MIN_ANSWERS_FOR_REVEAL:
        return AnswerOutcome(AnswerResult.SMALL_CIRCLE, answered, total)
    if not progress.pending:
        return AnswerOutcome(AnswerResult.ALONE, answered, total)
    return AnswerOutcome(AnswerResult.UPDATED if had_answer else AnswerResult.SAVED, answered, total)


async def pass_prompt(bot: HearthBot, post_id: int, user_id: int) -> AnswerOutcome:
    """Record someone's pass (withdrawing an unrevealed answer), revealing the others' if now due."""
    post = await open_post(bot, post_id, user_id)
    if post.revealed:
        raise InvalidInputError(bot.content.daily_prompts("answer.pass_too_late"))
    async with bot.db.transaction() as tx:
        await prompt_posts.mark_responded_in(tx, post.id)
        withdrawn = await answers.delete_unshared_in(tx, post.id, user_id)
        added = await passes.add_in(
            tx, post_id=post.id, guild_id=post.guild_id, user_id=user_id, now=bot.clock.now()
        )
    progress = await circle_progress(bot, post)
    answered, total = len(progress.answered_members), len(progress.members)
    if not added and not withdrawn:
        return AnswerOutcome(PassResult.ALREADY, answered, total)
    log.info("User %s passed on post %s", user_id, post.id)
    if progress.complete:
        place = await reveal(bot, post, progress.answered_members, RevealKind.COMPLETE)
        refreshed = await prompt_posts.get(bot.db, post.id) or post
        return AnswerOutcome(PassResult.REVEALED, answered, total, place or place_of(refreshed))
    return AnswerOutcome(PassResult.WITHDRAWN if withdrawn else PassResult.PASSED, answered, total)
