"""Private by default, end to end: a bot started without HEARTH_DATA_KEY never writes a note in plain text."""

from __future__ import annotations

import pytest

from bot.db.connect import connect_database
from bot.fake_discord.driver import Driver
from cogs._checkin_form import FEELINGS_FIELD, NEEDS_FIELD, NOTE_FIELD, SCORE_FIELD
from tests.e2e.conftest import BotRunner, StandardWorld
from tests.privacy.raw import assert_file_hides

pytestmark = pytest.mark.e2e

NOTE = "glimmerfrost: the note nobody else may read"


async def test_first_start_without_a_key_stores_no_note_in_plain_text(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """No key configured: the check-in note is in neither the database file nor its log (raw bytes)."""
    world = standard_world
    bot = await bot_runner.start(hearth_data_key=None)
    assert bot.cipher.has_key
    opened = await driver.invoke_slash(world.general, world.alice, "checkin now")
    assert (await opened.response()).type == 9
    submitted = await driver.submit_modal(
        opened, {SCORE_FIELD: "3", FEELINGS_FIELD: [], NEEDS_FIELD: [], NOTE_FIELD: NOTE}
    )
    assert (await submitted.response()).ephemeral
    await bot_runner.stop()
    db = await connect_database(bot_runner.database_url)
    try:
        await assert_file_hides(db, NOTE, "glimmerfrost")
    finally:
        await db.close()


async def test_privacy_policy_links_the_published_policy(
    bot_runner: BotRunner, driver: Driver, standard_world: StandardWorld
) -> None:
    """/privacy policy links PRIVACY_POLICY_URL; without one it sums the policy up, privately."""
    world = standard_world
    await bot_runner.start(privacy_policy_url="https://example.org/hearth/PRIVACY.md")
    linked = await (await driver.invoke_slash(world.general, world.alice, "privacy policy")).response()
    assert linked.ephemeral and "https://example.org/hearth/PRIVACY.md" in (linked.content or "")
    await bot_runner.restart(privacy_policy_url=None)
    summed = await (await driver.invoke_slash(world.general, world.alice, "privacy policy")).response()
    assert summed.ephemeral and "encrypted" in (summed.content or "")
    assert "</privacy export:" in (summed.content or "")
