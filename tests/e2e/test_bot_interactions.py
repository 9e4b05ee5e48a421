"""Interactions through the real bot: deadlines, ephemeral flags, mentions, double responses."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from bot.app import HearthBot
from bot.fake_discord import FakeDiscord
from bot.fake_discord.driver import Driver
from tests.e2e.conftest import StandardWorld

pytestmark = pytest.mark.e2e


async def test_help_answers_ephemerally_within_the_deadline(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    handle = await driver.invoke_slash(standard_world.general, standard_world.alice, "help")
    response = await handle.response(timeout=3)
    assert response.type == 4
    assert response.flags == 64
    assert response.elapsed < 3
    assert response.allowed_mentions == {"parse": []}
    assert response.embeds, "help is an embed"
    message = handle.original_message()
    assert message is not None and message.ephemeral
    assert message.visible_to == standard_world.alice.id
    assert message.mentions == [] and not message.mention_everyone
    assert driver.messages_in(standard_world.general) == [], "ephemeral replies are not public messages"


async def test_help_works_in_a_dm_with_the_bot(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    dm = driver.dm_channel(standard_world.alice)
    handle = await driver.invoke_slash(dm, standard_world.alice, "help")
    response = await handle.response()
    assert (response.type, response.flags) == (4, 64)
    assert handle.payload["context"] == 1
    assert "member" not in handle.payload and handle.payload["user"]["id"] == str(standard_world.alice.id)
    embed = response.embeds[0]
    listed = "\n".join(field["value"] for field in embed.get("fields", []))
    assert "this server" not in embed["description"]
    assert "check-ins" in embed["description"]
    # Only what can be run here: the server's prompts and its setup are not offered in a DM.
    assert "checkin now" in listed and "privacy export" in listed
    assert "prompt answer" not in listed and "setup prompts" not in listed


async def test_second_initial_response_is_40060(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld, fake_discord: FakeDiscord
) -> None:
    handle = await driver.invoke_slash(standard_world.general, standard_world.alice, "help")
    await handle.response()
    # A second Interaction object for the same event (as after a replayed dispatch) answers again.
    payload: Any = handle.payload
    again: discord.Interaction[HearthBot] = discord.Interaction(data=payload, state=running_bot._connection)
    with pytest.raises(discord.HTTPException) as caught:
        await again.response.send_message("twice", ephemeral=True)
    assert caught.value.status == 400
    assert caught.value.code == 40060
    assert caught.value.text == "Interaction has already been acknowledged."
    assert [(a.status, a.error_code) for a in handle.attempts] == [(200, None), (400, 40060)]


async def test_an_unanswered_interaction_fails_with_a_clear_message(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Hearth answers every click; a store that drops them stands in for a bot that doesn't.
    monkeypatch.setattr(running_bot._connection._view_store, "dispatch_view", lambda *args: None)
    stale = driver.seed_message(
        standard_world.general,
        content="A button from a view the bot never registered",
        components=[
            {"type": 1, "components": [{"type": 2, "style": 1, "label": "Old", "custom_id": "gone"}]}
        ],
    )
    handle = await driver.click_button(stale, "gone", user=standard_world.alice)
    handle.expect_no_response()
    with pytest.raises(AssertionError, match=r"component 'gone' .* got no initial response within 0\.3 s"):
        await handle.response(timeout=0.3)
