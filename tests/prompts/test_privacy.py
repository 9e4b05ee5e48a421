"""Daily prompts in the privacy tools: sealed answers, export, erasure (reveals edited) and server purge."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import cast
from unittest.mock import AsyncMock, MagicMock

import discord

from bot.content.daily_prompts import load_daily_prompt_texts
from bot.content.library import CONTENT_DIR
from bot.crypto import DataCipher, generate_key, is_sealed
from bot.db.database import Database
from bot.db.repos import answers, circles, passes, prompt_config, prompt_posts, schedules, suggestions
from bot.db.repos.prompt_config import PromptConfig
from bot.db.repos.suggestions import SuggestionStatus
from bot.privacy import catalog
from bot.privacy.keys import rotate_data_key
from bot.privacy.registry import ErasureContext
from bot.privacy.sealed import SEALED_COLUMNS
from bot.prompts.posting import owner_key
from bot.prompts.privacy import PROMPTS, RETAINED_ANSWERS, TEXT_COLUMN
from bot.schedule.recurrence import Recurrence
from tests.privacy.raw import assert_file_hides, unsealed_values
from tests.prompts.standin import http_error

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
ALICE, BOB = 1, 2
GUILD, OTHER_GUILD = 111, 222
THREAD, REVEAL, LATE = 5000, 6000, 6001


def new_cipher() -> DataCipher:
    """Return a cipher with a fresh random key."""
    return DataCipher.from_text(generate_key())


async def add_post(db: Database, guild_id: int, day: date, *, thread_id: int | None = None) -> int:
    """Record one posted prompt and return its id."""
    post = await prompt_posts.record(
        db,
        guild_id=guild_id,
        local_date=day,
        prompt_id="empathy-01",
        theme="empathy",
        channel_id=guild_id + 1,
        message_id=999,
        thread_id=thread_id,
        now=NOW,
    )
    assert post is not None
    return post.id


async def answer(
    db: Database, cipher: DataCipher, post_id: int, guild_id: int, user_id: int, text: str
) -> None:
    """Save an answer, asserting it was stored."""
    assert await answers.save(
        db, cipher, post_id=post_id, guild_id=guild_id, user_id=user_id, text=text, now=NOW
    )


def fake_message(error: Exception | None = None) -> MagicMock:
    """Return a partial message whose edits and deletion are recorded (or fail with ``error``)."""
    message = MagicMock(spec=discord.PartialMessage)
    message.edit = AsyncMock(side_effect=error)
    message.delete = AsyncMock(side_effect=error)
    return message


def fake_client(messages: dict[tuple[int, int], MagicMock]) -> discord.Client:
    """Return a bot whose channels hand out the given (channel id, message id) partial messages.

    It has no fetch_message: erasure must work by message id alone, without Read Message History.
    """

    def channel(channel_id: int) -> MagicMock:
        partial = MagicMock(spec=["get_partial_message"])
        partial.get_partial_message.side_effect = lambda message_id: messages[(channel_id, message_id)]
        return partial

    client = MagicMock(spec=["get_partial_messageable", "content"])
    client.get_partial_messageable.side_effect = channel
    client.content.daily_prompts = load_daily_prompt_texts(CONTENT_DIR / "daily_prompts.toml")
    return cast("discord.Client", client)


def test_prompts_are_registered_in_the_catalog() -> None:
    """The answer column is sealed, answers expire by retention, and erasure runs before the foundation."""
    assert TEXT_COLUMN in SEALED_COLUMNS
    assert RETAINED_ANSWERS in catalog.RETAINED
    names = [aggregate.name for aggregate in catalog.AGGREGATES]
    assert names.index("prompts") < names.index("profile")


async def test_answers_are_sealed_in_the_database_file(db: Database) -> None:
    """With a key, answer text is unreadable in the raw file, and reads back opened."""
    cipher = new_cipher()
    post_id = await add_post(db, GUILD, date(2026, 11, 27))
    secret = "the-answer-nobody-should-grep-5521"
    await answer(db, cipher, post_id, GUILD, ALICE, secret)
    await assert_file_hides(db, secret)
    assert await unsealed_values(db, [TEXT_COLUMN]) == []
    stored = await answers.get(db, cipher, post_id, ALICE)
    assert stored is not None and stored.text == secret
    row = await db.fetch_one("SELECT text FROM prompt_answers WHERE post_id = ?", (post_id,))
    assert row is not None and is_sealed(str(row["text"]))


async def test_export_holds_own_answers_circles_and_suggestions(db: Database) -> None:
    """The export opens the person's answers in every server, with circles and suggestions; no one else's."""
    cipher = new_cipher()
    first = await add_post(db, GUILD, date(2026, 11, 26))
    second = await add_post(db, OTHER_GUILD, date(2026, 11, 27))
    await answer(db, cipher, first, GUILD, ALICE, "mine, here")
    await answer(db, cipher, second, OTHER_GUILD, ALICE, "mine, there")
    await answer(db, cipher, first, GUILD, BOB, "bob's")
    await answers.claim_for_sharing(db, first, [ALICE], NOW)
    await circles.join(db, GUILD, ALICE, NOW)
    await circles.join(db, GUILD, BOB, NOW)
    await suggestions.add(
        db, guild_id=GUILD, author_id=ALICE, text="What made you laugh?", theme=None, now=NOW
    )
    await suggestions.add(db, guild_id=GUILD, author_id=BOB, text="Bob's idea", theme=None, now=NOW)
    assert PROMPTS.export_user is not None
    data = await PROMPTS.export_user(db, cipher, ALICE)
    assert [item["text"] for item in data["answers"]] == ["mine, here", "mine, there"]
    assert data["answers"][0]["server_id"] == str(GUILD) and data["answers"][0]["shared_at"] is not None
    assert data["answers"][1]["shared_at"] is None
    assert data["circles"] == [{"server_id": str(GUILD), "joined_at": "2026-11-27T12:00:00Z"}]
    [suggested] = data["suggestions"]
    assert (suggested["text"], suggested["status"]) == ("What made you laugh?", "pending")
    assert await PROMPTS.export_user(db, cipher, 77) == {}


async def test_delete_erases_the_persons_records_only(db: Database) -> None:
    """Erasure removes the person's answers, passes, circle places, suggestions and reviewer name."""
    cipher = new_cipher()
    post_id = await add_post(db, GUILD, date(2026, 11, 27))
    await answer(db, cipher, post_id, GUILD, ALICE, "mine")
    await answer(db, cipher, post_id, GUILD, BOB, "bob's")
    await circles.join(db, GUILD, ALICE, NOW)
    await circles.join(db, GUILD, BOB, NOW)
    other_post = await add_post(db, GUILD, date(2026, 11, 28))
    async with db.transaction() as tx:
        for user_id in (ALICE, BOB):
            await passes.add_in(tx, post_id=other_post, guild_id=GUILD, user_id=user_id, now=NOW)
    await suggestions.add(db, guild_id=GUILD, author_id=ALICE, text="Mine?", theme=None, now=NOW)
    bobs = await suggestions.add(db, guild_id=GUILD, author_id=BOB, text="Bob's?", theme=None, now=NOW)
    assert await suggestions.review(db, bobs.id, GUILD, SuggestionStatus.APPROVED, ALICE, NOW)
    assert PROMPTS.delete_user is not None
    counts = await PROMPTS.delete_user(db, ALICE, ErasureContext(None, cipher, NOW))
    assert counts == {"answers": 1, "passes": 1, "circle_memberships": 1, "suggestions": 1}
    assert await passes.passed_user_ids(db, other_post) == {BOB}
    assert await answers.get(db, cipher, post_id, ALICE) is None
    kept = await answers.get(db, cipher, post_id, BOB)
    assert kept is not None and kept.text == "bob's"
    assert await circles.members(db, GUILD) == [BOB]
    assert [
        item.author_id for item in await suggestions.with_status(db, GUILD, SuggestionStatus.APPROVED)
    ] == [BOB]
    row = await db.fetch_one("SELECT reviewed_by FROM prompt_suggestions WHERE id = ?", (bobs.id,))
    assert row is not None and row["reviewed_by"] is None
    again = await PROMPTS.delete_user(db, ALICE, ErasureContext(None, cipher, NOW))
    assert sum(again.values()) == 0


async def test_delete_removes_the_answer_from_reveal_messages(db: Database) -> None:
    """The reveal is re-rendered with the others' answers; a message only theirs goes; a gone one is fine."""
    cipher = DataCipher(None)
    shown = await add_post(db, GUILD, date(2026, 11, 26), thread_id=THREAD)
    late = await add_post(db, GUILD, date(2026, 11, 27), thread_id=THREAD)
    gone = await add_post(db, OTHER_GUILD, date(2026, 11, 27))
    for post_id, guild_id in ((shown, GUILD), (late, GUILD), (gone, OTHER_GUILD)):
        await answer(db, cipher, post_id, guild_id, ALICE, "alice's words")
        await answer(db, cipher, post_id, guild_id, BOB, f"bob's words <@{ALICE}>")
    await answers.claim_for_sharing(db, shown, [ALICE, BOB], NOW)
    await answers.record_places(db, shown, {ALICE: (THREAD, REVEAL), BOB: (THREAD, REVEAL)})
    await answers.claim_for_sharing(db, late, [ALICE], NOW)
    await answers.record_places(db, late, {ALICE: (THREAD, LATE)})
    await answers.claim_for_sharing(db, gone, [ALICE], NOW)
    await answers.record_places(db, gone, {ALICE: (OTHER_GUILD + 1, 42)})
    reveal, added = fake_message(), fake_message()
    vanished = fake_message(http_error(discord.NotFound, 404, 10008))
    client = fake_client({(THREAD, REVEAL): reveal, (THREAD, LATE): added, (OTHER_GUILD + 1, 42): vanished})
    assert PROMPTS.delete_user is not None
    counts = await PROMPTS.delete_user(db, ALICE, ErasureContext(client, cipher, NOW))
    assert counts["answers"] == 3
    reveal.edit.assert_awaited_once()
    [kept] = reveal.edit.await_args.kwargs["embeds"]
    assert kept.description == f"<@{BOB}> shared:\nbob's words <@{ALICE}>"
    assert reveal.edit.await_args.kwargs["allowed_mentions"].users is False
    reveal.delete.assert_not_awaited()
    added.delete.assert_awaited_once()
    added.edit.assert_not_awaited()
    vanished.delete.assert_awaited_once()
    assert await answers.get(db, cipher, shown, BOB) is not None


async def test_delete_finds_reveals_shared_before_places_were_recorded(db: Database) -> None:
    """An answer shared without a recorded message points at its post's reveal message."""
    post_id = await add_post(db, GUILD, date(2026, 11, 27), thread_id=THREAD)
    await answer(db, DataCipher(None), post_id, GUILD, ALICE, "old answer")
    await answers.claim_for_sharing(db, post_id, [ALICE], NOW)
    assert await answers.shown_of_user(db, ALICE) == []
    await prompt_posts.set_reveal_message(db, post_id, REVEAL)
    [place] = await answers.shown_of_user(db, ALICE)
    assert (place.post_id, place.channel_id, place.message_id) == (post_id, THREAD, REVEAL)


async def seed_guild(db: Database, cipher: DataCipher, guild_id: int) -> int:
    """Give a server a prompt configuration, schedule, post, answer, circle and suggestion."""
    config = PromptConfig(
        guild_id, guild_id + 1, "19:30", "Europe/London", None, True, "any", False, None, ALICE
    )
    await prompt_config.save(db, config, NOW)
    await schedules.upsert_recurring(
        db,
        kind="daily_prompt",
        owner_key=owner_key(guild_id),
        rule=Recurrence("Europe/London", time(19, 30)),
        now=NOW,
        guild_id=guild_id,
    )
    post_id = await add_post(db, guild_id, date(2026, 11, 27))
    await answer(db, cipher, post_id, guild_id, ALICE, "words")
    await circles.join(db, guild_id, ALICE, NOW)
    await suggestions.add(db, guild_id=guild_id, author_id=ALICE, text="Why?", theme=None, now=NOW)
    return post_id


async def test_purge_removes_one_servers_prompt_data(db: Database) -> None:
    """Purging a server deletes its settings, schedule, posts, answers, circle, suggestions; others stay."""
    cipher = new_cipher()
    await seed_guild(db, cipher, GUILD)
    other_post = await seed_guild(db, cipher, OTHER_GUILD)
    assert PROMPTS.purge_guild is not None
    counts = await PROMPTS.purge_guild(db, GUILD)
    assert counts == {
        "prompt_schedules": 1,
        "answers": 1,
        "prompt_posts": 1,
        "prompt_configs": 1,
        "circle_memberships": 1,
        "suggestions": 1,
    }
    assert await prompt_config.get(db, GUILD) is None
    assert await schedules.get_by_owner_key(db, owner_key(GUILD)) is None
    assert await prompt_posts.latest(db, GUILD) is None
    assert await circles.members(db, GUILD) == []
    assert await suggestions.count_pending(db, GUILD) == 0
    assert await prompt_config.get(db, OTHER_GUILD) is not None
    assert await schedules.get_by_owner_key(db, owner_key(OTHER_GUILD)) is not None
    kept = await answers.get(db, cipher, other_post, ALICE)
    assert kept is not None and kept.text == "words"
    assert await circles.members(db, OTHER_GUILD) == [ALICE]
    assert await suggestions.count_pending(db, OTHER_GUILD) == 1


async def test_rotating_the_key_keeps_answers_readable(db: Database) -> None:
    """Key rotation re-seals answers under their two-column key, and they open with the new key only."""
    old, new = new_cipher(), new_cipher()
    post_id = await add_post(db, GUILD, date(2026, 11, 27))
    await answer(db, old, post_id, GUILD, ALICE, "rotated words")
    await answer(db, DataCipher(None), post_id, GUILD, BOB, "plain before the key")
    assert await rotate_data_key(db, old, new, SEALED_COLUMNS) == 2
    assert [item.text for item in await answers.for_post(db, new, post_id)] == [
        "rotated words",
        "plain before the key",
    ]
    assert await unsealed_values(db, [TEXT_COLUMN]) == []
