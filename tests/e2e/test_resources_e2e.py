"""/resources and the gentle pointer after a check-in note, through the real bot on the fake Discord."""

from __future__ import annotations

import json
import logging

import pytest

from bot.app import HearthBot
from bot.db.repos import checkins
from bot.fake_discord.driver import Driver
from bot.fake_discord.interactions import InteractionHandle
from bot.fake_discord.world import Channel, Message, User
from cogs._checkin_form import FEELINGS_FIELD, NEEDS_FIELD, NOTE_FIELD, SCORE_FIELD
from tests.e2e.conftest import StandardWorld

pytestmark = pytest.mark.e2e

# A note with a danger phrase, and a marker word to look for in logs and messages.
DANGER_NOTE = "zephyrquill  some nights I want to\u200b DIE"
CALM_NOTE = "zephyrquill a long walk and a good dinner"


def public_messages(driver: Driver, world: StandardWorld) -> list[Message]:
    """Return every non-ephemeral message in the server's channels."""
    channels = [driver.world.channels[c] for c in world.guild.channel_ids]
    return [m for channel in channels for m in driver.messages_in(channel)]


def text_of(message: Message) -> str:
    """Return everything a message shows as one string."""
    return message.content + json.dumps(message.embeds) + json.dumps(message.components)


async def check_in(
    driver: Driver, channel: Channel, user: User, *, score: str, note: str
) -> InteractionHandle:
    """Run /checkin now and submit the form with ``note``."""
    opened = await driver.invoke_slash(channel, user, "checkin now")
    assert (await opened.response()).type == 9
    return await driver.submit_modal(
        opened, {SCORE_FIELD: score, FEELINGS_FIELD: ["tired"], NEEDS_FIELD: ["space"], NOTE_FIELD: note}
    )


async def test_resources_without_a_country_lists_the_directory_and_countries(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """Latin-American Spanish names no one country: only the asker sees the directory and the countries."""
    handle = await driver.invoke_slash(
        standard_world.general, standard_world.alice, "resources", locale="es-419"
    )
    response = await handle.response()
    assert response.type == 4 and response.ephemeral
    text = json.dumps(response.embeds, ensure_ascii=False)
    assert "findahelpline.com" in text and "emergency" in text and "last verified" in text
    for country in running_bot.content.resources.countries:
        assert country.name in text
    assert driver.messages_in(standard_world.general) == []


async def test_resources_for_a_country_in_dms_shows_its_dated_lines(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """Picked by code in DMs: the directory plus that country's lines, dated or marked unconfirmed."""
    dm = driver.dm_channel(standard_world.alice)
    handle = await driver.invoke_slash(dm, standard_world.alice, "resources", {"country": "GB"})
    response = await handle.response()
    assert response.ephemeral
    [embed] = response.embeds
    names = [field["name"] for field in embed["fields"]]
    assert names == [
        "Find A Helpline",
        "Samaritans",
        "National Domestic Abuse Helpline",
        "Men's Advice Line",
        "Childline",
    ]
    values = [field["value"] for field in embed["fields"]]
    assert all("last verified" in value for value in values[:3])
    assert all("not yet confirmed from the service's own site" in value for value in values[3:])
    assert "the emergency number is 999 or 112" in embed["description"]
    assert "116 123" in json.dumps(embed) and "0808 2000 247" in json.dumps(embed)


@pytest.mark.parametrize(
    ("locale", "country", "emergency"), [("de", "Germany", "112"), ("es-ES", "España", "112")]
)
async def test_resources_default_to_the_country_of_the_askers_language(
    running_bot: HearthBot,
    driver: Driver,
    standard_world: StandardWorld,
    locale: str,
    country: str,
    emergency: str,
) -> None:
    """No country given: German shows Germany's lines, Spanish from Spain Spain's, emergency number first."""
    handle = await driver.invoke_slash(
        standard_world.general, standard_world.alice, "resources", locale=locale
    )
    response = await handle.response()
    assert response.ephemeral
    [embed] = response.embeds
    assert embed["title"].endswith(country) or country in embed["title"]
    assert f"the emergency number is {emergency}" in embed["description"]
    assert f"Not in {country}" in embed["description"]


async def test_unknown_country_is_answered_kindly_and_autocomplete_offers_matches(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """An unknown country gets a private, mention-free note; autocomplete matches names and codes."""
    world = standard_world
    handle = await driver.invoke_slash(
        world.general, world.alice, "resources", {"country": "@everyone Narnia"}
    )
    response = await handle.response()
    assert response.ephemeral and response.embeds == []
    assert "Narnia" in (response.content or "") and "Find A Helpline" in (response.content or "")
    assert response.allowed_mentions == {"parse": []}
    assert driver.messages_in(world.general) == []
    suggestions = await driver.invoke_autocomplete(
        world.general, world.alice, "resources", {"country": "zeal"}, focused="country"
    )
    await suggestions.response()
    assert suggestions.choices is not None
    assert [c["value"] for c in suggestions.choices] == ["NZ"]


async def test_danger_note_brings_a_private_pointer_never_logged_or_shared(
    running_bot: HearthBot,
    driver: Driver,
    standard_world: StandardWorld,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The ephemeral reply points gently to /resources; no log, channel post or shared summary shows it."""
    world = standard_world
    # As in test_private_logs_e2e: all of ours, discord.py from INFO (its DEBUG echoes raw payloads).
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="cogs")
    pointer_start = running_bot.content.resources.safety.message.split("{")[0].strip()[:40]
    submitted = await check_in(driver, world.general, world.alice, score="4", note=DANGER_NOTE)
    reply = await submitted.response()
    assert reply.type == 4 and reply.ephemeral
    assert pointer_start in (reply.content or "")
    assert "resources" in (reply.content or "")
    message = submitted.original_message()
    assert message is not None
    [share_id] = [c for c in message.custom_ids() if c.startswith("hearth:checkin:share:")]
    shared = await driver.select(message, share_id, [world.admin], user=world.alice)
    first = await shared.response()
    if first.type == 5:
        await shared.wait_for_followups()
    [summary] = driver.dms_to(world.admin)
    assert pointer_start not in text_of(summary) and "resources" not in text_of(summary)
    assert "zephyrquill" not in text_of(summary) and "DIE" not in text_of(summary)
    assert public_messages(driver, world) == []
    logged = caplog.text.casefold()
    for forbidden in ("zephyrquill", "want to", "safety", "danger", "pointer", pointer_start.casefold()):
        assert forbidden not in logged
    [saved] = await checkins.list_for_user(running_bot.db, world.alice.id)
    note = running_bot.cipher.open_optional(saved.note, checkins.note_context(saved.id))
    assert note == DANGER_NOTE.strip() and saved.score == 4


async def test_the_pointer_comes_first_and_names_the_lines_of_the_persons_country(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """en-GB brings the United Kingdom's lines at the top; a bare language brings the general pointer."""
    world = standard_world
    resources = running_bot.content.resources
    pointer_start = resources.safety.message.split("{")[0].strip()[:40]
    world.alice.locale = "en-GB"
    reply = await (await check_in(driver, world.general, world.alice, score="3", note=DANGER_NOTE)).response()
    text = reply.content or ""
    assert text.startswith(pointer_start)
    assert "United Kingdom" in text and "116 123" in text
    world.alice.locale = "fr"
    reply = await (await check_in(driver, world.general, world.alice, score="3", note=DANGER_NOTE)).response()
    text = reply.content or ""
    assert text.startswith(pointer_start)
    assert "United Kingdom" not in text and "France" not in text


async def test_calm_note_gets_no_pointer_unless_the_score_is_low(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """A calm note at 4 mentions no help lines; at 2 only the usual low-score line does."""
    world = standard_world
    message_start = running_bot.content.resources.safety.message.split("{")[0].strip()[:40]
    calm = await (await check_in(driver, world.general, world.alice, score="4", note=CALM_NOTE)).response()
    assert calm.ephemeral and "resources" not in (calm.content or "")
    low = await (await check_in(driver, world.general, world.alice, score="2", note=CALM_NOTE)).response()
    assert "resources" in (low.content or "") and message_start not in (low.content or "")
