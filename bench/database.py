"""Database: check-ins (or, without the check-in feature, prompt answers) written per second."""

from __future__ import annotations

import asyncio
import importlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bench.harness import database_url, rate_limited_fake, running_bot
from bot.app import HearthBot
from bot.crypto import generate_key
from bot.db.repos import answers, prompt_posts

USER_BASE = 1 << 40
Writer = Callable[[int], Awaitable[object]]


@dataclass(frozen=True)
class DatabaseResult:
    """How fast one kind of private record is written, each in its own transaction as the bot does."""

    what: str
    writes: int
    seconds: float
    encrypted: bool

    @property
    def per_second(self) -> float:
        """Return the writes per second."""
        return self.writes / self.seconds if self.seconds else 0.0


def _checkin_writer(bot: HearthBot) -> tuple[str, Writer] | None:
    """Return a writer that saves a check-in the way the /checkin form does, if that feature exists."""
    try:
        service: Any = importlib.import_module("bot.checkins.service")
        form: Any = importlib.import_module("bot.checkins.form")
        source = importlib.import_module("bot.db.repos.checkins").CheckinSource.COMMAND
    except (ImportError, AttributeError):
        return None

    async def write(n: int) -> object:
        """Save one person's check-in (score and a private note)."""
        answers = form.CheckinAnswers(score=1 + n % 5, feelings=(), needs=(), note="a quiet day")
        return await service.save_checkin(bot, USER_BASE + n, answers, source)

    return "check-ins (bot.checkins.service.save_checkin, as the /checkin form saves)", write


async def _answer_writer(bot: HearthBot) -> tuple[str, Writer]:
    """Return a writer that saves one private answer to a posted prompt."""
    post = await prompt_posts.record(
        bot.db,
        guild_id=1,
        local_date=date(2026, 11, 30),
        prompt_id="bench",
        theme="bench",
        channel_id=2,
        message_id=3,
        thread_id=None,
        now=bot.clock.now(),
    )
    if post is None:
        raise RuntimeError("could not record the prompt post the answers belong to")

    async def write(n: int) -> object:
        """Save one person's answer as the answer form does."""
        return await answers.save(
            bot.db,
            bot.cipher,
            post_id=post.id,
            guild_id=1,
            user_id=USER_BASE + n,
            text="a quiet day",
            now=bot.clock.now(),
        )

    return "prompt answers (bot.db.repos.answers.save)", write


async def run_database(writes: int, database: Path | str) -> DatabaseResult:
    """Write ``writes`` records from as many concurrent tasks (people saving at once) and time it."""
    async with (
        rate_limited_fake() as server,
        running_bot(
            server, database_url(database), disable_scheduler=True, hearth_data_key=generate_key()
        ) as running,
    ):
        bot = running.bot
        found = _checkin_writer(bot)
        what, write = found if found is not None else await _answer_writer(bot)
        started = time.perf_counter()
        await asyncio.gather(*(write(n) for n in range(writes)))
        seconds = time.perf_counter() - started
        return DatabaseResult(what=what, writes=writes, seconds=seconds, encrypted=bot.cipher.has_key)
