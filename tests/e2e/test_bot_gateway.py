"""Gateway resilience of the real bot: dropped sockets, RECONNECT, invalid sessions, replay."""

from __future__ import annotations

import pytest

from bot.app import HearthBot
from bot.fake_discord.driver import Driver
from tests.e2e.conftest import StandardWorld

pytestmark = pytest.mark.e2e


async def help_is_answered(driver: Driver, world: StandardWorld) -> None:
    handle = await driver.invoke_slash(world.general, world.alice, "help")
    response = await handle.response()
    assert (response.type, response.flags) == (4, 64)


@pytest.mark.parametrize("mode", ["abort", "close", "reconnect"])
async def test_bot_resumes_after_the_socket_goes_away(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld, mode: str
) -> None:
    session_before = driver.server.gateway.current_session
    await driver.drop_websocket(mode)
    handshake = await driver.wait_for_identify_or_resume()
    assert handshake.kind == "RESUME" and handshake.accepted
    assert driver.server.gateway.current_session is session_before
    await help_is_answered(driver, standard_world)


async def test_bot_identifies_again_after_an_invalid_session(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    await driver.drop_websocket("invalidate")
    handshake = await driver.wait_for_identify_or_resume()
    assert handshake.kind == "IDENTIFY" and handshake.accepted
    await help_is_answered(driver, standard_world)
    assert running_bot.get_guild(standard_world.guild.id) is not None


async def test_interaction_sent_while_disconnected_is_replayed_on_resume(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    await driver.drop_websocket("abort")
    handle = await driver.invoke_slash(standard_world.general, standard_world.alice, "help")
    handshake = await driver.wait_for_identify_or_resume()
    assert handshake.kind == "RESUME"
    response = await handle.response()
    assert response.type == 4
