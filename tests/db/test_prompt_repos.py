"""Repositories of the daily prompt feature, against a real migrated SQLite file."""

from datetime import UTC, date, datetime, timedelta

from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import answers, circles, prompt_config, prompt_posts, suggestions
from bot.db.repos.prompt_config import PromptConfig
from bot.db.repos.suggestions import SuggestionStatus

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
GUILD = 111
# Without a key answers are stored as written; tests/prompts/test_privacy.py covers sealing.
PLAIN = DataCipher(None)


def make_config(**changes: object) -> PromptConfig:
    values: dict[str, object] = {
        "guild_id": GUILD,
        "channel_id": 222,
        "local_time": "19:30",
        "timezone": "Europe/London",
        "ping_role_id": None,
        "threads": True,
        "audience": "couple",
        "paused": False,
        "paused_reason": None,
        "configured_by": 333,
    }
    values.update(changes)
    return PromptConfig(**values)  # type: ignore[arg-type]


async def add_post(db: Database, day: date, prompt_id: str = "empathy-01", theme: str = "empathy") -> int:
    post = await prompt_posts.record(
        db,
        guild_id=GUILD,
        local_date=day,
        prompt_id=prompt_id,
        theme=theme,
        channel_id=222,
        message_id=999,
        thread_id=None,
        now=NOW,
    )
    assert post is not None
    return post.id


async def test_prompt_config_save_get_and_replace(db: Database) -> None:
    """A saved configuration reads back as stored, and saving again replaces it."""
    assert await prompt_config.get(db, GUILD) is None
    stored = await prompt_config.save(db, make_config(), NOW)
    assert stored == make_config()
    replaced = await prompt_config.save(db, make_config(channel_id=444, ping_role_id=555, threads=False), NOW)
    assert (replaced.channel_id, replaced.ping_role_id, replaced.threads) == (444, 555, False)


async def test_prompt_config_pause_and_resume(db: Database) -> None:
    """Pausing keeps a reason; resuming clears it; an unknown server is reported."""
    await prompt_config.save(db, make_config(), NOW)
    assert await prompt_config.set_paused(db, GUILD, True, "channel missing (10003)", NOW)
    paused = await prompt_config.get(db, GUILD)
    assert paused is not None and paused.paused and paused.paused_reason == "channel missing (10003)"
    assert await prompt_config.set_paused(db, GUILD, False, "ignored", NOW)
    resumed = await prompt_config.get(db, GUILD)
    assert resumed is not None and not resumed.paused and resumed.paused_reason is None
    assert not await prompt_config.set_paused(db, 1, True, "x", NOW)
    assert await prompt_config.delete(db, GUILD)


async def test_prompt_posts_one_per_local_day(db: Database) -> None:
    """A second post for the same server and local date is refused; other days and servers are fine."""
    day = date(2026, 11, 27)
    await add_post(db, day)
    again = await prompt_posts.record(
        db,
        guild_id=GUILD,
        local_date=day,
        prompt_id="empathy-02",
        theme="empathy",
        channel_id=222,
        message_id=1000,
        thread_id=None,
        now=NOW,
    )
    assert again is None
    await add_post(db, day + timedelta(days=1), "validation-01", "validation")
    other = await prompt_posts.record(
        db,
        guild_id=GUILD + 1,
        local_date=day,
        prompt_id="empathy-01",
        theme="empathy",
        channel_id=1,
        message_id=2,
        thread_id=3,
        now=NOW,
    )
    assert other is not None and other.thread_id == 3


async def test_prompt_posts_history_latest_and_for_date(db: Database) -> None:
    """History is oldest first, latest is the newest date, for_date finds a given day."""
    first = date(2026, 11, 1)
    await add_post(db, first + timedelta(days=2), "b", "t2")
    await add_post(db, first, "a", "t1")
    history = await prompt_posts.history(db, GUILD)
    assert [post.prompt_id for post in history] == ["a", "b"]
    latest = await prompt_posts.latest(db, GUILD)
    assert latest is not None and latest.prompt_id == "b"
    found = await prompt_posts.for_date(db, GUILD, first)
    assert found is not None and found.theme == "t1"
    assert await prompt_posts.for_date(db, GUILD, first + timedelta(days=1)) is None


async def test_prompt_posts_reveal_is_claimed_once(db: Database) -> None:
    """Only the first reveal claim wins; an unsent claim can be undone; a sent one cannot."""
    post_id = await add_post(db, date(2026, 11, 27))
    assert await prompt_posts.claim_reveal(db, post_id, NOW)
    assert not await prompt_posts.claim_reveal(db, post_id, NOW)
    await prompt_posts.unclaim_reveal(db, post_id)
    assert await prompt_posts.claim_reveal(db, post_id, NOW)
    await prompt_posts.set_reveal_message(db, post_id, 4242)
    await prompt_posts.unclaim_reveal(db, post_id)
    post = await prompt_posts.get(db, post_id)
    assert post is not None and post.revealed and post.reveal_message_id == 4242


async def test_circles_join_leave_members(db: Database) -> None:
    """Joining twice is noticed, members are listed in joining order, leaving removes."""
    assert await circles.join(db, GUILD, 2, NOW)
    assert not await circles.join(db, GUILD, 2, NOW)
    assert await circles.join(db, GUILD, 1, NOW + timedelta(seconds=1))
    await circles.join(db, GUILD + 1, 9, NOW)
    assert await circles.members(db, GUILD) == [2, 1]
    assert await circles.is_member(db, GUILD, 1)
    assert await circles.leave(db, GUILD, 1)
    assert not await circles.leave(db, GUILD, 1)
    assert await circles.members(db, GUILD) == [2]


async def test_answers_replace_until_shared(db: Database) -> None:
    """An answer can be replaced before it is shared, never after."""
    post_id = await add_post(db, date(2026, 11, 27))
    assert await answers.save(db, PLAIN, post_id=post_id, guild_id=GUILD, user_id=1, text="first", now=NOW)
    assert await answers.save(db, PLAIN, post_id=post_id, guild_id=GUILD, user_id=1, text="second", now=NOW)
    answer = await answers.get(db, PLAIN, post_id, 1)
    assert answer is not None and answer.text == "second" and answer.shared_at is None
    assert await answers.claim_for_sharing(db, post_id, [1], NOW) == [1]
    assert await answers.claim_for_sharing(db, post_id, [1], NOW) == []
    assert not await answers.save(
        db, PLAIN, post_id=post_id, guild_id=GUILD, user_id=1, text="third", now=NOW
    )
    answer = await answers.get(db, PLAIN, post_id, 1)
    assert answer is not None and answer.text == "second" and answer.shared_at is not None


async def test_answers_listing_and_private_repr(db: Database) -> None:
    """Answers are listed per post, who answered is known without text, and reprs hide the text."""
    post_id = await add_post(db, date(2026, 11, 27))
    await answers.save(db, PLAIN, post_id=post_id, guild_id=GUILD, user_id=1, text="secret words", now=NOW)
    await answers.save(db, PLAIN, post_id=post_id, guild_id=GUILD, user_id=2, text="more", now=NOW)
    assert await answers.answered_user_ids(db, post_id) == {1, 2}
    listed = await answers.for_post(db, PLAIN, post_id)
    assert [answer.user_id for answer in listed] == [1, 2]
    assert "secret" not in repr(listed)


async def test_answers_delete_unshared_for_user(db: Database) -> None:
    """Leaving deletes only the answers that were never shown."""
    shown = await add_post(db, date(2026, 11, 26))
    hidden = await add_post(db, date(2026, 11, 27))
    await answers.save(db, PLAIN, post_id=shown, guild_id=GUILD, user_id=1, text="a", now=NOW)
    await answers.claim_for_sharing(db, shown, [1], NOW)
    await answers.save(db, PLAIN, post_id=hidden, guild_id=GUILD, user_id=1, text="b", now=NOW)
    assert await answers.delete_unshared_for_user(db, GUILD, 1) == 1
    assert await answers.get(db, PLAIN, shown, 1) is not None
    assert await answers.get(db, PLAIN, hidden, 1) is None


async def test_suggestions_review_flow(db: Database) -> None:
    """Suggestions start pending, are reviewed once, and only within their own server."""
    first = await suggestions.add(db, guild_id=GUILD, author_id=1, text="What?", theme="empathy", now=NOW)
    second = await suggestions.add(db, guild_id=GUILD, author_id=2, text="Why?", theme=None, now=NOW)
    assert first.status is SuggestionStatus.PENDING
    assert await suggestions.count_pending(db, GUILD) == 2
    assert not await suggestions.review(db, first.id, GUILD + 1, SuggestionStatus.APPROVED, 9, NOW)
    assert await suggestions.review(db, first.id, GUILD, SuggestionStatus.APPROVED, 9, NOW)
    assert not await suggestions.review(db, first.id, GUILD, SuggestionStatus.REJECTED, 9, NOW)
    approved = await suggestions.with_status(db, GUILD, SuggestionStatus.APPROVED)
    assert [item.id for item in approved] == [first.id]
    pending = await suggestions.with_status(db, GUILD, SuggestionStatus.PENDING, limit=5)
    assert [item.id for item in pending] == [second.id]
    got = await suggestions.get(db, second.id)
    assert got is not None and got.theme is None


async def test_a_day_is_skipped_once_and_only_before_anyone_responds(db: Database) -> None:
    """replace_prompt swaps the prompt once; a second skip, or one after an answer, changes nothing."""
    today = date(2026, 11, 27)
    post = await prompt_posts.get(db, await add_post(db, today))
    assert post is not None
    assert await prompt_posts.replace_prompt(db, post, "validation-02", "validation")
    assert not await prompt_posts.replace_prompt(db, post, "boundaries-03", "boundaries")
    skipped = await prompt_posts.get(db, post.id)
    assert skipped is not None
    assert (skipped.prompt_id, skipped.theme, skipped.skipped_prompt_id) == (
        "validation-02",
        "validation",
        "empathy-01",
    )
    # A card that could not be changed puts the day back as it was.
    await prompt_posts.restore_prompt(db, post)
    restored = await prompt_posts.get(db, post.id)
    assert restored is not None and (restored.prompt_id, restored.skipped_prompt_id) == ("empathy-01", None)

    answered = await prompt_posts.get(db, await add_post(db, today + timedelta(days=1)))
    assert answered is not None
    async with db.transaction() as tx:
        assert await prompt_posts.mark_responded_in(tx, answered.id, "empathy-01")
    assert not await prompt_posts.replace_prompt(db, answered, "validation-02", "validation")


async def test_an_answer_to_a_skipped_prompt_does_not_take_the_day(db: Database) -> None:
    """mark_responded_in refuses the prompt a form showed once a skip replaced it; a pass needs none."""
    post = await prompt_posts.get(db, await add_post(db, date(2026, 11, 27)))
    assert post is not None
    assert await prompt_posts.replace_prompt(db, post, "validation-02", "validation")
    async with db.transaction() as tx:
        assert not await prompt_posts.mark_responded_in(tx, post.id, "empathy-01")
        assert await prompt_posts.mark_responded_in(tx, post.id, "validation-02")
        assert await prompt_posts.mark_responded_in(tx, post.id)


async def test_recent_posts_are_newest_first_and_limited(db: Database) -> None:
    """recent returns the last N days, newest first."""
    start = date(2026, 11, 1)
    for offset in range(5):
        await add_post(db, start + timedelta(days=offset), prompt_id=f"empathy-0{offset + 1}")
    recent = await prompt_posts.recent(db, GUILD, 3)
    assert [post.local_date.day for post in recent] == [5, 4, 3]


async def test_prompt_days_are_kept_when_setup_runs_again(db: Database) -> None:
    """set_weekdays changes the days; saving the configuration again keeps them, as with depth."""
    await prompt_config.save(db, make_config(), NOW)
    assert await prompt_config.set_weekdays(db, GUILD, 0b0011111, NOW)
    again = await prompt_config.save(db, make_config(local_time="08:00"), NOW)
    assert (again.weekdays, again.local_time) == (0b0011111, "08:00")
    assert not await prompt_config.set_weekdays(db, GUILD + 1, 0b0011111, NOW)
