"""Several bot processes on one token: real ``python -m bot`` shards against one fake Discord.

The fake runs in this process, with Discord's limits (50 requests/s global across every connection,
5 messages per 5 s per channel, one IDENTIFY per 5 s per bucket, refused otherwise) and routes each
guild to its shard. N servers, spread evenly over the shards, fall due at the same instant once
every process's schedule engine runs. Scenarios:

* ``together``: every process started at once;
* ``apart``: the second process started ``APART_SECONDS`` after the first;
* ``sigkill``: started together, process 0 killed with SIGKILL a third of the way into its fan-out
  and started again at once.

Every request that reaches the fake is timed; posts are attributed to a process by their server's
shard.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import GLOBAL_LIMIT, open_database, rate_limited_fake
from bot.crypto import generate_key
from bot.db.timestamps import to_unix
from bot.fake_discord import DEFAULT_EVERYONE, HEARTH_INVITE, FakeDiscord
from bot.fake_discord.ratelimit import Decision
from bot.fake_discord.world import GUILD_TEXT
from tests.e2e.processes import BotProcess, bot_environment
from tests.seeding import configure_daily_prompts

SCENARIOS = ("together", "apart", "sigkill")
APART_SECONDS = 20.0
MESSAGES_ROUTE = "POST /channels/{channel_id}/messages"
# A post within this long of its due time is on time (the README's delivery target).
ON_TIME = timedelta(minutes=5)
READY_TIMEOUT = 240.0
# The run ends when every server has its post, or nothing was posted for this long.
STALL_SECONDS = 120.0
SETTLE_SECONDS = 5.0
SEED_CONCURRENCY = 8
ENGINE_STARTED = "Schedule engine started"


@dataclass
class Arrival:
    """One request that reached the fake and counts towards the global limit."""

    at: float
    route: str
    channel_id: int | None
    scope: str | None


@dataclass
class ProcessFigures:
    """One process's (or the total's) figures."""

    name: str
    servers: int = 0
    on_time: int = 0
    late: int = 0
    lost: int = 0
    duplicated: int = 0
    requests: int = 0
    busiest_second: int = 0
    first: float = 0.0
    last: float = 0.0

    @property
    def rate(self) -> float:
        """Return requests per second between this process's first and last post."""
        span = self.last - self.first
        return (self.requests - 1) / span if span > 0 and self.requests > 1 else 0.0

    @property
    def share(self) -> float:
        """Return the rate as a share of Discord's global limit."""
        return self.rate / GLOBAL_LIMIT


@dataclass
class ScenarioResult:
    """What one scenario measured."""

    scenario: str
    servers: int
    processes: list[ProcessFigures]
    total: ProcessFigures
    global_429s: int
    route_429s: dict[str, int]
    identify_gaps: dict[int, list[float]]
    identifies_refused: int
    seed_seconds: float
    fanout_seconds: float
    killed_after_posts: int | None = None
    recovered_claims: int = 0
    # When the busiest second began, in seconds after the due time (negative: during start-up).
    busiest_after_due: float = 0.0
    notes: list[str] = field(default_factory=list)


def _busiest_second(times: list[float]) -> int:
    """Return the most of ``times`` (sorted) inside any one second."""
    return _busiest(times)[0]


def _busiest(times: list[float]) -> tuple[int, float]:
    """Return the most of ``times`` (sorted) inside any one second, and when that second starts."""
    most = first = 0
    start = times[0] if times else 0.0
    for last, at in enumerate(times):
        while at - times[first] >= 1.0:
            first += 1
        if last - first + 1 > most:
            most, start = last - first + 1, times[first]
    return most, start


def _record(server: FakeDiscord, arrivals: list[Arrival]) -> None:
    """Time every request that counts towards the global limit, with its route and 429 scope."""
    check = server.limiter.check

    def noting(method: str, path: str, route: str, major: str, *, exempt_global: bool) -> Decision:
        decision = check(method, path, route, major, exempt_global=exempt_global)
        if not exempt_global:
            channel = int(major) if route == MESSAGES_ROUTE and major.isdigit() else None
            arrivals.append(Arrival(time.monotonic(), route, channel, decision.scope))
        return decision

    server.limiter.check = noting  # type: ignore[method-assign]


async def _seed(url: str, servers: list[tuple[int, int]], owner_id: int) -> float:
    """Configure daily prompts everywhere as /setup would, then park them until the run sets the time."""
    started = time.perf_counter()
    db = await open_database(url)
    try:
        now = datetime.now(UTC)
        gate = asyncio.Semaphore(SEED_CONCURRENCY)

        async def one(guild_id: int, channel_id: int) -> None:
            async with gate:
                await configure_daily_prompts(db, guild_id, channel_id, owner_id, local_time="09:00", now=now)

        await asyncio.gather(*(one(g, c) for g, c in servers))
        # Nothing falls due while the processes start; the run sets one due time for every row.
        await db.execute("UPDATE schedules SET next_run_at = ?", (to_unix(now + timedelta(days=1)),))
    finally:
        await db.close()
    return time.perf_counter() - started


async def _make_due(url: str, due: datetime) -> None:
    """Make every schedule due at ``due``."""
    db = await open_database(url)
    try:
        await db.execute("UPDATE schedules SET next_run_at = ?", (to_unix(due),))
    finally:
        await db.close()


async def _wait_for(condition: object, bots: list[BotProcess], what: str, timeout: float) -> None:
    """Poll until ``condition()`` holds, failing if a process exits early or time runs out."""
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        for bot in bots:
            if bot.exited_early():
                raise RuntimeError(f"{bot.name} exited early:\n{bot.log_tail()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)


async def run_scenario(
    scenario: str,
    *,
    servers: int,
    processes: int,
    database_url: str,
    workdir: Path,
    send_rate: float | None = None,
) -> ScenarioResult:
    """Run one scenario on a fresh, migrated database and return its figures."""
    async with rate_limited_fake() as server:
        server.gateway.enforce_identify_spacing = True
        world = server.world
        owner = world.add_user("bench_owner")
        shard_of_channel: dict[int, int] = {}
        built: list[tuple[int, int]] = []
        per_shard = servers // processes
        for shard in range(processes):
            for number in range(per_shard):
                guild = world.add_guild(
                    f"Server {shard}-{number}",
                    owner=owner,
                    everyone_permissions=DEFAULT_EVERYONE,
                    bot_permissions=HEARTH_INVITE,
                    shard=(shard, processes),
                )
                channel = world.add_channel(guild, "general", GUILD_TEXT, overwrites=[])
                shard_of_channel[channel.id] = shard
                built.append((guild.id, channel.id))
        seed_seconds = await _seed(database_url, built, owner.id)
        # The fake's world is millions of objects: a full garbage collection of them stalls its event
        # loop for a good part of a second, and the requests queued meanwhile would then be counted
        # in one burst. Discord has no such pause; freezing the world keeps the collector off it.
        gc.collect()
        gc.freeze()
        settings = {
            "DISCORD_TOKEN": world.token,
            "DISCORD_API_BASE": server.api_base,
            "DATABASE_URL": database_url,
            # Every process of one deployment seals with the same key.
            "HEARTH_DATA_KEY": generate_key(),
            "SHARD_COUNT": str(processes),
            "SCHEDULER_TICK_SECONDS": "5",
            "LOG_LEVEL": "INFO",
        }
        if send_rate is not None:
            settings["SCHEDULED_SEND_RATE"] = f"{send_rate:g}"
        run_dir = workdir / scenario
        run_dir.mkdir(parents=True, exist_ok=True)
        env = bot_environment(**settings)
        bots = [BotProcess(str(shard), env, run_dir) for shard in range(processes)]
        arrivals: list[Arrival] = []
        _record(server, arrivals)
        killed_after: int | None = None
        try:
            for index, bot in enumerate(bots):
                if scenario == "apart" and index > 0:
                    await asyncio.sleep(APART_SECONDS)
                bot.start()

            def engines_started() -> bool:
                return all(bot.log_text().count(ENGINE_STARTED) >= 1 for bot in bots)

            await _wait_for(engines_started, bots, "every schedule engine", READY_TIMEOUT)
            due = datetime.now(UTC) + timedelta(seconds=2)
            due_at = time.monotonic() + 2
            await _make_due(database_url, due)

            def posted() -> int:
                return sum(1 for c in shard_of_channel if world.channel_messages.get(c))

            if scenario == "sigkill":
                zero = [c for c, s in shard_of_channel.items() if s == 0]

                def third_of_shard_zero() -> bool:
                    return sum(1 for c in zero if world.channel_messages.get(c)) >= len(zero) // 3

                await _wait_for(third_of_shard_zero, bots, "shard 0's fan-out", READY_TIMEOUT)
                bots[0].kill()
                killed_after = sum(1 for c in zero if world.channel_messages.get(c))
                bots[0].start()
            last_count, last_change = -1, time.monotonic()
            while posted() < len(built) and time.monotonic() - last_change < STALL_SECONDS:
                if posted() != last_count:
                    last_count, last_change = posted(), time.monotonic()
                for bot in bots:
                    if bot.exited_early():
                        raise RuntimeError(f"{bot.name} exited early:\n{bot.log_tail()}")
                await asyncio.sleep(0.5)
            await asyncio.sleep(SETTLE_SECONDS)
        finally:
            for bot in bots:
                bot.stop()
            gc.unfreeze()
        recovered = bots[0].log_text().count(", recovered)")
        return _figures(
            scenario,
            server,
            arrivals,
            shard_of_channel,
            processes,
            due_at,
            seed_seconds=seed_seconds,
            killed_after=killed_after,
            recovered=recovered,
        )


def _figures(
    scenario: str,
    server: FakeDiscord,
    arrivals: list[Arrival],
    shard_of_channel: dict[int, int],
    processes: int,
    due_at: float,
    *,
    seed_seconds: float,
    killed_after: int | None,
    recovered: int,
) -> ScenarioResult:
    """Count posts, lateness, 429s and pacing from what the fake recorded."""
    # The first accepted post in each channel, as the fake saw it.
    first_post: dict[int, float] = {}
    for arrival in arrivals:
        if arrival.channel_id is not None and arrival.scope is None:
            first_post.setdefault(arrival.channel_id, arrival.at)
    figures = [ProcessFigures(f"process {n} (shard {n})") for n in range(processes)]
    for channel_id, shard in shard_of_channel.items():
        mine = figures[shard]
        mine.servers += 1
        count = len(server.world.channel_messages.get(channel_id, []))
        if count == 0:
            mine.lost += 1
            continue
        mine.duplicated += count - 1
        if first_post.get(channel_id, due_at) - due_at <= ON_TIME.total_seconds():
            mine.on_time += 1
        else:
            mine.late += 1
    fanout = [a for a in arrivals if a.at >= due_at - 1]
    for shard, mine in enumerate(figures):
        times = [
            a.at for a in fanout if a.channel_id is not None and shard_of_channel.get(a.channel_id) == shard
        ]
        mine.requests = len(times)
        mine.busiest_second = _busiest_second(times)
        mine.first, mine.last = (times[0], times[-1]) if times else (0.0, 0.0)
    total = ProcessFigures("total")
    for mine in figures:
        for name in ("servers", "on_time", "late", "lost", "duplicated"):
            setattr(total, name, getattr(total, name) + getattr(mine, name))
    posts = [a.at for a in fanout if a.channel_id is not None]
    if posts:
        # Every counted request between the first and the last post, whoever sent it.
        window = [a.at for a in fanout if posts[0] <= a.at <= posts[-1]]
        total.requests = len(window)
        total.first, total.last = posts[0], posts[-1]
    total.busiest_second, busiest_at = _busiest([a.at for a in arrivals])
    hits = Counter((a.route, a.scope) for a in arrivals if a.scope is not None)
    return ScenarioResult(
        scenario=scenario,
        servers=len(shard_of_channel),
        processes=figures,
        total=total,
        global_429s=sum(n for (_, scope), n in hits.items() if scope == "global"),
        route_429s={f"{route} ({scope})": n for (route, scope), n in hits.items() if scope != "global"},
        identify_gaps=server.gateway.identify_gaps(),
        identifies_refused=len(server.gateway.identifies_refused),
        seed_seconds=seed_seconds,
        fanout_seconds=(total.last - due_at) if posts else 0.0,
        killed_after_posts=killed_after,
        recovered_claims=recovered,
        busiest_after_due=busiest_at - due_at,
    )
