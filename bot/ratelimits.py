"""429s as a pace signal: retry after ``retry_after`` plus jitter, and count every invalid request.

discord.py sleeps exactly ``retry_after`` on a 429 and gives up after five. Processes that share a
token then retry on the same tick and meet again, and a scheduled post can be lost. Hearth therefore
looks at every response first, on the aiohttp session discord.py (and its interaction webhooks) sends
through: a 429 is never handed to discord.py while its retries last (up to ``MAX_RETRY_SECONDS``);
the request waits ``retry_after`` plus a random share of it, takes a new slot of the budget, and is
sent again. Each send waits for its slot of the budget (:mod:`bot.pacing`) here too. A global 429
holds the whole budget for ``retry_after``.

Every 401, 403 and 429 counts towards Discord's invalid-request limit (10,000 per 10 minutes, then
the IP is banned for an hour); 429s whose ``X-RateLimit-Scope`` is ``shared`` do not. Past
``WARN_INVALID`` in the window the log warns, and scheduled sends slow down as the count approaches
the limit.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections import deque
from collections.abc import Callable
from types import TracebackType
from typing import Any

import aiohttp

from bot.pacing import OutboundPacer, RequestBudget

log = logging.getLogger(__name__)

INVALID_WINDOW_SECONDS = 600.0
DISCORD_INVALID_LIMIT = 10_000
WARN_INVALID = 1_000
# Scheduled sends slow down linearly from WARN_INVALID to SLOWEST_AT, then stay at SLOWEST_SHARE.
SLOWEST_AT = 9_000
SLOWEST_SHARE = 0.05
INVALID_STATUSES = frozenset({401, 403, 429})
# A 429 is retried here for this long at most; past it discord.py sees the 429 (and retries itself),
# and a scheduled send that still fails goes back to the engine, which retries it within seconds.
# Shorter than the engine's recovery window, so a claim is never held in retries past it.
MAX_RETRY_SECONDS = 90.0
# Each retry waits retry_after × (1 + up to this share) plus up to JITTER_FLOOR seconds.
JITTER_SHARE = 0.5
JITTER_FLOOR = 0.25
_SESSION_ATTRIBUTE = "_HTTPClient__session"


class InvalidRequestCounter:
    """Counts 401/403/429 responses over a sliding 10 minutes and sets the scheduled slowdown."""

    def __init__(
        self, budget: RequestBudget | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._budget = budget
        self._clock = clock
        self._seen: deque[float] = deque()
        self._warned = False
        self.total = 0
        self.by_status: dict[int, int] = {}

    def in_window(self) -> int:
        """Return how many invalid requests the last 10 minutes saw."""
        cutoff = self._clock() - INVALID_WINDOW_SECONDS
        while self._seen and self._seen[0] < cutoff:
            self._seen.popleft()
        return len(self._seen)

    def record(self, status: int) -> None:
        """Count one invalid response and adjust the warning and the slowdown."""
        self._seen.append(self._clock())
        self.total += 1
        self.by_status[status] = self.by_status.get(status, 0) + 1
        self.refresh()

    def refresh(self) -> None:
        """Re-evaluate the window: warn once per crossing of WARN_INVALID, and set the slowdown."""
        count = self.in_window()
        if count >= WARN_INVALID and not self._warned:
            log.warning(
                "%d invalid requests (401/403/429) in the last 10 minutes; Discord bans the IP for an hour"
                " at %d. Slowing scheduled sends down.",
                count,
                DISCORD_INVALID_LIMIT,
            )
        self._warned = count >= WARN_INVALID
        if self._budget is not None:
            self._budget.slowdown = 1.0 / scheduled_share(count)


def scheduled_share(invalid_in_window: int) -> float:
    """Return the share of its pace scheduled sending keeps with this many invalid requests."""
    if invalid_in_window <= WARN_INVALID:
        return 1.0
    if invalid_in_window >= SLOWEST_AT:
        return SLOWEST_SHARE
    fall = (invalid_in_window - WARN_INVALID) / (SLOWEST_AT - WARN_INVALID)
    return max(SLOWEST_SHARE, 1.0 - fall * (1.0 - SLOWEST_SHARE))


def retry_delay(retry_after: float, rng: random.Random | None = None) -> float:
    """Return how long to wait before retrying a 429: ``retry_after`` plus jitter, never less."""
    pick = (rng or random).random
    return retry_after * (1 + JITTER_SHARE * pick()) + JITTER_FLOOR * pick()


class ResponseGuard:
    """What every response passes through: counting, observers and the 429 retry policy."""

    def __init__(self, pacer: OutboundPacer, api_base: str = "") -> None:
        self.pacer = pacer
        self.budget = pacer.budget
        self.invalid = InvalidRequestCounter(pacer.budget)
        self.api_base = api_base
        self.rate_limits: dict[str, int] = {}
        # Called with (method, url, status, seconds, 429 scope) for every response, for metrics.
        self.observers: list[Callable[[str, str, int, float, str | None], None]] = []

    def route_path(self, url: str) -> str:
        """Return the path of ``url`` after the API base (``/channels/1/messages``)."""
        text = str(url)
        if self.api_base and text.startswith(self.api_base):
            return text[len(self.api_base) :].split("?", 1)[0]
        marker = text.find("/api/v")
        if marker < 0:
            return text
        rest = text[marker + len("/api/v") :]
        return rest[rest.find("/") :].split("?", 1)[0] if "/" in rest else ""

    def observe(self, method: str, url: str, response: aiohttp.ClientResponse, seconds: float) -> None:
        """Count an invalid response and tell the observers."""
        status = response.status
        scope = None
        if status == 429:
            is_global = response.headers.get("X-RateLimit-Global", "").lower() == "true"
            scope = "global" if is_global else response.headers.get("X-RateLimit-Scope", "user")
        if status in INVALID_STATUSES and scope != "shared":
            self.invalid.record(status)
        for observer in self.observers:
            observer(method, url, status, seconds, scope)

    def install(self, http: Any) -> None:
        """Wrap discord.py's session (created at login) once it exists, before each request."""
        session = getattr(http, _SESSION_ATTRIBUTE, None)
        if isinstance(session, aiohttp.ClientSession):
            setattr(http, _SESSION_ATTRIBUTE, GuardedSession(session, self))


class GuardedSession:
    """Stands in for discord.py's aiohttp session: everything is the session's but ``request``."""

    def __init__(self, session: aiohttp.ClientSession, guard: ResponseGuard) -> None:
        self._session = session
        self._guard = guard

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)

    def request(self, method: str, url: Any, **kwargs: Any) -> _GuardedRequest:
        """Return the request as an async context manager that retries 429s."""
        return _GuardedRequest(self._session, self._guard, method, str(url), kwargs)


class _GuardedRequest:
    """``async with session.request(...)``: the response, once it is not a 429 to retry."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        guard: ResponseGuard,
        method: str,
        url: str,
        kwargs: dict[str, Any],
    ) -> None:
        self._session = session
        self._guard = guard
        self._method = method
        self._url = url
        self._kwargs = kwargs
        self._response: aiohttp.ClientResponse | None = None

    async def __aenter__(self) -> aiohttp.ClientResponse:
        guard = self._guard
        path = guard.route_path(self._url)
        # Multipart bodies are consumed by sending; discord.py rebuilds them for its own retries.
        resendable = not isinstance(self._kwargs.get("data"), aiohttp.FormData)
        started = time.monotonic()
        while True:
            # Every send takes a slot of the budget, a retry too (exempt routes take none).
            await guard.pacer.wait_turn(path)
            sent = time.monotonic()
            response = await self._session.request(self._method, self._url, **self._kwargs)
            guard.observe(self._method, self._url, response, time.monotonic() - sent)
            if response.status != 429 or not resendable or time.monotonic() - started > MAX_RETRY_SECONDS:
                self._response = response
                return response
            limit = await _rate_limit_of(response)
            if limit is None:
                # No JSON body or no Via header: Cloudflare's ban, which discord.py reports as an error.
                self._response = response
                return response
            retry_after, is_global = limit
            response.release()
            scope = "global" if is_global else response.headers.get("X-RateLimit-Scope", "user")
            guard.rate_limits[scope] = guard.rate_limits.get(scope, 0) + 1
            if is_global:
                guard.budget.hold(retry_after)
            delay = retry_delay(retry_after)
            log.info("429 (%s) on %s %s; retrying in %.2f s", scope, self._method, path, delay)
            await asyncio.sleep(delay)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._response is not None:
            self._response.release()
            await self._response.wait_for_close()


async def _rate_limit_of(response: aiohttp.ClientResponse) -> tuple[float, bool] | None:
    """Return (retry_after, global) of a Discord 429, or None if it is not one of Discord's."""
    if not response.headers.get("Via"):
        return None
    try:
        body = json.loads(await response.text())
        retry_after = float(body["retry_after"])
    except (ValueError, KeyError, TypeError, aiohttp.ClientError):
        return None
    return max(retry_after, 0.0), bool(body.get("global", False))
