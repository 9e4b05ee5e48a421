"""The check-ins cog's scheduled delivery: closed DMs pause, Discord hiccups retry, nothing else is said."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest.mock import AsyncMock, Mock

import discord
import pytest

from bot.checkins import service
from bot.clock import ManualClock
from bot.content.library import Content, load_content
from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import schedules
from bot.delivery import DmUndeliverableError
from bot.schedule.engine import Occurrence
from bot.schedule.errors import PermanentDeliveryError, TransientDeliveryError
from bot.schedule.recurrence import Recurrence, parse_local_time
from cogs import checkins as cog_module
from cogs.checkins import Checkins

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)


@dataclass
class StandInBot:
    """The parts of HearthBot the cog's delivery uses."""

    db: Database
    clock: ManualClock = field(default_factory=lambda: ManualClock(NOW))
    content: Content = field(default_factory=load_content)
    cipher: DataCipher = field(default_factory=lambda: DataCipher(None))


async def occurrence_for(db: Database, user_id: int | None = 11) -> Occurrence:
    rule = Recurrence(timezone="Asia/Kolkata", local_time=parse_local_time("20:30"))
    schedule = await schedules.upsert_recurring(
        db, kind=service.SCHEDULE_KIND, owner_key="dm_checkin:user:11", rule=rule, now=NOW, user_id=user_id
    )
    return Occurrence(schedule, "s1-2026-11-27", NOW.date(), NOW, timedelta(0))


def http_error(kind: type[discord.HTTPException], status: int, code: int) -> discord.HTTPException:
    return kind(Mock(status=status, reason="x"), {"code": code, "message": "x"})


async def test_deliver_sends_the_buttons_with_the_occurrence_nonce(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check-in DM has 1-5, Later, Not today and Stop, and uses the occurrence key as its nonce."""
    sent = AsyncMock()
    monkeypatch.setattr(cog_module, "send_dm", sent)
    cog = Checkins(StandInBot(db))  # type: ignore[arg-type]
    await cog.deliver(await occurrence_for(db))
    assert sent.await_args is not None
    kwargs: Any = sent.await_args.kwargs
    assert kwargs["nonce"] == "s1-2026-11-27"
    ids = [item.custom_id for item in kwargs["view"].children]
    assert [i.split(":")[3] for i in ids[:7]] == ["1", "2", "3", "4", "5", "later", "skip"]
    assert ids[-1] == "hearth:checkin:stop"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (DmUndeliverableError(11), PermanentDeliveryError),
        (http_error(discord.NotFound, 404, 10013), PermanentDeliveryError),
        (http_error(discord.Forbidden, 403, 50001), PermanentDeliveryError),
        (http_error(discord.DiscordServerError, 503, 0), TransientDeliveryError),
        (TimeoutError(), TransientDeliveryError),
    ],
)
async def test_deliver_classifies_failures(
    db: Database, monkeypatch: pytest.MonkeyPatch, error: Exception, expected: type[Exception]
) -> None:
    """Closed DMs and unknown users pause the schedule; server errors and timeouts are retried."""
    monkeypatch.setattr(cog_module, "send_dm", AsyncMock(side_effect=error))
    cog = Checkins(StandInBot(db))  # type: ignore[arg-type]
    with pytest.raises(expected):
        await cog.deliver(await occurrence_for(db))


async def test_deliver_without_a_user_pauses(db: Database) -> None:
    """A schedule row with no person behind it can never be delivered."""
    cog = Checkins(StandInBot(db))  # type: ignore[arg-type]
    with pytest.raises(PermanentDeliveryError):
        await cog.deliver(await occurrence_for(db, user_id=None))
