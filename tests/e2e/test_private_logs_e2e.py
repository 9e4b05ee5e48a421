"""Private text never reaches the logs or a public channel during the private flows."""

from __future__ import annotations

import json
import logging

import pytest

from bot.app import HearthBot
from cogs.checkins import FEELINGS_FIELD, NEEDS_FIELD, NOTE_FIELD, SCORE_FIELD
from tests.e2e.conftest import StandardWorld
from tests.e2e.driver import Driver

pytestmark = pytest.mark.e2e

NOTE_MARKER = "logmarker quokkaplinth"


async def test_checkin_note_and_share_stay_out_of_logs(
    running_bot: HearthBot,
    driver: Driver,
    standard_world: StandardWorld,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A check-in note and its shared summary appear in no log record and no public message."""
    world = standard_world
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="cogs")
    opened = await driver.invoke_slash(world.general, world.alice, "checkin now")
    assert (await opened.response()).type == 9
    submitted = await driver.submit_modal(
        opened,
        {SCORE_FIELD: "2", FEELINGS_FIELD: ["anxious"], NEEDS_FIELD: ["space"], NOTE_FIELD: NOTE_MARKER},
    )
    assert (await submitted.response()).ephemeral
    message = submitted.original_message()
    assert message is not None
    [share_id] = [c for c in message.custom_ids() if c.startswith("hearth:checkin:share:")]
    shared = await driver.select(message, share_id, [world.admin], user=world.alice)
    first = await shared.response()
    assert first.ephemeral
    if first.type == 5:
        await shared.wait_for_followups()
    assert len(driver.dms_to(world.admin)) == 1
    for part in NOTE_MARKER.split():
        assert part not in caplog.text
    channels = [driver.world.channels[c] for c in world.guild.channel_ids]
    public = [m for channel in channels for m in driver.messages_in(channel)]
    for m in public:
        assert "quokkaplinth" not in m.content + json.dumps(m.embeds)
