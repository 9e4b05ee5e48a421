"""Large exports through the real bot: they stay under the interaction's upload limit, as Discord requires."""

from __future__ import annotations

import io
import json
import random
import zipfile
from datetime import timedelta
from typing import Any

import pytest

from bot.app import HearthBot
from bot.checkins.form import NOTE_LIMIT
from bot.crypto import generate_key
from bot.db.repos.checkins import note_context
from bot.db.timestamps import to_unix
from bot.fake_discord import FakeDiscord
from bot.fake_discord.driver import Driver
from tests.e2e.conftest import BotRunner, StandardWorld

pytestmark = pytest.mark.e2e

# An upper bound for a shared, slow machine, not a speed requirement: the export is deferred and
# Discord allows 15 minutes of followups.
EXPORT_WAIT = 120.0

# Japanese words and an emoji: three and four bytes a character in UTF-8, so 1,000-character notes make
# about 2.9 KB of JSON per check-in, and about 3,600 check-ins pass Discord's 10 MiB.
WORDS = ("今日は", "疲れた", "でも", "話せて", "よかった", "もっと", "一緒に", "いたい", "💛", "ありがとう")


def note(rng: random.Random) -> str:
    """Return a full-length note of everyday words."""
    words: list[str] = []
    while len(" ".join(words)) < NOTE_LIMIT:
        words.append(rng.choice(WORDS))
    return " ".join(words)[:NOTE_LIMIT]


async def seed_checkins(bot: HearthBot, user_id: int, count: int) -> None:
    """Store ``count`` check-ins with full, sealed notes in one transaction (explicit ids keep it cheap)."""
    rng = random.Random(count)
    start = bot.clock.now() - timedelta(days=count)
    rows: list[tuple[Any, ...]] = []
    for checkin_id in range(1, count + 1):
        stamp = to_unix(start + timedelta(days=checkin_id))
        sealed = bot.cipher.seal(note(rng), note_context(checkin_id))
        rows.append((checkin_id, user_id, rng.randint(1, 5), sealed, stamp, stamp))
    async with bot.db.transaction() as tx:
        await tx.execute_many(
            "INSERT INTO checkins (id, user_id, score, feelings, needs, note, source, created_at, updated_at)"
            " VALUES (?, ?, ?, '[\"tired\",\"hopeful\"]', '[\"rest\"]', ?, 'command', ?, ?)",
            rows,
        )


def unzip(data: bytes) -> tuple[str, dict[str, Any]]:
    """Return the one JSON file inside a ZIP export, by name and parsed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        [name] = archive.namelist()
        return name, json.loads(archive.read(name))


async def test_an_export_over_the_upload_limit_arrives_as_one_zip(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, fake_discord: FakeDiscord
) -> None:
    """4,000 check-ins make 11.6 MB of JSON: the export comes zipped, complete, under the limit."""
    bot = await bot_runner.start(hearth_data_key=generate_key())
    alice = standard_world.alice
    await seed_checkins(bot, alice.id, 4000)
    limit = fake_discord.world.attachment_size_limit
    handle = await driver.invoke_slash(standard_world.general, alice, "privacy export")
    assert (await handle.response()).ephemeral
    [followup] = await handle.wait_for_followups(1, timeout=EXPORT_WAIT)
    [file] = followup.files
    assert file.filename == f"hearth-export-{alice.id}.zip"
    assert len(file.data) <= limit
    name, document = unzip(file.data)
    assert name == f"hearth-export-{alice.id}.json"
    assert len(json.dumps(document, ensure_ascii=False, indent=2).encode()) > limit
    items = document["data"]["checkins"]["items"]
    assert [item["id"] for item in items] == list(range(1, 4001))
    assert all(len(item["note"]) == NOTE_LIMIT for item in items)
    assert followup.content is not None and "ZIP" in followup.content
    assert all(message.ephemeral for message in handle.followup_messages())


async def test_an_export_over_the_limit_even_zipped_comes_in_complete_parts(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld, fake_discord: FakeDiscord
) -> None:
    """With a small upload limit the ZIP is split: each part is a valid export, together they hold all."""
    fake_discord.world.attachment_size_limit = limit = 128 * 1024
    bot = await bot_runner.start(hearth_data_key=generate_key())
    alice = standard_world.alice
    await seed_checkins(bot, alice.id, 1500)
    handle = await driver.invoke_slash(standard_world.general, alice, "privacy export")
    await handle.response()
    first = (await handle.wait_for_followups(1, timeout=EXPORT_WAIT))[0]
    # The first file's name says how many parts follow: hearth-export-<id>-part-1-of-<count>.zip.
    count = int(first.files[0].filename.removesuffix(".zip").rsplit("-", 1)[1])
    assert count >= 2
    assert first.content is not None and f"{count} ZIP files" in first.content
    followups = await handle.wait_for_followups(count, timeout=EXPORT_WAIT)
    assert len(followups) == count
    seen: list[int] = []
    for number, followup in enumerate(followups, start=1):
        [file] = followup.files
        assert len(file.data) <= limit
        assert file.filename == f"hearth-export-{alice.id}-part-{number}-of-{count}.zip"
        _, document = unzip(file.data)
        assert document["format"] == "hearth-export" and document["part"] == {"number": number, "of": count}
        seen.extend(item["id"] for item in document["data"]["checkins"].get("items", []))
        if number > 1:
            assert followup.content == f"Part {number} of {count} of your export."
    assert seen == list(range(1, 1501))
    messages = handle.followup_messages()
    assert len(messages) == count and all(message.ephemeral for message in messages)
