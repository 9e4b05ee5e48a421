"""DMs through bot.delivery: refusals are remembered, never retried, and explained on the next command."""

from __future__ import annotations

import pytest

from bot.app import HearthBot
from bot.db.repos import users
from bot.delivery import DM_UNDELIVERABLE_NOTICE, DmUndeliverableError, send_dm
from bot.fake_discord import FakeDiscord
from bot.fake_discord.driver import Driver
from tests.e2e.conftest import StandardWorld

pytestmark = pytest.mark.e2e


async def test_send_dm_reuses_the_stored_dm_channel(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld, fake_discord: FakeDiscord
) -> None:
    """The DM channel is opened once and remembered; mentions are off by default."""
    now = running_bot.clock.now()
    await send_dm(running_bot, running_bot.db, standard_world.alice.id, now, content="one")
    await send_dm(running_bot, running_bot.db, standard_world.alice.id, now, content="two @everyone")
    assert [m.content for m in driver.dms_to(standard_world.alice)] == ["one", "two @everyone"]
    assert all(m.allowed_mentions == {"parse": []} for m in driver.dms_to(standard_world.alice))
    assert len(fake_discord.dm_opens) == 1
    record = await users.get(running_bot.db, standard_world.alice.id)
    assert record is not None and record.dm_channel_id is not None


async def test_send_dm_refused_once_then_never_retried(
    running_bot: HearthBot, standard_world: StandardWorld, fake_discord: FakeDiscord
) -> None:
    """A 50007 marks the person unreachable; later sends fail without another request to Discord."""
    now = running_bot.clock.now()
    for _ in range(3):
        with pytest.raises(DmUndeliverableError):
            await send_dm(running_bot, running_bot.db, standard_world.bob.id, now, content="hello")
    assert len([r for r in fake_discord.requests if r.status == 403]) == 1
    record = await users.get(running_bot.db, standard_world.bob.id)
    assert record is not None and record.dm_undeliverable_since is not None


async def test_next_command_tells_the_person_once(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """After a refused DM, the person's next command is followed by a private notice, only once."""
    with pytest.raises(DmUndeliverableError):
        await send_dm(
            running_bot, running_bot.db, standard_world.bob.id, running_bot.clock.now(), content="hi"
        )
    first = await driver.invoke_slash(standard_world.general, standard_world.bob, "help")
    assert (await first.response()).ephemeral
    await first.wait_for_followups(1)
    notice = first.followups[0]
    assert notice.content == DM_UNDELIVERABLE_NOTICE
    assert notice.flags & 64
    second = await driver.invoke_slash(standard_world.general, standard_world.bob, "help")
    await second.response()
    assert second.followups == []
    assert driver.messages_in(standard_world.general) == []
