"""Pairs: joining and leaving, the day's prompt, answers and the reveal, and their privacy."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.content.library import load_content
from bot.content.prompts import Audience
from bot.crypto import DataCipher, decode_key, generate_key
from bot.db.database import Database
from bot.db.repos import pairs, schedules
from bot.db.repos.pairs import PairStatus
from bot.pairs import daily, privacy, service
from bot.pairs.daily import AnswerResult
from bot.pairs.service import JoinResult, LeaveResult
from bot.privacy.registry import ErasureContext
from bot.schedule.recurrence import Recurrence
from cogs.pair import dm_nonce

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
RULE = Recurrence(timezone="Europe/Berlin", local_time=service.DEFAULT_TIME)
CONTENT = load_content()


async def invited(db: Database, author: int = 1, channel: int = 500) -> int:
    state = await service.invite(db, channel_id=channel, user_id=author, display_name="A", rule=RULE, now=NOW)
    assert not isinstance(state, service.InviteRefusal)
    return state.pair.id


async def formed(db: Database, *members: int) -> int:
    pair_id = await invited(db, members[0])
    for member in members[1:]:
        outcome = await service.join(db, pair_id, member, f"M{member}", NOW)
        assert outcome.result is JoinResult.JOINED
    return pair_id


async def test_the_second_member_starts_the_prompts(db: Database) -> None:
    """An invitation's schedule waits, paused, until someone else joins; then it runs."""
    pair_id = await invited(db)
    waiting = await schedules.get_by_owner_key(db, service.owner_key(pair_id))
    assert waiting is not None and waiting.paused
    assert (await service.join(db, pair_id, 1, "A", NOW)).result is JoinResult.OWN_INVITE
    assert (await service.join(db, pair_id, 2, "B", NOW)).result is JoinResult.JOINED
    running = await schedules.get_by_owner_key(db, service.owner_key(pair_id))
    assert running is not None and not running.paused
    assert (await service.join(db, pair_id, 2, "B", NOW)).result is JoinResult.ALREADY


async def test_fifty_people_pressing_join_at_once_make_six(db: Database) -> None:
    """Joins lock the pair: never more than six members, and each presser gets one answer."""
    pair_id = await invited(db)
    outcomes = await asyncio.gather(*(service.join(db, pair_id, 100 + n, "X", NOW) for n in range(50)))
    results = [outcome.result for outcome in outcomes]
    assert results.count(JoinResult.JOINED) == service.MAX_MEMBERS - 1
    assert results.count(JoinResult.FULL) == 50 - (service.MAX_MEMBERS - 1)
    pair = await pairs.get(db, pair_id)
    assert pair is not None and len(pair.members) == service.MAX_MEMBERS


async def test_an_old_invitation_cannot_be_joined(db: Database) -> None:
    """Seven days after the invitation, Join refuses and nobody is added."""
    pair_id = await invited(db)
    later = NOW + service.INVITE_LIFETIME + timedelta(seconds=1)
    assert (await service.join(db, pair_id, 2, "B", later)).result is JoinResult.EXPIRED
    pair = await pairs.get(db, pair_id)
    assert pair is not None and pair.member_ids == (1,)


async def test_leaving_ends_a_pair_of_two_and_deletes_what_was_not_revealed(db: Database) -> None:
    """The last partner leaving ends the pair: no schedule, no unrevealed answer; a group carries on."""
    cipher = DataCipher(decode_key(generate_key()))
    group = await formed(db, 1, 2, 3)
    assert (await service.leave(db, group, 3, NOW)) == service.LeaveOutcome(LeaveResult.LEFT, ())
    pair = await pairs.get(db, group)
    assert pair is not None and pair.status is PairStatus.ACTIVE
    pair_obj = pair
    day = await daily.day_for(db, CONTENT.prompts, pair_obj, date(2025, 3, 3), NOW)
    assert day is not None
    await daily.respond(db, cipher, day.id, 1, "private words", NOW)
    outcome = await service.leave(db, group, 2, NOW)
    assert outcome == service.LeaveOutcome(LeaveResult.ENDED, (1,))
    assert await pairs.answers(db, cipher, day.id) == []
    assert await schedules.get_by_owner_key(db, service.owner_key(group)) is None
    assert await service.leave(db, group, 1, NOW) is None


async def test_the_last_two_answers_at_once_reveal_once(db: Database) -> None:
    """Answers lock their day: two arriving together reveal exactly once, with both answers."""
    cipher = DataCipher(decode_key(generate_key()))
    pair_id = await formed(db, 1, 2)
    pair = await pairs.get(db, pair_id)
    assert pair is not None
    day = await daily.day_for(db, CONTENT.prompts, pair, date(2025, 3, 3), NOW)
    assert day is not None
    first, second = await asyncio.gather(
        daily.respond(db, cipher, day.id, 1, "one", NOW), daily.respond(db, cipher, day.id, 2, "two", NOW)
    )
    reveals = [o.reveal for o in (first, second) if o.reveal is not None]
    assert len(reveals) == 1
    assert sorted(a.text or "" for a in reveals[0].answers) == ["one", "two"]
    late = await daily.respond(db, cipher, day.id, 1, "changed", NOW)
    assert late.result is AnswerResult.ALREADY_REVEALED
    stranger = await daily.respond(db, cipher, day.id, 9, "hi", NOW)
    assert stranger.result is AnswerResult.GONE


async def test_the_day_prompt_is_chosen_once_and_suits_the_pair(db: Database) -> None:
    """A retried delivery finds the same prompt; two people get couple prompts, more get friends'."""
    couple = await pairs.get(db, await formed(db, 1, 2))
    group = await pairs.get(db, await formed(db, 3, 4, 5))
    assert couple is not None and group is not None
    day = await daily.day_for(db, CONTENT.prompts, couple, date(2025, 3, 3), NOW)
    again = await daily.day_for(db, CONTENT.prompts, couple, date(2025, 3, 3), NOW)
    assert day is not None and again == day
    prompts = {p.id: p for p in CONTENT.prompts.prompts}
    assert prompts[day.prompt_id].suits(Audience.COUPLE)
    seen = set()
    for offset in range(20):
        group_day = await daily.day_for(db, CONTENT.prompts, group, date(2025, 3, 3) + timedelta(offset), NOW)
        assert group_day is not None and prompts[group_day.prompt_id].suits(Audience.FRIENDS)
        seen.add(group_day.prompt_id)
    assert len(seen) == 20, "no prompt comes back before the deck is used up"


async def test_export_and_erasure_cover_pairs_and_answers(db: Database) -> None:
    """The export opens the person's answers; erasure removes them and ends pairs left alone."""
    cipher = DataCipher(decode_key(generate_key()))
    pair_id = await formed(db, 1, 2)
    pair = await pairs.get(db, pair_id)
    assert pair is not None
    day = await daily.day_for(db, CONTENT.prompts, pair, date(2025, 3, 3), NOW)
    assert day is not None
    await daily.respond(db, cipher, day.id, 1, "mine", NOW)
    exported = await privacy.export_user_pairs(db, cipher, 1)
    assert exported["pairs"][0]["member_ids"] == ["1", "2"]
    assert exported["answers"][0]["text"] == "mine"
    counts = await privacy.delete_user_pairs(db, 1, ErasureContext(client=None, cipher=cipher, now=NOW))
    assert counts == {"pair_answers": 1, "pair_memberships": 1}
    assert await privacy.export_user_pairs(db, cipher, 1) == {}
    ended = await pairs.get(db, pair_id)
    assert ended is not None and ended.status is PairStatus.ENDED and ended.created_by == 0


@given(st.text(min_size=1, max_size=25), st.integers(min_value=1, max_value=2**63 - 1))
def test_dm_nonces_fit_discord_and_differ_per_member(key: str, user_id: int) -> None:
    """Each member's DM of an occurrence has its own nonce, within Discord's 25 characters."""
    nonce = dm_nonce(key, user_id)
    assert len(nonce) <= 25
    assert nonce != dm_nonce(key, user_id + 1)
