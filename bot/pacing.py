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
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from bot.schedule.shards import ShardScope

_scheduled_send: ContextVar[bool] = ContextVar("hearth_scheduled_send", default=False)
# How late a request may take its slot without losing it (seconds, at least one slot): a stall of the
# event loop (a long claim, a busy machine) is made up for afterwards instead of lowering the pace.
PACER_CATCH_UP_SECONDS = 0.25
# ...but never more than the rate plus a headroom in any trailing second, at the moment a request
# leaves: the headroom is what catching up may use. The token has TOKEN_HEADROOM in all, split like the
# rate: two processes at 23/s send at most 24 each, 48 in any second, two under Discord's 50 for
# network jitter.
CAP_WINDOW_SECONDS = 1.0
TOKEN_HEADROOM = 2.0
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


def shard_fraction(shards: ShardScope | None) -> float:
    """Return the share of the token this process has: its shards out of SHARD_COUNT."""
    return 1.0 if shards is None else len(shards.ids) / shards.count


def process_share(total: float, shards: ShardScope | None) -> float:
    """Return the requests per second this process may send: its shards' share of the token's total."""
    return total * shard_fraction(shards)


class RequestBudget:
    """A paced budget of requests per second, with a queue for scheduled sends.

    Two rules, both checked when a request is let through (just before it is sent):

    * slots ``1/rate`` apart; a request may take its slot up to ``catch_up_seconds`` late without
      losing it, so a stall that short is made up for afterwards;
    * at most ``cap`` (rate plus ``headroom``, rounded down) requests in any trailing second,
      which bounds that catching up and any burst.

    Scheduled sends wait for their slot one at a time and re-check after sleeping, so a request of
    higher priority that arrived meanwhile goes first. ``slowdown`` (≥ 1) stretches the slots of
    scheduled sends only.
    """

    def __init__(
        self,
        rate: float,
        *,
        catch_up_seconds: float = PACER_CATCH_UP_SECONDS,
        headroom: float = TOKEN_HEADROOM,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0:
            raise ValueError("the rate must be positive")
        self.rate = rate
        self.cap = max(1, math.floor((rate + headroom) * CAP_WINDOW_SECONDS))
        self._interval = 1.0 / rate
        self._tolerance = max(catch_up_seconds, self._interval)
        self._clock = clock
        self._tat = 0.0
        self._sent: deque[float] = deque()
        self._scheduled_line = asyncio.Lock()
        self.slowdown = 1.0
        self.paced_requests = 0

    def _cap_wait(self, now: float) -> float:
        """Return how long until a request fits under the cap of the trailing second (0: now)."""
        sent = self._sent
        while sent and sent[0] <= now - CAP_WINDOW_SECONDS:
            sent.popleft()
        if len(sent) < self.cap:
            return 0.0
        return sent[0] + CAP_WINDOW_SECONDS - now + 1e-4

    def _let_through(self, now: float) -> None:
        """Count a request leaving now."""
        self._sent.append(now)
        self.paced_requests += 1

    def _take(self, cost: float, arrived: float) -> float:
        """Take the next slot if it is due and the cap allows (return 0), else return how long to wait.

        ``arrived`` is when the request began to wait: a slot is never older than its request, so
        demand after a quiet spell starts at the pace instead of in a burst.
        """
        now = self._clock()
        # A request late by up to the tolerance keeps its slot; one later than that loses the rest.
        slot = max(self._tat, now - self._tolerance, arrived)
        wait = slot - now
        # A microsecond early is on time: float sums of slots would otherwise sleep for nothing.
        if wait > 1e-6:
            return wait
        capped = self._cap_wait(now)
        if capped > 0:
            return capped
        self._tat = slot + cost
        self._let_through(now)
        return 0.0

    async def acquire_scheduled(self) -> None:
        """Wait in line for a slot for a scheduled send."""
        arrived = self._clock()
        async with self._scheduled_line:
            while (wait := self._take(self._interval * self.slowdown, arrived)) > 0:
                await asyncio.sleep(wait)

    async def acquire_priority(self) -> None:
        """Reserve the next slot at once and wait for it (ahead of scheduled sends still in line)."""
        now = self._clock()
        slot = max(self._tat, now)
        self._tat = slot + self._interval
        wait = slot - now
        if wait > 0:
            await asyncio.sleep(wait)
        while (capped := self._cap_wait(self._clock())) > 0:
            await asyncio.sleep(capped)
        self._let_through(self._clock())

    async def acquire(self) -> None:
        """Wait for a slot: in line behind others for scheduled sends, ahead of them otherwise."""
        if is_scheduled_send():
            await self.acquire_scheduled()
        else:
            await self.acquire_priority()

    def hold(self, seconds: float) -> None:
        """Give out no slot for ``seconds`` (after a global 429, which stops every request)."""
        self._tat = max(self._tat, self._clock() + seconds)


class OutboundPacer:
    """Holds the process's budget and hooks discord.py's HTTP client so its session waits for slots.

    The wait happens where a request goes on the wire (see :mod:`bot.ratelimits`), after
    discord.py's own per-route bucket: a bucket that reopens then releases its waiting requests
    exactly as it would without pacing, and only their sends are spaced.
    """

    def __init__(
        self,
        requests_per_second: float,
        *,
        headroom: float = TOKEN_HEADROOM,
        budget: RequestBudget | None = None,
    ) -> None:
        self.budget = budget or RequestBudget(requests_per_second, headroom=headroom)

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
