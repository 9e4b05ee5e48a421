"""One global pace for scheduled fan-out, so posting to many servers never meets a 429."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from aiolimiter import AsyncLimiter

_scheduled_send: ContextVar[bool] = ContextVar("hearth_scheduled_send", default=False)


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
        # A bucket of one: requests leave one at a time at the given rate, with no burst on top.
        self._limiter = limiter or AsyncLimiter(1, 1 / requests_per_second)
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
