"""Interactions: many arriving at once, timed from INTERACTION_CREATE to the bot's initial callback."""

from __future__ import annotations

import asyncio
import statistics
from dataclasses import dataclass
from pathlib import Path

from bench.harness import add_servers, database_url, rate_limited_fake, running_bot
from bot.fake_discord.driver import CommandNotAvailableError, Driver
from bot.fake_discord.interactions import InteractionHandle
from bot.fake_discord.world import Channel, User

# Generous: the point is to measure the latency, not to fail on it.
RESPONSE_TIMEOUT = 60.0
SCORE_FIELD = "hearth:checkin:score"
NOTE_FIELD = "hearth:checkin:note"


@dataclass(frozen=True)
class InteractionResult:
    """Latencies of one burst of interactions, in seconds."""

    what: str
    count: int
    answered: int
    latencies: list[float]

    def percentile(self, share: float) -> float:
        """Return the latency below which ``share`` of the interactions were answered (nearest rank)."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
        return ordered[rank - 1]

    @property
    def median(self) -> float:
        """Return the median latency."""
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def worst(self) -> float:
        """Return the slowest answer."""
        return max(self.latencies, default=float("nan"))


async def _answered(handles: list[InteractionHandle]) -> list[float]:
    """Wait for every initial response and return how long each took after INTERACTION_CREATE."""
    responses = await asyncio.gather(
        *(handle.response(timeout=RESPONSE_TIMEOUT) for handle in handles), return_exceptions=True
    )
    return [r.elapsed for r in responses if not isinstance(r, BaseException)]


async def _checkin_saves(driver: Driver, channel: Channel, users: list[User]) -> list[InteractionHandle]:
    """Open every user's /checkin now form, then submit all the forms at once; return the submits."""
    forms = [await driver.invoke_slash(channel, user, "checkin now") for user in users]
    for form in forms:
        await form.response(timeout=RESPONSE_TIMEOUT)
    submits = [
        driver.submit_modal(form, {SCORE_FIELD: str(1 + n % 5), NOTE_FIELD: "a quiet day"})
        for n, form in enumerate(forms)
    ]
    return list(await asyncio.gather(*submits))


async def _help_requests(driver: Driver, channel: Channel, users: list[User]) -> list[InteractionHandle]:
    """Run /help as every user at once."""
    return list(await asyncio.gather(*(driver.invoke_slash(channel, user, "help") for user in users)))


async def run_interactions(bursts: list[int], database: Path | str) -> list[InteractionResult]:
    """Send each burst of check-in saves (or /help without the check-in feature) at once; time answers."""
    async with rate_limited_fake() as server:
        driver = Driver(server)
        [(guild, channel)] = add_servers(server, 1)
        users = [server.world.add_user(f"member{n}") for n in range(sum(bursts))]
        for user in users:
            server.world.add_member(guild, user, [])
        results: list[InteractionResult] = []
        async with running_bot(server, database_url(database), disable_scheduler=True):
            try:
                driver.find_command("checkin")
            except CommandNotAvailableError:
                burst, what = _help_requests, "/help (no /checkin yet)"
            else:
                burst, what = _checkin_saves, "/checkin now form submits (saves)"
            start = 0
            for count in bursts:
                handles = await burst(driver, channel, users[start : start + count])
                start += count
                latencies = await _answered(handles)
                results.append(
                    InteractionResult(what=what, count=count, answered=len(latencies), latencies=latencies)
                )
        return results
