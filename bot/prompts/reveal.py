"""Reveals: the circle's private answers shown together, once, when nobody is left to wait for.

The rules, as /help and the README state them:
- an answer stays private until the reveal;
- the reveal comes once everyone in the circle has answered or passed, with at least two answers;
- when the next prompt is posted, the previous one closes: if two or more people answered, their
  answers are revealed then, saying how many did not answer;
- someone no longer in the server (a member lookup answers 404) is dropped from the circle when a
  reveal is evaluated, so they cannot hold it up.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import discord

from bot.db.repos import answers, circles, passes, prompt_posts
from bot.db.repos.prompt_posts import PromptPost
from bot.delivery import SEND_FAILURES
from bot.errors import NotFoundError
from bot.prompts.cards import RevealEntry, build_reveal

if TYPE_CHECKING:
    from bot.app import HearthBot

log = logging.getLogger(__name__)

MIN_ANSWERS_FOR_REVEAL = 2


class RevealKind(StrEnum):
    """Why answers are being shown, which the line above them says."""

    COMPLETE = "complete"
    CLOSED = "closed"
    ADDED = "added"


@dataclass(frozen=True)
class CircleProgress:
    """Where a post's circle stands: who is in it, who answered and who passed."""

    members: tuple[int, ...]
    answered: frozenset[int]
    passed: frozenset[int]

    @property
    def pending(self) -> tuple[int, ...]:
        """Return the members who have neither answered nor passed, in the order they joined."""
        return tuple(m for m in self.members if m not in self.answered and m not in self.passed)

    @property
    def answered_members(self) -> tuple[int, ...]:
        """Return the members who answered, in the order they joined."""
        return tuple(m for m in self.members if m in self.answered)

    @property
    def complete(self) -> bool:
        """Return whether the answers are due: nobody left to wait for, and at least two answers."""
        return not self.pending and len(self.answered_members) >= MIN_ANSWERS_FOR_REVEAL


def reveal_due(members: Sequence[int], answered: Collection[int], passed: Collection[int] = ()) -> bool:
    """Return whether a post's answers should be revealed now."""
    return CircleProgress(tuple(members), frozenset(answered), frozenset(passed)).complete


async def is_in_server(bot: HearthBot, guild_id: int, user_id: int) -> bool:
    """Return whether someone is still in a server, asking Discord (only 404 counts as gone)."""
    try:
        await bot.http.get_member(guild_id, user_id)
    except discord.NotFound:
        return False
    except SEND_FAILURES:
        # Unsure is not gone: keep waiting for them rather than drop someone by mistake.
        return True
    return True


async def drop_from_circle(bot: HearthBot, guild_id: int, user_id: int) -> bool:
    """Take someone out of a server's circle with their unrevealed answers and passes, atomically."""
    async with bot.db.transaction() as tx:
        left = await circles.leave(tx, guild_id, user_id)
        # Unrevealed answers were written for this circle; leaving takes them along.
        await answers.delete_unshared_for_user(tx, guild_id, user_id)
        await passes.delete_in_guild_for_user(tx, guild_id, user_id)
    return left


async def circle_progress(bot: HearthBot, post: PromptPost) -> CircleProgress:
    """Return the post's progress, first dropping pending members who have left the server.

    Lookups stop at the first pending member who is still there: the reveal waits for them
    anyway, so one request per answer is the usual cost.
    """
    while True:
        progress = CircleProgress(
            tuple(await circles.members(bot.db, post.guild_id)),
            frozenset(await answers.answered_user_ids(bot.db, post.id)),
            frozenset(await passes.passed_user_ids(bot.db, post.id)),
        )
        if not progress.pending:
            return progress
        gone = progress.pending[0]
        if await is_in_server(bot, post.guild_id, gone):
            return progress
        await drop_from_circle(bot, post.guild_id, gone)
        log.info("Dropped user %s, who left guild %s, from its circle", gone, post.guild_id)


async def reveal_if_due(bot: HearthBot, guild_id: int) -> str | None:
    """Reveal the latest post's answers if its circle (after someone left) has nobody left to wait for."""
    post = await prompt_posts.latest(bot.db, guild_id)
    if post is None or post.revealed:
        return None
    progress = await circle_progress(bot, post)
    if not progress.complete:
        return None
    return await reveal(bot, post, progress.answered_members, RevealKind.COMPLETE)


async def close_post(bot: HearthBot, post: PromptPost) -> None:
    """Close a post as the next prompt arrives: reveal its answers if two or more people answered."""
    if post.revealed:
        return
    members = await circles.members(bot.db, post.guild_id)
    answered = await answers.answered_user_ids(bot.db, post.id)
    if len(answered) < MIN_ANSWERS_FOR_REVEAL:
        return
    ordered = [m for m in members if m in answered] + sorted(answered.difference(members))
    missing = len(set(members) - answered)
    kind = RevealKind.CLOSED if missing else RevealKind.COMPLETE
    try:
        await reveal(bot, post, ordered, kind, missing=missing)
    except (NotFoundError, *SEND_FAILURES):
        # The new prompt is out either way; these answers stay private.
        log.warning("Could not reveal the answers of closed post %s in guild %s", post.id, post.guild_id)


async def reveal(
    bot: HearthBot, post: PromptPost, user_ids: Sequence[int], kind: RevealKind, *, missing: int = 0
) -> str | None:
    """Reveal these answers together, once; return where, or None if another reveal got there first."""
    if not await prompt_posts.claim_reveal(bot.db, post.id, bot.clock.now()):
        return None
    try:
        return await share_answers(bot, post, user_ids, kind, missing=missing)
    except (discord.HTTPException, NotFoundError):
        # Nothing (or not everything) was shown: a later answer, pass or close tries again.
        await prompt_posts.unclaim_reveal(bot.db, post.id)
        raise


def reveal_header(bot: HearthBot, kind: RevealKind, shared: int, missing: int) -> str:
    """Return the line above revealed answers."""
    texts = bot.content.daily_prompts
    if kind is RevealKind.CLOSED:
        return texts("reveal.closed", shared=shared, missing=missing)
    return texts("reveal.added" if kind is RevealKind.ADDED else "reveal.header")


async def share_answers(
    bot: HearthBot, post: PromptPost, user_ids: Sequence[int], kind: RevealKind, *, missing: int = 0
) -> str:
    """Post these people's answers in the post's thread (or as a reply to it); return where.

    Each answer is claimed before anything is sent, so an answer two reveals race for is shown once.
    """
    claimed = set(await answers.claim_for_sharing(bot.db, post.id, user_ids, bot.clock.now()))
    if not claimed:
        return place_of(await prompt_posts.get(bot.db, post.id) or post)
    by_user = {answer.user_id: answer for answer in await answers.for_post(bot.db, bot.cipher, post.id)}
    entries = [RevealEntry(user_id, by_user[user_id].text) for user_id in user_ids if user_id in claimed]
    # Which message shows whose answer, so erasing someone edits exactly the messages showing theirs.
    places: dict[int, tuple[int, int]] = {}
    try:
        first = await _send_reveal(
            bot, post, entries, reveal_header(bot, kind, len(entries), missing), places
        )
    finally:
        await answers.record_places(bot.db, post.id, places)
        unsent = [user_id for user_id in claimed if user_id not in places]
        if unsent:
            await answers.release_claims(bot.db, post.id, unsent)
    if first is not None and kind is not RevealKind.ADDED:
        await prompt_posts.set_reveal_message(bot.db, post.id, first.id)
    log.info("Shared %d answer(s) to post %s in guild %s", len(entries), post.id, post.guild_id)
    return place_of(await prompt_posts.get(bot.db, post.id) or post)


async def _send_reveal(
    bot: HearthBot,
    post: PromptPost,
    entries: Sequence[RevealEntry],
    header: str,
    places: dict[int, tuple[int, int]],
) -> discord.Message | None:
    """Send the reveal's messages, filling ``places`` as each is sent; return the first message."""
    target, reference = await _reveal_target(bot, post)
    first: discord.Message | None = None
    shown = 0
    for index, embeds in enumerate(build_reveal(entries, bot.content.daily_prompts)):
        # Answers are user text: they may mention nobody, whatever they contain.
        kwargs: dict[str, Any] = {"embeds": embeds, "allowed_mentions": discord.AllowedMentions.none()}
        if index == 0:
            kwargs["content"] = header
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
    return first


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
