"""How a failed send is classified, everywhere Hearth sends."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest.mock import AsyncMock, MagicMock, Mock

import aiohttp
import discord
import pytest

from bot.db.database import Database
from bot.db.repos import users
from bot.delivery import (
    ChannelUnavailableError,
    DmUndeliverableError,
    SendFailure,
    channel_error,
    dm_error,
    failure_of,
    require_opt_in_dm,
)
from bot.errors import InvalidInputError
from bot.schedule.errors import PermanentDeliveryError, TransientDeliveryError


def http_error(kind: type[discord.HTTPException], status: int, code: int) -> discord.HTTPException:
    return kind(Mock(status=status, reason="x"), {"code": code, "message": "x"})


@pytest.mark.parametrize(
    ("error", "failure"),
    [
        (http_error(discord.Forbidden, 403, 50007), SendFailure.DMS_CLOSED),
        (http_error(discord.HTTPException, 400, 50278), SendFailure.DMS_CLOSED),
        (DmUndeliverableError(1), SendFailure.DMS_CLOSED),
        (http_error(discord.NotFound, 404, 10003), SendFailure.CHANNEL_GONE),
        (http_error(discord.NotFound, 404, 0), SendFailure.CHANNEL_GONE),
        (http_error(discord.Forbidden, 403, 50001), SendFailure.NO_ACCESS),
        (http_error(discord.Forbidden, 403, 50013), SendFailure.NO_ACCESS),
        (http_error(discord.DiscordServerError, 500, 0), SendFailure.TRANSIENT),
        (http_error(discord.DiscordServerError, 503, 0), SendFailure.TRANSIENT),
        (http_error(discord.HTTPException, 429, 0), SendFailure.TRANSIENT),
        (aiohttp.ClientConnectionError(), SendFailure.TRANSIENT),
        (aiohttp.ServerTimeoutError(), SendFailure.TRANSIENT),
        (TimeoutError(), SendFailure.TRANSIENT),
    ],
)
def test_every_failure_has_one_meaning(error: BaseException, failure: SendFailure) -> None:
    """Discord's codes, HTTP statuses and network faults each mean one thing for the next send."""
    assert failure_of(error) is failure


def test_a_channel_that_is_gone_or_closed_pauses_and_anything_else_retries() -> None:
    """Gone: ``missing`` is None; no access: an empty list; 5xx and network: transient."""
    gone = channel_error(http_error(discord.NotFound, 404, 10003))
    assert isinstance(gone, ChannelUnavailableError) and gone.missing is None
    assert gone.reason == "channel missing (10003)"
    closed = channel_error(http_error(discord.Forbidden, 403, 50013))
    assert isinstance(closed, ChannelUnavailableError) and closed.missing == []
    assert isinstance(channel_error(http_error(discord.DiscordServerError, 500, 0)), TransientDeliveryError)
    timeout = channel_error(TimeoutError())
    assert isinstance(timeout, TransientDeliveryError) and timeout.reason == "network error (TimeoutError)"


def test_a_scheduled_dm_retries_on_the_network_and_pauses_when_refused() -> None:
    """A timeout is worth another try; a refusal is not, and a refusal already recorded stays itself."""
    assert isinstance(dm_error(aiohttp.ClientConnectionError()), TransientDeliveryError)
    assert isinstance(dm_error(http_error(discord.DiscordServerError, 502, 0)), TransientDeliveryError)
    refused = dm_error(http_error(discord.Forbidden, 403, 50001))
    assert isinstance(refused, PermanentDeliveryError) and not isinstance(refused, TransientDeliveryError)
    undeliverable = DmUndeliverableError(7)
    assert dm_error(undeliverable) is undeliverable


NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def client_whose_dm_raises(error: BaseException) -> MagicMock:
    """A client whose DM channel to anyone fails with ``error``."""
    channel = MagicMock()
    channel.id = 555
    channel.send = AsyncMock(side_effect=error)
    user = MagicMock()
    user.create_dm = AsyncMock(return_value=channel)
    client = MagicMock(spec=discord.Client)
    client.get_user.return_value = user
    return client


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (http_error(discord.Forbidden, 403, 50007), "closed"),
        (http_error(discord.DiscordServerError, 503, 0), "failed"),
        (aiohttp.ClientConnectionError(), "failed"),
        (TimeoutError(), "failed"),
    ],
)
async def test_the_opt_in_dm_refuses_with_the_reason_it_did_not_arrive(
    db: Database, error: BaseException, expected: str
) -> None:
    """Closed DMs and a passing fault get different replies; only a refusal marks the person unreachable."""
    with pytest.raises(InvalidInputError) as refused:
        await require_opt_in_dm(
            client_whose_dm_raises(error), db, 42, NOW, refused="closed", failed="failed", content="Hi"
        )
    assert refused.value.message == expected
    record = await users.get(db, 42)
    unreachable = record is not None and record.dm_undeliverable_since is not None
    assert unreachable is (expected == "closed")
