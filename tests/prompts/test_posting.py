"""Posting, pausing and revealing with the real engine and database and a stand-in for Discord."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from unittest.mock import AsyncMock, MagicMock

import discord
import pytest

from bot.clock import ManualClock
from bot.content.library import load_content
from bot.db.database import Database
from bot.db.repos import answers, circles, prompt_config, prompt_posts, schedules
from bot.db.repos.prompt_config import PromptConfig
from bot.errors import InvalidInputError, NotFoundError
from bot.prompts.answering import AnswerResult, answerable_post, submit_answer
from bot.prompts.posting import (
    SCHEDULE_KIND,
    deliver_scheduled,
    next_prompt_time,
    owner_key,
    post_now,
)
from bot.prompts.reveal import reveal_due
from bot.prompts.service import configure as configure_prompts
from bot.schedule.engine import Occurrence, ScheduleEngine
from tests.prompts.standin import ADMIN, CHANNEL, GUILD, ROLE, START, StandInBot, http_error


@pytest.fixture
async def world(db: Database) -> AsyncIterator[tuple[StandInBot, ScheduleEngine]]:
    clock = ManualClock(START)
    bot = StandInBot(db, load_content(), clock)
    engine = ScheduleEngine(db, clock, grace=timedelta(hours=6), tick_seconds=15)

    async def handler(occurrence: Occurrence) -> None:
        await deliver_scheduled(bot, occurrence)  # type: ignore[arg-type]

    engine.register(SCHEDULE_KIND, handler)
    yield bot, engine


async def configure(bot: StandInBot, **changes: Any) -> PromptConfig:
    values: dict[str, Any] = {
        "guild_id": GUILD,
        "channel_id": CHANNEL,
        "local_time": "09:00",
        "timezone": "Europe/London",
        "ping_role_id": ROLE,
        "threads": True,
        "audience": "couple",
        "paused": False,
        "paused_reason": None,
        "configured_by": ADMIN,
    }
    values.update(changes)
    return await configure_prompts(bot.db, PromptConfig(**values), bot.clock.now())


def prompt_sends(bot: StandInBot) -> list[dict[str, Any]]:
    return [sent for sent in bot.sent if "embed" in sent]


async def test_posting_at_local_time_with_ping_and_thread(world: tuple[StandInBot, ScheduleEngine]) -> None:
    """Nothing before 09:00 local; at 09:00 one card pinging only the role, with a dated thread."""
    bot, engine = world
    await configure(bot)
    await engine.tick()
    assert bot.sent == []
    bot.clock.advance(timedelta(hours=1))
    await engine.tick()
    [sent] = prompt_sends(bot)
    assert [role.id for role in sent["allowed_mentions"].roles] == [ROLE]
    assert sent["allowed_mentions"].everyone is False and sent["allowed_mentions"].users is False
    assert f"<@&{ROLE}>" in sent["content"]
    assert sent["nonce"].startswith("s")
    [message] = bot.messages
    message.create_thread.assert_awaited_once()
    assert "Friday 27 November 2026" in message.create_thread.await_args.kwargs["name"]
    post = await prompt_posts.for_date(bot.db, GUILD, date(2026, 11, 27))
    assert post is not None and post.thread_id == 77 and post.message_id == message.id


async def test_posting_without_role_mentions_nobody(world: tuple[StandInBot, ScheduleEngine]) -> None:
    """Without a ping role the card has no content and allows no mentions."""
    bot, engine = world
    await configure(bot, ping_role_id=None, threads=False)
    bot.clock.advance(timedelta(hours=1))
    await engine.tick()
    [sent] = prompt_sends(bot)
    assert sent["content"] is None
    assert sent["allowed_mentions"].roles is False and sent["allowed_mentions"].everyone is False
    post = await prompt_posts.latest(bot.db, GUILD)
    assert post is not None and post.thread_id is None


async def test_one_post_per_day_after_prompt_now(world: tuple[StandInBot, ScheduleEngine]) -> None:
    """/prompt now counts as today's: the scheduled time posts nothing more; tomorrow posts again."""
    bot, engine = world
    config = await configure(bot)
    manual = await post_now(bot, config)  # type: ignore[arg-type]
    assert manual.posted_now
    again = await post_now(bot, config)  # type: ignore[arg-type]
    assert not again.posted_now and again.post.id == manual.post.id
    upcoming = await next_prompt_time(bot, config)  # type: ignore[arg-type]
    assert upcoming == datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    bot.clock.advance(timedelta(hours=2))
    await engine.tick()
    assert len(prompt_sends(bot)) == 1
    bot.clock.advance(timedelta(days=1))
    await engine.tick()
    assert len(prompt_sends(bot)) == 2


async def test_thirty_days_no_repeat_no_theme_twice(world: tuple[StandInBot, ScheduleEngine]) -> None:
    """Thirty simulated days post thirty different prompts, never the same theme two days running."""
    bot, engine = world
    await configure(bot)
    bot.clock.advance(timedelta(hours=1))
    for _ in range(30):
        await engine.tick()
        bot.clock.advance(timedelta(days=1))
    history = await prompt_posts.history(bot.db, GUILD)
    assert len(history) == 30
    assert len({post.prompt_id for post in history}) == 30
    assert all(a.theme != b.theme for a, b in itertools.pairwise(history))


async def test_deleted_channel_pauses_and_tells_once(world: tuple[StandInBot, ScheduleEngine]) -> None:
    """A 404 10003 pauses the server's prompts and its schedule and DMs the admin once, no retries."""
    bot, engine = world
    await configure(bot)
    bot.channel_gone = True
    bot.clock.advance(timedelta(hours=1))
    report = await engine.tick()
    assert report.failed == 1 and report.retrying == 0
    config = await prompt_config.get(bot.db, GUILD)
    # What /setup show tells the admin: the reason in words, not Discord's error code.
    assert config is not None and config.paused
    assert config.paused_reason == "the prompt channel was deleted or I can no longer see it"
    schedule = await schedules.get_by_owner_key(bot.db, owner_key(GUILD))
    assert schedule is not None and schedule.paused
    assert len(bot.dms) == 1 and "Home" in bot.dms[0] and "</prompt resume:1>" in bot.dms[0]
    for _ in range(3):
        bot.clock.advance(timedelta(days=1))
        await engine.tick()
    assert len(bot.dms) == 1
    assert prompt_sends(bot) == []


async def test_lost_permissions_pause_before_sending(world: tuple[StandInBot, ScheduleEngine]) -> None:
    """Missing Embed Links is caught before any send, paused and reported by name."""
    bot, engine = world
    await configure(bot)
    bot.permissions = discord.Permissions(view_channel=True, send_messages=True)
    bot.clock.advance(timedelta(hours=1))
    await engine.tick()
    assert bot.sent == []
    assert len(bot.dms) == 1 and "**Embed Links**" in bot.dms[0]


def test_reveal_due_rule() -> None:
    """A reveal needs at least two members, all of whom answered."""
    assert not reveal_due([1], {1})
    assert not reveal_due([1, 2], {1})
    assert reveal_due([1, 2], {1, 2, 3})
    assert not reveal_due([], set())


async def test_answers_hidden_until_the_circle_is_complete(world: tuple[StandInBot, ScheduleEngine]) -> None:
    """Answers stay out of every send until the last member answers; then all appear together."""
    bot, engine = world
    await configure(bot)
    for user_id in (1, 2, 3):
        await circles.join(bot.db, GUILD, user_id, bot.clock.now())
    bot.clock.advance(timedelta(hours=1))
    await engine.tick()
    post = await prompt_posts.latest(bot.db, GUILD)
    assert post is not None
    first = await submit_answer(bot, post.id, 1, "  answer one  ")  # type: ignore[arg-type]
    assert (first.result, first.answered, first.total) == (AnswerResult.SAVED, 1, 3)
    edited = await submit_answer(bot, post.id, 1, "answer one, edited")  # type: ignore[arg-type]
    assert edited.result is AnswerResult.UPDATED
    await submit_answer(bot, post.id, 2, "answer two")  # type: ignore[arg-type]
    assert "answer" not in repr(bot.sent)
    last = await submit_answer(bot, post.id, 3, "answer three")  # type: ignore[arg-type]
    assert last.result is AnswerResult.REVEALED and last.place == "<#77>"
    reveal = [sent for sent in bot.sent if sent["where"] == "thread"]
    assert len(reveal) == 1
    shown = " ".join(embed.description for embed in reveal[0]["embeds"])
    assert "answer one, edited" in shown and "answer two" in shown and "answer three" in shown
    assert "answer one\n" not in shown.replace("answer one, edited", "")
    assert reveal[0]["allowed_mentions"].users is False
    with pytest.raises(InvalidInputError):
        await answerable_post(bot, GUILD, 1)  # type: ignore[arg-type]
    await circles.join(bot.db, GUILD, 4, bot.clock.now())
    late = await submit_answer(bot, post.id, 4, "late answer")  # type: ignore[arg-type]
    assert late.result is AnswerResult.ADDED
    added = [sent for sent in bot.sent if sent["where"] == "thread"]
    assert len(added) == 2 and "late answer" in added[1]["embeds"][0].description
    assert "answer two" not in added[1]["embeds"][0].description
    stored = await answers.get(bot.db, bot.cipher, post.id, 4)
    assert stored is not None and stored.shared_at is not None
    # Each answer remembers the message showing it, so erasure can edit exactly that message.
    [in_reveal] = await answers.shown_of_user(bot.db, 1)
    [in_late] = await answers.shown_of_user(bot.db, 4)
    assert in_reveal.channel_id == in_late.channel_id == 77
    refreshed = await prompt_posts.get(bot.db, post.id)
    assert refreshed is not None and in_reveal.message_id == refreshed.reveal_message_id
    assert in_late.message_id != in_reveal.message_id


async def test_answer_needs_a_post_and_membership(world: tuple[StandInBot, ScheduleEngine]) -> None:
    """No post yet, or not in the circle, gives a kind error before the form opens."""
    bot, engine = world
    await configure(bot)
    with pytest.raises(NotFoundError):
        await answerable_post(bot, GUILD, 1)  # type: ignore[arg-type]
    bot.clock.advance(timedelta(hours=1))
    await engine.tick()
    with pytest.raises(InvalidInputError, match="circle"):
        await answerable_post(bot, GUILD, 1)  # type: ignore[arg-type]
    post = await prompt_posts.latest(bot.db, GUILD)
    assert post is not None
    await circles.join(bot.db, GUILD, 1, bot.clock.now())
    with pytest.raises(InvalidInputError):
        await submit_answer(bot, post.id, 1, "   ")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="1500"):
        await submit_answer(bot, post.id, 1, "x" * 1501)  # type: ignore[arg-type]
    alone = await submit_answer(bot, post.id, 1, "just me")  # type: ignore[arg-type]
    assert alone.result is AnswerResult.SMALL_CIRCLE


async def test_pause_notice_falls_back_to_the_system_channel(
    world: tuple[StandInBot, ScheduleEngine],
) -> None:
    """When the admin's DMs are closed (50007), the notice goes to the server's system channel, once."""
    bot, engine = world
    await configure(bot)
    closed = MagicMock()
    closed.send = AsyncMock(side_effect=http_error(discord.Forbidden, 403, 50007))
    bot.get_user = lambda user_id: closed  # type: ignore[method-assign]
    system = MagicMock()
    system.send = AsyncMock()
    bot.guild.system_channel = system
    bot.channel_gone = True
    bot.clock.advance(timedelta(hours=1))
    await engine.tick()
    closed.send.assert_awaited_once()
    system.send.assert_awaited_once()
    assert "paused" in system.send.await_args.args[0]
    assert system.send.await_args.kwargs["allowed_mentions"].to_dict() == {"parse": []}


async def test_reveal_without_thread_replies_or_posts_plainly(
    world: tuple[StandInBot, ScheduleEngine],
) -> None:
    """Without threads the reveal replies to the prompt; without Read Message History it posts plainly."""
    bot, engine = world
    await configure(bot, threads=False)
    for user_id in (1, 2):
        await circles.join(bot.db, GUILD, user_id, bot.clock.now())
    bot.clock.advance(timedelta(hours=1))
    await engine.tick()
    post = await prompt_posts.latest(bot.db, GUILD)
    assert post is not None and post.thread_id is None
    bot.refuse_replies = True
    await submit_answer(bot, post.id, 1, "one")  # type: ignore[arg-type]
    outcome = await submit_answer(bot, post.id, 2, "two")  # type: ignore[arg-type]
    assert outcome.result is AnswerResult.REVEALED
    reveal = bot.sent[-1]
    assert "reference" not in reveal and len(reveal["embeds"]) == 2
    bot.refuse_replies = False
    await circles.join(bot.db, GUILD, 3, bot.clock.now())
    await submit_answer(bot, post.id, 3, "three")  # type: ignore[arg-type]
    added = bot.sent[-1]
    assert added["reference"].message_id == bot.messages[-2].id
