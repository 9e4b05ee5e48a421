"""The Hearth bot: construction, start-up and shutdown."""

from __future__ import annotations

import asyncio
import logging
import pkgutil
from typing import Any

import aiohttp
import discord
import yarl
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

import cogs
from bot.clock import Clock, SystemClock
from bot.command_scope import SERVER_INSTALL, SERVER_ONLY
from bot.command_sync import CommandDirectory, sync_commands_if_changed
from bot.content.library import Content
from bot.crypto import DataCipher
from bot.db.database import Database
from bot.db.repos import schedules
from bot.failures import DiscordUnreachableError, unreachable_message
from bot.health import OperationsServer, Probes
from bot.identify import UNLIMITED, IdentifyGate, SessionStartLimit, wait_for_session_starts
from bot.metrics import Metrics
from bot.pacing import TOKEN_HEADROOM, OutboundPacer, process_share, shard_fraction
from bot.ratelimits import ResponseGuard
from bot.schedule.engine import ScheduleEngine
from bot.schedule.routes import ScheduleRoutes
from bot.settings import DISCORD_GATEWAY_URL, Settings
from bot.startup import prepare
from bot.tree import AppTree
from bot.view_store import install_view_store

log = logging.getLogger(__name__)

# Hearth is a text bot: it never joins voice, so the libraries voice needs are not missing.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False

# Seconds between attempts to reach Discord at start-up; after the last, the bot gives up (exit code 4).
CONNECT_BACKOFF: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 16.0)

# View Channel, Send Messages, Embed Links, Attach Files, Create Public Threads, Send Messages in Threads.
INVITE_PERMISSIONS = discord.Permissions(309237697536)


class MissingTokenError(RuntimeError):
    """No DISCORD_TOKEN was configured."""


def bot_intents() -> discord.Intents:
    """Return the gateway intents Hearth needs: guilds only, nothing privileged."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


def cog_extensions() -> list[str]:
    """Return the importable names of every cog module (private `_x` helpers excluded)."""
    return [
        f"{cogs.__name__}.{module.name}"
        for module in pkgutil.iter_modules(cogs.__path__)
        if not module.name.startswith("_")
    ]


def invite_url(application_id: int) -> str:
    """Return the URL that adds the bot to a server with the permissions it needs."""
    return discord.utils.oauth_url(
        application_id, permissions=INVITE_PERMISSIONS, scopes=("bot", "applications.commands")
    )


class HearthBot(commands.Bot):
    """The Discord client, owning the database, the content and the schedule engine."""

    db: Database
    content: Content
    command_directory: CommandDirectory

    def __init__(self, settings: Settings, *, clock: Clock | None = None, force_sync: bool = False) -> None:
        shards = settings.shard_scope
        # Only the sharded client takes these; discord.Client would read them as one single shard.
        shard_options: dict[str, Any] = (
            {} if shards is None else {"shard_count": shards.count, "shard_ids": sorted(shards.ids)}
        )
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=bot_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=AppTree,
            max_messages=None,
            allowed_installs=SERVER_INSTALL,
            allowed_contexts=SERVER_ONLY,
            **shard_options,
        )
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.force_sync = force_sync
        self.command_directory = CommandDirectory()
        # Replaced by the verified data key in prepare(), before anything is read or written.
        self.cipher = DataCipher(None)
        self._prepared = False
        self._setup_started = False
        # Each process paces its shards' share of the token's total (see bot/pacing.py).
        self.pacer = OutboundPacer(
            process_share(settings.scheduled_send_rate, shards),
            headroom=TOKEN_HEADROOM * shard_fraction(shards),
        )
        self.response_guard = ResponseGuard(self.pacer, settings.api_base)
        self.metrics = Metrics()
        self.response_guard.observers.append(self.metrics.observe_response)
        self.operations: OperationsServer | None = None
        self._engine_start: asyncio.Task[None] | None = None
        # Set once the schedule engine runs (after READY), for whoever must wait for it.
        self.scheduler_started = asyncio.Event()
        # Cogs route their schedule kinds here in cog_load; the engine, built once storage is open,
        # delivers through the same table.
        self.schedule_routes = ScheduleRoutes(shards)
        self._schedule_engine: ScheduleEngine | None = None
        self.pacer.install(self.http, before=self.response_guard.install)
        self.session_start_limit: SessionStartLimit = UNLIMITED
        self.identify_gate = IdentifyGate(lambda: getattr(self, "db", None))
        install_view_store(self)

    async def prepare(self) -> None:
        """Open and migrate the database, settle the data key and load the content (once)."""
        if self._prepared:
            return
        # Raises a kind failure (bot.failures) before Discord is contacted: bad database, key or content.
        prepared = await prepare(self.settings)
        self.db, self.cipher, self.content = prepared.db, prepared.key.cipher, prepared.content
        self._prepared = True

    async def login(self, token: str) -> None:
        """Point REST calls at the configured API base, then log in, retrying while Discord is unreachable."""
        # discord.py builds every REST and webhook URL from this class attribute.
        Route.BASE = self.settings.api_base
        delays = iter(CONNECT_BACKOFF)
        while True:
            try:
                await super().login(token)
                return
            except (aiohttp.ClientConnectionError, TimeoutError) as error:
                # Once setup_hook runs, cogs are loaded: a retry would load them twice.
                reason = str(error) or type(error).__name__
                delay = next(delays, None)
                if self._setup_started or delay is None:
                    raise DiscordUnreachableError(unreachable_message(reason)) from None
                log.warning("Cannot reach Discord (%s); trying again in %.0f s", reason, delay)
            # static_login makes a new session on the same connector, which closing the old one closed.
            await self.http.close()
            self.http.connector = discord.utils.MISSING
            await asyncio.sleep(delay)

    @property
    def schedule_engine(self) -> ScheduleEngine:
        """Return the schedule engine, which exists from ``setup_hook`` on (storage must be open)."""
        if self._schedule_engine is None:
            raise RuntimeError("the schedule engine is built in setup_hook, which has not run")
        return self._schedule_engine

    async def setup_hook(self) -> None:
        """Open storage, load content and cogs, sync commands and start the scheduler."""
        self._setup_started = True
        if self.settings.metrics_port is not None:
            self.operations = OperationsServer(
                self.metrics, self._probes(), host=self.settings.metrics_host, port=self.settings.metrics_port
            )
            await self.operations.start()
        await self._configure_gateway()
        await self.prepare()
        self._schedule_engine = ScheduleEngine(
            self.db,
            self.clock,
            grace=self.settings.schedule_grace,
            tick_seconds=self.settings.scheduler_tick_seconds,
            shards=self.settings.shard_scope,
            metrics=self.metrics,
            routes=self.schedule_routes,
        )
        for extension in cog_extensions():
            try:
                await self.load_extension(extension)
            except commands.ExtensionError:
                log.exception("Could not load %s; the other features still run", extension)
        self.command_directory = await sync_commands_if_changed(
            self.tree, self.db, self.application_id, force=self.force_sync
        )
        if self.application_id is not None:
            log.info("Invite Hearth with: %s", invite_url(self.application_id))
        if self.settings.disable_scheduler:
            log.info("Scheduler disabled by DISABLE_SCHEDULER")
        else:
            self._engine_start = asyncio.create_task(self._start_engine_when_ready(), name="engine-start")

    async def _start_engine_when_ready(self) -> None:
        """Start the schedule engine once every shard's servers are in the cache.

        Deliveries (recovered ones included) read servers, channels and permissions from the
        cache; before READY they would see none and pause every server's prompts.
        """
        await self.wait_until_ready()
        await self.schedule_engine.start()
        self.scheduler_started.set()

    async def _configure_gateway(self) -> None:
        """Read the session start limit, then choose the gateway URL.

        The URL is the setting, else the API base's /gateway/bot, else Discord's. Fewer session
        starts left than this process has shards means waiting for Discord's reset first.
        """
        _, fetched_url, limit = await self.http.get_bot_gateway()
        self.session_start_limit = SessionStartLimit.from_payload(limit)
        self.identify_gate.max_concurrency = self.session_start_limit.max_concurrency
        # discord.py connects to this URL without asking for one: the plain client always, the
        # sharded one whenever SHARD_COUNT is given (which Hearth always does when sharded).
        if self.settings.discord_gateway_url:
            url = self.settings.discord_gateway_url
        elif self.settings.discord_api_base:
            url = fetched_url
        else:
            url = DISCORD_GATEWAY_URL
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        log.info("Gateway: %s (max_concurrency %d)", url, self.session_start_limit.max_concurrency)
        shards = self.settings.shard_scope
        await wait_for_session_starts(self.session_start_limit, 1 if shards is None else len(shards.ids))

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Wait for this shard's IDENTIFY bucket, shared with every process of the token."""
        # Replaces discord.py's 5 s sleep between a process's own shards: the gate spaces them too.
        await self.identify_gate.wait_turn(shard_id)

    def _probes(self) -> Probes:
        """Return what /readyz and /metrics ask this bot."""

        async def database_ok() -> bool:
            db = getattr(self, "db", None)
            return db is not None and await db.fetch_one("SELECT 1 AS ok") is not None

        async def backlog() -> int:
            db = getattr(self, "db", None)
            return 0 if db is None else await schedules.count_due(db, self.clock.now())

        def engine_running() -> bool:
            engine = self._schedule_engine
            return self.settings.disable_scheduler or (engine is not None and engine.running)

        def latencies() -> list[tuple[int, float]]:
            if isinstance(self, commands.AutoShardedBot):
                return list(self.latencies)
            return [(0, self.latency)]

        return Probes(
            gateway_ready=lambda: self.is_ready() and not self.is_closed(),
            database_ok=database_ok,
            engine_running=engine_running,
            latencies=latencies,
            backlog=backlog,
            invalid_in_window=self.response_guard.invalid.in_window,
        )

    async def on_ready(self) -> None:
        """Log who we are once the guild cache is filled."""
        log.info("Ready as %s in %d servers", self.user, len(self.guilds))

    def clear(self) -> None:
        """Reset the client for another start, keeping Hearth's view store."""
        super().clear()
        install_view_store(self)

    async def close(self) -> None:
        """Stop the scheduler, unload cogs and disconnect, then close the database."""
        if self._engine_start is not None and not self._engine_start.done():
            self._engine_start.cancel()
            await asyncio.gather(self._engine_start, return_exceptions=True)
        if self._schedule_engine is not None:
            await self._schedule_engine.stop()
        await super().close()
        if self.operations is not None:
            await self.operations.stop()
        if hasattr(self, "db"):
            await self.db.close()


class ShardedHearthBot(HearthBot, commands.AutoShardedBot):
    """Hearth running the shards SHARD_IDS of SHARD_COUNT, one gateway connection per shard."""


def create_bot(settings: Settings, *, clock: Clock | None = None, force_sync: bool = False) -> HearthBot:
    """Build the bot exactly as `python -m bot` does: sharded when SHARD_COUNT is set."""
    bot_class = HearthBot if settings.shard_scope is None else ShardedHearthBot
    return bot_class(settings, clock=clock, force_sync=force_sync)


async def run_bot(bot: HearthBot) -> None:
    """Log in, connect and run until the bot is closed."""
    token = bot.settings.discord_token
    if token is None or not token.get_secret_value().strip():
        raise MissingTokenError
    async with bot:
        await bot.prepare()
        await bot.start(token.get_secret_value().strip())
