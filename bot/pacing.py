"""One global pace for scheduled fan-out, so posting to many servers never meets a 429."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from aiolimiter import AsyncLimiter

_scheduled_send: ContextVar[bool] = ContextVar("hearth_scheduled_send", default=False)
# Requests the pacer lets through back to back after a pause: one, plus one of slack.
PACER_BURST = 2


@contextmanager
def scheduled_sending() -> Iterator[None]:
    """Mark the REST requests made inside this block as scheduled fan-out, to be paced."""
    token = _scheduled_send.set(True)
    try:
        yield
    finally:
        _scheduled_send.reset(token)


class _Limiter(Protocol):
    async def acquire(self, amount: float = 1) -> None: ...


class OutboundPacer:
    """Spaces scheduled REST requests evenly below Discord's global limit of 50 per second.

    Interactive replies are not paced: they are made outside
    :func:`scheduled_sending`, and interaction callbacks do not count towards
    the global limit anyway.
    """

    def __init__(self, requests_per_second: float, *, limiter: _Limiter | None = None) -> None:
        # A bucket of two at the given rate: at most 2 + rate x T requests in any T seconds (47 in a
        # second at 45/s). With a bucket of one, every late wake-up of the event loop was lost for good
        # and the pace sagged to ~42/s; the second slot absorbs that lateness (up to 1/rate s).
        self._limiter = limiter or AsyncLimiter(PACER_BURST, PACER_BURST / requests_per_second)
        self.paced_requests = 0

    async def wait_turn(self) -> None:
        """Wait for a slot when called from scheduled fan-out; return at once otherwise."""
        if _scheduled_send.get():
            await self._limiter.acquire()
            self.paced_requests += 1

    def install(self, http: Any) -> None:
        """Make every request of discord.py's HTTP client (``client.http``) wait its turn first."""
        original: Callable[..., Awaitable[Any]] = http.request

        @functools.wraps(original)
        async def paced_request(*args: Any, **kwargs: Any) -> Any:
            await self.wait_turn()
            return await original(*args, **kwargs)

        http.request = paced_request
