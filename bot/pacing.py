"""One request budget per bot token: every process paces its share of Discord's global limit.

Discord's global limit (50 requests/s) belongs to the token, whatever the number of processes. Hearth
splits ``SCHEDULED_SEND_RATE`` (the token's total) statically: a process running ``k`` of
``SHARD_COUNT`` shards paces at ``total × k / SHARD_COUNT``. Everything a process sends counts
against its share: scheduled posts, the DMs it happens to claim (no shard owns them, so each process
spends part of its own share on them), posts made in answer to an interaction (gratitude cards,
reveals), and discord.py's own start-up requests. Interaction responses and followups
(``/interactions/…``, ``/webhooks/…``) are exempt from the global limit and are not paced.

Scheduled fan-out waits in line; any other request goes ahead of it, so a card posted from a button
press never waits behind ten thousand prompts, but still takes its slot from the same budget.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from bot.schedule.shards import ShardScope

_scheduled_send: ContextVar[bool] = ContextVar("hearth_scheduled_send", default=False)
# How late (in slots) a request may take its slot without losing it. A late wake-up of the event loop
# is absorbed up to half a slot (21 ms at 23/s), and any one second holds at most rate + 1.5 requests:
# two processes at 23/s stay at 48 in any second, two under Discord's 50.
PACER_TOLERANCE_SLOTS = 0.5
# Routes Discord exempts from the global limit: interaction callbacks and followup webhooks.
EXEMPT_PATH_PREFIXES = ("/interactions/", "/webhooks/")


@contextmanager
def scheduled_sending() -> Iterator[None]:
    """Mark the REST requests made inside this block as scheduled fan-out, to be paced behind others."""
    token = _scheduled_send.set(True)
    try:
        yield
    finally:
        _scheduled_send.reset(token)


def is_scheduled_send() -> bool:
    """Return whether the current task is inside :func:`scheduled_sending`."""
    return _scheduled_send.get()


def is_exempt_path(path: str) -> bool:
    """Return whether a route (``/channels/…``, no API base) is exempt from the global limit."""
    return path.startswith(EXEMPT_PATH_PREFIXES)


def process_share(total: float, shards: ShardScope | None) -> float:
    """Return the requests per second this process may send: its shards' share of the token's total."""
    if shards is None:
        return total
    return total * len(shards.ids) / shards.count


class RequestBudget:
    """A paced budget of requests per second (GCRA), with a queue for scheduled sends.

    Each request takes the next free slot; slots are ``1/rate`` apart and a request may take one up
    to ``tolerance`` slots early, so a late wake-up does not lose its slot. Scheduled sends wait for
    their slot one at a time and re-check after sleeping, so a request of higher priority that arrived
    meanwhile takes the slot first. ``slowdown`` (≥ 1) stretches the slots of scheduled sends only.
    """

    def __init__(
        self,
        rate: float,
        *,
        tolerance_slots: float = PACER_TOLERANCE_SLOTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0:
            raise ValueError("the rate must be positive")
        self.rate = rate
        self._interval = 1.0 / rate
        self._tolerance = tolerance_slots * self._interval
        self._clock = clock
        self._tat = 0.0
        self._scheduled_line = asyncio.Lock()
        self.slowdown = 1.0
        self.paced_requests = 0

    def _take(self, cost: float) -> float:
        """Take the next slot if it is due now (return 0), else return how long until it is."""
        now = self._clock()
        slot = max(self._tat, now)
        wait = slot - self._tolerance - now
        # A microsecond early is on time: float sums of slots would otherwise sleep for nothing.
        if wait > 1e-6:
            return wait
        self._tat = slot + cost
        return 0.0

    async def acquire_scheduled(self) -> None:
        """Wait in line for a slot for a scheduled send."""
        async with self._scheduled_line:
            while (wait := self._take(self._interval * self.slowdown)) > 0:
                await asyncio.sleep(wait)
        self.paced_requests += 1

    async def acquire_priority(self) -> None:
        """Reserve the next slot at once and wait for it (ahead of scheduled sends still in line)."""
        now = self._clock()
        slot = max(self._tat, now)
        self._tat = slot + self._interval
        self.paced_requests += 1
        wait = slot - self._tolerance - now
        if wait > 0:
            await asyncio.sleep(wait)

    async def acquire(self) -> None:
        """Wait for a slot: in line behind others for scheduled sends, ahead of them otherwise."""
        if is_scheduled_send():
            await self.acquire_scheduled()
        else:
            await self.acquire_priority()

    def hold(self, seconds: float) -> None:
        """Give out no slot for ``seconds`` (after a global 429, which stops every request)."""
        self._tat = max(self._tat, self._clock() + seconds + self._tolerance)


class OutboundPacer:
    """Holds the process's budget and hooks discord.py's HTTP client so its session waits for slots.

    The wait happens where a request goes on the wire (see :mod:`bot.ratelimits`), after
    discord.py's own per-route bucket: a bucket that reopens then releases its waiting requests
    exactly as it would without pacing, and only their sends are spaced.
    """

    def __init__(self, requests_per_second: float, *, budget: RequestBudget | None = None) -> None:
        self.budget = budget or RequestBudget(requests_per_second)

    @property
    def paced_requests(self) -> int:
        """Return how many requests took a slot so far."""
        return self.budget.paced_requests

    async def wait_turn(self, path: str) -> None:
        """Wait for a slot unless ``path`` (a route after the API base) is exempt from the global limit."""
        if not is_exempt_path(path):
            await self.budget.acquire()

    def install(self, http: Any, *, before: Callable[[Any], None]) -> None:
        """Call ``before(http)`` ahead of every request of discord.py's HTTP client (``client.http``).

        discord.py makes its session at login, just before its first request: ``before`` wraps it.
        """
        original: Callable[..., Awaitable[Any]] = http.request

        @functools.wraps(original)
        async def hooked_request(*args: Any, **kwargs: Any) -> Any:
            before(http)
            return await original(*args, **kwargs)

        http.request = hooked_request
