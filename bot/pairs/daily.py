"""A pair's daily prompt: chosen once per local day, answered privately, revealed to all together.

The day's prompt is recorded before any DM goes out, so a retried or recovered delivery sends the
same prompt. Answers lock the day's row, so the last two answers arriving together reveal once.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.content.prompts import Audience, Prompt, PromptLibrary
from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import pairs
from bot.db.repos.pairs import Pair, PairAnswer, PairDay, PairStatus
from bot.prompts.selection import PastPost, choose_prompt

log = logging.getLogger(__name__)

ANSWER_MAX_LENGTH = 1500


def audience_of(pair: Pair) -> Audience:
    """Return who a pair's prompts are written for: a couple for two, friends for more."""
    return Audience.COUPLE if len(pair.members) == 2 else Audience.FRIENDS


def pair_rng(pair_id: int, local_date: date) -> random.Random:
    """Return a random source fixed by pair and date, so a retried delivery picks the same prompt."""
    # Not for security: it only shuffles which conversation prompt comes next.
    return random.Random(f"pair:{pair_id}:{local_date.isoformat()}")  # noqa: S311


async def day_for(
    db: Database, library: PromptLibrary, pair: Pair, local_date: date, now: datetime
) -> PairDay | None:
    """Return the pair's day for ``local_date``, choosing its prompt the first time (None if none suits)."""
    existing = await pairs.day_on(db, pair.id, local_date)
    if existing is not None:
        return existing
    history = [PastPost(day.prompt_id, day.theme) for day in await pairs.history(db, pair.id)]
    prompt = choose_prompt(library.prompts, audience_of(pair), history, pair_rng(pair.id, local_date))
    if prompt is None:
        return None
    return await pairs.create_day(
        db, pair_id=pair.id, local_date=local_date, prompt_id=prompt.id, theme=prompt.theme, now=now
    )


async def get_day(db: Database, day_id: int) -> PairDay | None:
    """Return one pair day, or None."""
    return await pairs.get_day(db, day_id)


def prompt_of(library: PromptLibrary, day: PairDay) -> Prompt | None:
    """Return the library prompt a day showed (None if it has since left the library)."""
    return next((prompt for prompt in library.prompts if prompt.id == day.prompt_id), None)


class AnswerResult(StrEnum):
    """What an answer or a pass did (the values are the reply's text keys)."""

    SAVED = "saved"
    UPDATED = "updated"
    PASSED = "passed"
    REVEALED = "revealed"
    ALREADY_REVEALED = "already_revealed"
    GONE = "gone"
    STALE = "stale"


@dataclass(frozen=True)
class Reveal:
    """Everything a reveal shows, for each member: the day, its answers and passes, who to send it to."""

    day: PairDay
    answers: tuple[PairAnswer, ...]
    members: tuple[int, ...]


@dataclass(frozen=True)
class AnswerOutcome:
    """The result of an answer or a pass, with the reveal it completed, if any."""

    result: AnswerResult
    waiting: int = 0
    reveal: Reveal | None = None


async def respond(
    db: Database, cipher: DataCipher, day_id: int, user_id: int, text: str | None, now: datetime
) -> AnswerOutcome:
    """Save someone's answer (``text``) or pass (None); the last response reveals everyone's together."""
    async with db.transaction() as tx:
        day = await pairs.lock_day(tx, day_id)
        pair = None if day is None else await pairs.get(tx, day.pair_id)
        if day is None or pair is None or pair.status is not PairStatus.ACTIVE or not pair.has(user_id):
            return AnswerOutcome(AnswerResult.GONE)
        if day.revealed_at is not None:
            return AnswerOutcome(AnswerResult.ALREADY_REVEALED)
        latest = await pairs.latest_day(tx, pair.id)
        if latest is not None and latest.id != day.id:
            return AnswerOutcome(AnswerResult.STALE)
        before = {answer.user_id: answer for answer in await pairs.answers(tx, cipher, day.id)}
        await pairs.save_answer(tx, cipher, day_id=day.id, user_id=user_id, text=text, now=now)
        responses = await pairs.answers(tx, cipher, day.id)
        waiting = len(set(pair.member_ids) - {answer.user_id for answer in responses})
        if waiting == 0:
            await pairs.mark_revealed(tx, day.id, now)
            reveal = Reveal(day, tuple(a for a in responses if pair.has(a.user_id)), pair.member_ids)
            log.info("Pair %s revealed day %s", pair.id, day.id)
            return AnswerOutcome(AnswerResult.REVEALED, 0, reveal)
    if text is None:
        return AnswerOutcome(AnswerResult.PASSED, waiting)
    earlier = before.get(user_id)
    updated = earlier is not None and earlier.text is not None
    return AnswerOutcome(AnswerResult.UPDATED if updated else AnswerResult.SAVED, waiting)


@dataclass(frozen=True)
class Today:
    """What /pair today shows: the latest day, the person's own response, and the reveal once it is out."""

    day: PairDay | None
    mine: PairAnswer | None
    waiting: int
    reveal: Reveal | None


async def today(db: Database, cipher: DataCipher, pair: Pair, user_id: int) -> Today:
    """Return the pair's latest day as one member sees it."""
    day = await pairs.latest_day(db, pair.id)
    if day is None:
        return Today(None, None, 0, None)
    responses = await pairs.answers(db, cipher, day.id)
    mine = next((answer for answer in responses if answer.user_id == user_id), None)
    waiting = len(set(pair.member_ids) - {answer.user_id for answer in responses})
    reveal = None
    if day.revealed_at is not None:
        reveal = Reveal(day, tuple(a for a in responses if pair.has(a.user_id)), pair.member_ids)
    # Only the person's own words leave this function before the reveal.
    return Today(day, mine, waiting, reveal)


async def answered_ids(db: Database, cipher: DataCipher, day_id: int) -> set[int]:
    """Return who has already answered or passed on a day (a re-delivery skips them)."""
    return {answer.user_id for answer in await pairs.answers(db, cipher, day_id)}


async def own_text(db: Database, cipher: DataCipher, day_id: int, user_id: int) -> str | None:
    """Return someone's own saved answer to a day, to fill the form again."""
    for answer in await pairs.answers(db, cipher, day_id):
        if answer.user_id == user_id:
            return answer.text
    return None
