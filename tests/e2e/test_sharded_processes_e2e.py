"""Two bot processes, one shard each, on one fake Discord and one PostgreSQL database.

Each process is a real ``python -m bot`` with SHARD_COUNT=2 and its own
SHARD_IDS. Daily prompts for servers on both shards and DM check-ins for
many people fall due together; one process is killed with SIGKILL in the
middle of its fan-out and started again. Every server must end with exactly
one prompt and every person with exactly one check-in DM.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.checkins import service as checkin_service
from bot.crypto import generate_key
from bot.db.connect import connect_database
from bot.db.repos import schedules, users
from bot.db.timestamps import to_unix
from bot.fake_discord import FakeDiscord
from bot.fake_discord.driver import Driver
from bot.fake_discord.world import Channel, Guild, User
from bot.prompts import posting
from bot.schedule.recurrence import Recurrence, parse_local_time
from bot.schedule.shards import shard_of
from tests.backends import PostgresDatabases, database_url_for
from tests.e2e.processes import BotProcess, bot_environment
from tests.seeding import configure_daily_prompts

pytestmark = pytest.mark.e2e

SHARDS = 2
SERVERS_PER_SHARD = 10
PEOPLE = 16
# Slow enough that the fan-out of one process lasts a few seconds, so the kill lands inside it.
SEND_RATE = "4"
DUE_IN = timedelta(seconds=6)
DEADLINE_SECONDS = 90.0
DAILY_AT_NINE_UTC = Recurrence("UTC", parse_local_time("09:00"))


@pytest.fixture
async def postgres_url(tmp_path: Path, postgres_databases: PostgresDatabases | None) -> AsyncIterator[str]:
    """A migrated PostgreSQL database: the only backend several processes can share."""
    async with database_url_for("postgresql", tmp_path, postgres_databases) as url:
        yield url


@pytest.fixture
def processes(
    fake_discord: FakeDiscord, postgres_url: str, tmp_path: Path
) -> Iterator[dict[int, BotProcess]]:
    """The two shard processes (not started), stopped at teardown."""
    env = bot_environment(
        DISCORD_TOKEN=fake_discord.world.token,
        DISCORD_API_BASE=fake_discord.api_base,
        DATABASE_URL=postgres_url,
        SHARD_COUNT=str(SHARDS),
        SCHEDULER_TICK_SECONDS="1",
        SCHEDULED_SEND_RATE=SEND_RATE,
        LOG_LEVEL="INFO",
        # Processes that share a database must be given the same key; none is made for them.
        HEARTH_DATA_KEY=generate_key(),
    )
    bots = {shard: BotProcess(str(shard), env, tmp_path) for shard in range(SHARDS)}
    yield bots
    for bot in bots.values():
        bot.stop()


async def seed(
    url: str, servers: list[Guild], people: list[User], channel_of: Callable[[Guild], Channel], due: datetime
) -> None:
    """Configure daily prompts and DM check-ins as the commands would, all due at ``due``."""
    now = datetime.now(UTC)
    db = await connect_database(url)
    try:
        for guild in servers:
            await configure_daily_prompts(
                db, guild.id, channel_of(guild).id, guild.owner_id, local_time="09:00", now=now
            )
        for person in people:
            await users.set_timezone(db, person.id, "UTC", now)
            await schedules.upsert_recurring(
                db,
                kind=checkin_service.SCHEDULE_KIND,
                owner_key=checkin_service.owner_key(person.id),
                rule=DAILY_AT_NINE_UTC,
                now=now,
                user_id=person.id,
            )
        # Everything falls due at once, a few seconds after both processes are up.
        await db.execute("UPDATE schedules SET next_run_at = ?", (to_unix(due),))
    finally:
        await db.close()


async def make_everything_due_now(url: str) -> None:
    """Make every schedule due again today, as if its row had been replayed."""
    db = await connect_database(url)
    try:
        await db.execute("UPDATE schedules SET next_run_at = ?", (to_unix(datetime.now(UTC)),))
    finally:
        await db.close()


def replays_seen(processes: dict[int, BotProcess]) -> int:
    """Count the log lines in which a process found an occurrence already handled."""
    return sum(bot.log_path.read_text().count("was already handled") for bot in processes.values())


async def occurrence_facts(url: str) -> tuple[dict[str, int], dict[int, str]]:
    """Count the prompts' and check-ins' occurrences by status, and say who claimed each prompt."""
    db = await connect_database(url)
    try:
        rows = await db.fetch_all(
            "SELECT o.status, COUNT(*) AS n FROM schedule_occurrences AS o"
            " JOIN schedules AS s ON s.id = o.schedule_id WHERE s.kind IN (?, ?) GROUP BY o.status",
            (posting.SCHEDULE_KIND, checkin_service.SCHEDULE_KIND),
        )
        claims = await db.fetch_all(
            "SELECT s.guild_id, o.claimed_by FROM schedule_occurrences AS o"
            " JOIN schedules AS s ON s.id = o.schedule_id WHERE s.kind = ?",
            (posting.SCHEDULE_KIND,),
        )
    finally:
        await db.close()
    statuses = {str(row["status"]): int(row["n"]) for row in rows}
    return statuses, {int(row["guild_id"]): str(row["claimed_by"]) for row in claims}


async def wait_until(condition: Callable[[], bool], processes: dict[int, BotProcess], what: str) -> None:
    """Poll ``condition`` until it holds; fail with both logs if it does not in time."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        for bot in processes.values():
            if bot.exited_early():
                pytest.fail(f"{bot.name} exited early:\n{bot.log_tail()}")
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {b.name}\n{b.log_tail()}" for b in processes.values())
            pytest.fail(f"timed out waiting for {what}\n{logs}")
        await asyncio.sleep(0.1)


async def test_two_shard_processes_deliver_everything_exactly_once_across_a_sigkill(
    driver: Driver, processes: dict[int, BotProcess], postgres_url: str
) -> None:
    """One prompt per server and one DM per person, though shard 0 is killed mid-fan-out and rows replay."""
    owner = driver.add_user("owner")
    by_shard = await driver.add_guilds_on_shards(owner, SHARDS, per_shard=SERVERS_PER_SHARD)
    servers = [guild for guilds in by_shard.values() for guild in guilds]
    people = [driver.add_user(f"person{n}") for n in range(PEOPLE)]
    for n, person in enumerate(people):
        await driver.add_member(servers[n % len(servers)], person)

    def channel_of(guild: Guild) -> Channel:
        return driver.world.channels[guild.channel_ids[0]]

    def posts_in(guild: Guild) -> int:
        return len(driver.messages_in(channel_of(guild)))

    await seed(postgres_url, servers, people, channel_of, datetime.now(UTC) + DUE_IN)
    for bot in processes.values():
        bot.start()

    # Shard 0 dies once it has posted some, but not all, of its servers' prompts.
    def shard_zero_midway() -> bool:
        return sum(posts_in(g) for g in by_shard[0]) >= 3

    await wait_until(shard_zero_midway, processes, "shard 0 to start its fan-out")
    processes[0].kill()
    killed_after = sum(posts_in(g) for g in by_shard[0])
    assert killed_after < SERVERS_PER_SHARD, "the fan-out finished before the kill; slow it down"
    processes[0].start()

    def everything_delivered() -> bool:
        return all(posts_in(g) >= 1 for g in servers) and all(driver.dms_to(p) for p in people)

    await wait_until(everything_delivered, processes, "every prompt and every check-in DM")
    # Let any late duplicate surface before counting.
    await asyncio.sleep(3)

    # The same local day coming due again (a replayed schedule row) must not post a second time.
    await make_everything_due_now(postgres_url)
    await wait_until(lambda: replays_seen(processes) >= 1, processes, "the replayed rows to be claimed")
    await asyncio.sleep(2)

    # The restarted shard 0 took back the claims its killed predecessor left in flight.
    assert "recovered)" in processes[0].log_path.read_text()
    assert {g.id: posts_in(g) for g in servers} == {g.id: 1 for g in servers}
    assert {p.id: len(driver.dms_to(p)) for p in people} == {p.id: 1 for p in people}
    statuses, prompt_claimants = await occurrence_facts(postgres_url)
    assert statuses == {"sent": len(servers) + len(people)}, statuses
    # Each server's prompt was claimed by the process running its shard.
    assert prompt_claimants == {g.id: f"shards {shard_of(g.id, SHARDS)} of {SHARDS}" for g in servers}


async def test_two_processes_stay_inside_one_global_limit_and_space_their_identifies(
    driver: Driver, fake_discord: FakeDiscord, processes: dict[int, BotProcess], postgres_url: str
) -> None:
    """Two processes started together, each pacing half of the token's 4/s: no global 429 at 10/s.

    Before, each process paced the whole rate by itself. The fake counts its global limit across
    both processes' connections and refuses an IDENTIFY within 5 s of another in its bucket.
    """
    fake_discord.enable_rate_limits(
        global_limit=10, global_per=1.0, routes={"POST /channels/{channel_id}/messages": (5, 5.0)}
    )
    fake_discord.gateway.enforce_identify_spacing = True
    owner = driver.add_user("owner")
    by_shard = await driver.add_guilds_on_shards(owner, SHARDS, per_shard=SERVERS_PER_SHARD)
    servers = [guild for guilds in by_shard.values() for guild in guilds]

    def channel_of(guild: Guild) -> Channel:
        return driver.world.channels[guild.channel_ids[0]]

    await seed(postgres_url, servers, [], channel_of, datetime.now(UTC) + DUE_IN)
    for bot in processes.values():
        bot.start()

    def everything_posted() -> bool:
        return all(driver.messages_in(channel_of(g)) for g in servers)

    await wait_until(everything_posted, processes, "every prompt")
    await asyncio.sleep(2)

    assert {g.id: len(driver.messages_in(channel_of(g))) for g in servers} == {g.id: 1 for g in servers}
    assert [hit for hit in fake_discord.rate_limit_hits if hit.scope == "global"] == []
    gateway = fake_discord.gateway
    assert gateway.identifies_refused == []
    [gaps] = gateway.identify_gaps().values()
    assert len(gaps) == SHARDS - 1
    assert all(gap >= 5.0 for gap in gaps), gaps
