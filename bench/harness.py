"""Start the real bot against the fake Discord (rate limits on, 127.0.0.1 only) and describe the machine."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import platform
import re
import resource
import socket
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import asyncpg
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.app import HearthBot, create_bot, run_bot
from bot.clock import ManualClock
from bot.crypto import generate_key
from bot.db.connect import connect_database
from bot.db.database import Database
from bot.db.migrate import migrate
from bot.db.postgres import POOL_MAX_SIZE
from bot.fake_discord import DEFAULT_EVERYONE, HEARTH_INVITE, FakeDiscord
from bot.fake_discord.world import GUILD_TEXT, Channel, Guild, User
from bot.settings import Settings
from tests.backends import database_url_in

# Discord's limits, as the issue asks the fake to enforce them.
GLOBAL_LIMIT = 50
GLOBAL_PER = 1.0
CHANNEL_MESSAGES = (5, 5.0)
MESSAGES_ROUTE = "POST /channels/{channel_id}/messages"
# discord.py waits this long after the last GUILD_CREATE before READY (default 2 s).
GUILD_READY_TIMEOUT = 0.3
READY_TIMEOUT = 300.0
# A Monday morning; schedules in the benchmarks are due at 09:00 UTC.
START_TIME = datetime(2026, 11, 30, 8, 58, tzinfo=UTC)

BackendName = Literal["sqlite", "postgresql"]
BACKENDS: tuple[BackendName, ...] = ("sqlite", "postgresql")
BACKEND_TITLES: dict[BackendName, str] = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
POSTGRES_URL_VARIABLE = "HEARTH_BENCH_POSTGRES_URL"
# Server settings that change what a write costs, so the figures say what they were measured with.
POSTGRES_SETTINGS = ("fsync", "synchronous_commit")


@dataclass(frozen=True)
class Machine:
    """Where a figure was measured."""

    cpus: int
    python: str
    sqlite: str
    load: str

    def describe(self) -> str:
        """Return one line for the report."""
        return (
            f"{self.cpus} CPU (nproc), Python {self.python}, SQLite {self.sqlite}, load average {self.load}"
        )


def machine() -> Machine:
    """Describe this machine and how busy it is right now."""
    one, five, fifteen = os.getloadavg()
    return Machine(
        cpus=os.cpu_count() or 0,
        python=platform.python_version(),
        sqlite=sqlite3.sqlite_version,
        load=f"{one:.2f} / {five:.2f} / {fifteen:.2f}",
    )


@dataclass(frozen=True)
class BenchDatabase:
    """The database one benchmark runs on, and a line saying what it is for the conditions."""

    backend: BackendName
    url: str
    described: str


def database_url(database: Path | str) -> str:
    """Return the URL of ``database``: a path is a SQLite file, a string is already a URL."""
    return f"sqlite:///{database}" if isinstance(database, Path) else database


def _quoted_name(name: str) -> str:
    """Return a database name quoted for DDL, refusing anything but plain identifiers."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"refusing database name {name!r}")
    return f'"{name}"'


async def _postgres_admin(server_url: str, statement: str) -> None:
    """Run one statement (CREATE/DROP DATABASE cannot run in a transaction) on the server."""
    conn = await asyncpg.connect(server_url)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def _host_of(url: str) -> str:
    """Return the host (and port, if given) a database URL names, without credentials."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)


async def _describe_postgres(url: str, name: str) -> str:
    """Return the server version, the pool and the durability settings of database ``url``."""
    conn = await asyncpg.connect(url)
    try:
        version = str(await conn.fetchval("SHOW server_version")).split(" ", 1)[0]
        settings = [f"{s} {await conn.fetchval(f'SHOW {s}')}" for s in POSTGRES_SETTINGS]
    finally:
        await conn.close()
    return (
        f"PostgreSQL {version} (asyncpg {asyncpg.__version__}), one pool of {POOL_MAX_SIZE} connections;"
        f" fresh database {name} on {_host_of(url)}, migrated, dropped afterwards;"
        f" server {', '.join(settings)}"
    )


@contextlib.asynccontextmanager
async def bench_database(
    backend: BackendName, phase: str, workdir: Path, postgres_url: str | None = None
) -> AsyncIterator[BenchDatabase]:
    """Yield the database benchmark ``phase`` runs on: a file in ``workdir``, or a fresh PostgreSQL one.

    On PostgreSQL the database is created on the server ``postgres_url`` names, migrated, and
    dropped afterwards even if the benchmark fails.
    """
    if backend == "sqlite":
        described = f"SQLite {sqlite3.sqlite_version} (aiosqlite), a new file in a temporary directory"
        yield BenchDatabase(backend, database_url(workdir / f"{phase}.db"), described)
        return
    if postgres_url is None:
        raise ValueError(f"the postgresql backend needs --postgres URL or {POSTGRES_URL_VARIABLE}")
    name = f"hearth_bench_{phase}_{os.getpid()}"
    quoted = _quoted_name(name)
    url = database_url_in(postgres_url, name)
    await _postgres_admin(postgres_url, f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
    await _postgres_admin(postgres_url, f"CREATE DATABASE {quoted} TEMPLATE template0")
    try:
        db = await open_database(url)
        await db.close()
        yield BenchDatabase(backend, url, await _describe_postgres(url, name))
    finally:
        await _postgres_admin(postgres_url, f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def rss_mb() -> float:
    """Return this process's resident memory now, in MB (VmRSS; ru_maxrss where /proc is missing)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_mb() -> float:
    """Return this process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _is_loopback(host: Any) -> bool:
    """Return True for localhost names and loopback addresses."""
    if host is None:
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


@contextlib.contextmanager
def loopback_only() -> Iterator[None]:
    """Refuse to resolve anything but loopback, and restore discord.py's class-level URLs afterwards."""
    real = socket.getaddrinfo
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        """Resolve loopback only."""
        if not _is_loopback(host):
            raise socket.gaierror(socket.EAI_NONAME, f"the benchmark may not resolve {host!r}")
        return real(host, *args, **kwargs)

    socket.getaddrinfo = guarded
    try:
        yield
    finally:
        socket.getaddrinfo = real
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


@contextlib.asynccontextmanager
async def rate_limited_fake() -> AsyncIterator[FakeDiscord]:
    """Run the fake Discord with Discord's limits: 50 requests/s globally, 5 messages per 5 s a channel."""
    server = FakeDiscord(heartbeat_interval_ms=41_250)
    server.enable_rate_limits(
        global_limit=GLOBAL_LIMIT, global_per=GLOBAL_PER, routes={MESSAGES_ROUTE: CHANNEL_MESSAGES}
    )
    with loopback_only():
        await server.start()
        try:
            yield server
        finally:
            await server.stop()


def add_servers(server: FakeDiscord, count: int, owner: User | None = None) -> list[tuple[Guild, Channel]]:
    """Add ``count`` servers with the bot in them, each with one #general, straight into the world."""
    world = server.world
    owner = owner or world.add_user("bench_owner")
    built: list[tuple[Guild, Channel]] = []
    for number in range(count):
        guild = world.add_guild(
            f"Server {number}",
            owner=owner,
            everyone_permissions=DEFAULT_EVERYONE,
            bot_permissions=HEARTH_INVITE,
        )
        channel = world.add_channel(guild, "general", GUILD_TEXT, overwrites=[])
        built.append((guild, channel))
    return built


# One key for the whole run: without one, each start would make a key file (in the working directory
# for PostgreSQL), and a restart on the same database must use the same key.
BENCH_DATA_KEY = generate_key()


def settings_for(server: FakeDiscord, database_url: str, **overrides: Any) -> Settings:
    """Return the Settings the bot runs with against ``server`` (ignoring any .env)."""
    values: dict[str, Any] = {
        "discord_token": server.world.token,
        "database_url": database_url,
        "discord_api_base": server.api_base,
        "log_level": "WARNING",
        "hearth_data_key": BENCH_DATA_KEY,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


async def open_database(database_url: str) -> Database:
    """Open and migrate the bot's database, to seed it before the bot starts."""
    db = await connect_database(database_url)
    try:
        await migrate(db)
    except BaseException:
        await db.close()
        raise
    return db


@dataclass
class RunningBot:
    """The real bot, started by :func:`running_bot`, and how long it took to be ready."""

    bot: HearthBot
    task: asyncio.Task[None]
    clock: ManualClock
    ready_seconds: float


@contextlib.asynccontextmanager
async def running_bot(
    server: FakeDiscord, database_url: str, *, clock: ManualClock | None = None, **overrides: Any
) -> AsyncIterator[RunningBot]:
    """Start the bot exactly as ``python -m bot`` builds it, wait until it is ready, close it afterwards."""
    clock = clock or ManualClock(START_TIME)
    started = time.perf_counter()
    bot = create_bot(settings_for(server, database_url, **overrides), clock=clock)
    bot._connection.guild_ready_timeout = GUILD_READY_TIMEOUT
    task = asyncio.create_task(run_bot(bot), name="hearth-bot")
    try:
        ready = asyncio.create_task(bot.wait_until_ready())
        done, _ = await asyncio.wait(
            {ready, task}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if task.done() and not task.cancelled() and task.exception() is not None:
                raise RuntimeError("the bot crashed before it was ready") from task.exception()
            raise RuntimeError(f"the bot was not ready within {READY_TIMEOUT} s")
        yield RunningBot(bot, task, clock, time.perf_counter() - started)
    finally:
        await bot.close()
        await asyncio.wait({task}, timeout=30)
        if not task.done():
            task.cancel()
        elif not task.cancelled() and task.exception() is not None:
            print(f"warning: the bot stopped with {task.exception()!r}", file=sys.stderr)
