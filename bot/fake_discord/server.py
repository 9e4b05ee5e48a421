"""FakeDiscord: the aiohttp application (REST + gateway) bound to 127.0.0.1 on a free port."""

from __future__ import annotations

import logging
import time
import traceback
from dataclasses import dataclass
from typing import Any

from aiohttp import web

import bot.fake_discord.errors as errors
from bot.fake_discord.errors import ApiError
from bot.fake_discord.gateway import Gateway
from bot.fake_discord.interactions import InteractionRecord
from bot.fake_discord.models import JSON
from bot.fake_discord.ratelimit import RateLimitConfig, RateLimiter, RateLimitHit
from bot.fake_discord.rest.api import RestApi
from bot.fake_discord.rest.http import API, Handler, json_response
from bot.fake_discord.snowflake import SnowflakeFactory
from bot.fake_discord.world import World

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
_MAJOR_KEYS = ("channel_id", "guild_id", "webhook_id", "interaction_id")
_TOKEN_KEYS = ("webhook_token", "interaction_token")


@dataclass
class RequestLog:
    """One HTTP request the fake answered."""

    method: str
    path: str
    route: str
    status: int
    error_code: int | None
    body: Any = None


class FakeDiscord:
    """A local fake of Discord's REST API and gateway that discord.py can really talk to."""

    def __init__(self, *, token: str = "fake-token", heartbeat_interval_ms: int = 2000) -> None:  # noqa: S107
        self.ids = SnowflakeFactory()
        self.port = 0
        self.world = World(self.ids, token=token, attachment_base="")
        self.gateway = Gateway(
            self.world, url=lambda: self.gateway_url, heartbeat_interval_ms=heartbeat_interval_ms
        )
        self.limiter = RateLimiter()
        self.rest = RestApi(self)
        self.interactions: dict[int, InteractionRecord] = {}
        self.interactions_by_token: dict[str, InteractionRecord] = {}
        self.requests: list[RequestLog] = []
        self.unknown_requests: list[str] = []
        self.server_errors: list[str] = []
        self.late_callbacks: list[str] = []
        self.blocked_hosts: list[str] = []
        self.invalid_requests = 0
        self.command_syncs: list[tuple[int | None, list[JSON]]] = []
        self.dm_opens: list[int] = []
        self.nonce_duplicates: list[int] = []
        self.app_edits: list[JSON] = []
        self._runner: web.AppRunner | None = None

    # ----- lifecycle ------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """Return ``http://127.0.0.1:PORT``."""
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def api_base(self) -> str:
        """Return the REST base, e.g. ``http://127.0.0.1:PORT/api/v10`` (for Route.BASE)."""
        return self.base_url + API

    @property
    def gateway_url(self) -> str:
        """Return the gateway websocket URL (also sent as resume_gateway_url)."""
        return f"ws://{LOOPBACK}:{self.port}/gateway"

    def build_app(self) -> web.Application:
        """Return the aiohttp application with every route and the catch-all."""
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{channel_id}/{attachment_id}/{filename}", self._attachment)
        for method, path, handler, needs_auth in self.rest.routes():
            wrapped = self._authed(handler) if needs_auth else handler
            app.router.add_route(method, API + path, wrapped)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        return app

    async def start(self) -> None:
        """Start serving on 127.0.0.1 and a free port."""
        self._runner = web.AppRunner(self.build_app(), access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, LOOPBACK, 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self.world.attachment_base = f"{self.base_url}/attachments"

    async def stop(self) -> None:
        """Close websockets and stop serving."""
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ----- rate limits ----------------------------------------------------------------------

    def enable_rate_limits(
        self,
        *,
        global_limit: int = 50,
        global_per: float = 1.0,
        routes: dict[str, tuple[int, float]] | None = None,
        default_route: tuple[int, float] = (50, 1.0),
    ) -> None:
        """Turn on rate limiting: a global limit plus per-route buckets ("METHOD /path/{param}" keys)."""
        config = RateLimitConfig(
            enabled=True, global_limit=global_limit, global_per=global_per, default_route=default_route
        )
        if routes is not None:
            config.routes = dict(routes)
        self.limiter.configure(config)

    def disable_rate_limits(self) -> None:
        """Back to generous buckets (headers still sent)."""
        self.limiter.configure(RateLimitConfig())

    @property
    def rate_limit_hits(self) -> list[RateLimitHit]:
        """Return every 429 served."""
        return list(self.limiter.hits)

    # ----- interactions ---------------------------------------------------------------------

    def register_interaction(self, record: InteractionRecord) -> None:
        """Remember an interaction so its callback and webhook routes work."""
        self.interactions[record.id] = record
        self.interactions_by_token[record.token] = record

    async def dispatch(self, event: str, data: JSON) -> int:
        """Dispatch a gateway event to the connected (or resumable) sessions."""
        return await self.gateway.dispatch(event, data)

    # ----- HTTP plumbing --------------------------------------------------------------------

    def _authed(self, handler: Handler) -> Handler:
        """Wrap a handler so it requires ``Authorization: Bot <token>``."""

        async def wrapper(request: web.Request) -> web.StreamResponse:
            """Check the bot token, then run the handler."""
            if request.headers.get("Authorization") != f"Bot {self.world.token}":
                raise errors.unauthorized()
            return await handler(request)

        wrapper.__name__ = getattr(handler, "__name__", "handler")
        return wrapper

    async def _unknown(self, request: web.Request) -> web.StreamResponse:
        """Catch-all: record and answer Discord's 404."""
        self.unknown_requests.append(f"{request.method} {request.path_qs}")
        raise errors.not_found()

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        """Serve an attachment's bytes."""
        attachment_id = int(request.match_info["attachment_id"])
        for message in self.world.messages.values():
            for attachment in message.attachments:
                if attachment.id == attachment_id:
                    return web.Response(body=attachment.data, content_type="application/octet-stream")
        raise errors.not_found()

    @staticmethod
    def _route_key(request: web.Request) -> tuple[str, str]:
        """Return ("METHOD /template", major parameter) for rate limiting."""
        info = request.match_info
        resource = info.route.resource
        template = resource.canonical if resource is not None else request.path
        template = template.removeprefix(API)
        if template == "/{tail}":
            template = "unknown"
        major = "+".join(info[k] for k in (*_MAJOR_KEYS, *_TOKEN_KEYS) if k in info)
        return f"{request.method} {template}", major

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Rate limits, Discord's JSON errors, X-RateLimit-* and Via headers on every REST answer."""
        if request.path == "/gateway" or request.path.startswith("/attachments/"):
            return await self._error_response(request, handler)
        route, major = self._route_key(request)
        exempt = route.split(" ", 1)[1].startswith(("/interactions/", "/webhooks/"))
        decision = self.limiter.check(request.method, request.path, route, major, exempt_global=exempt)
        if decision.limited:
            body = {
                "message": "You are being rate limited.",
                "retry_after": round(decision.retry_after, 3),
                "global": decision.scope == "global",
            }
            response: web.StreamResponse = json_response(body, status=429)
            error_code: int | None = None
        else:
            response = await self._error_response(request, handler)
            error_code = getattr(response, "_fake_error_code", None)
        response.headers.update(decision.headers)
        response.headers["Via"] = "1.1 google"
        if response.status in (401, 403, 429):
            self.invalid_requests += 1
        self.requests.append(RequestLog(request.method, request.path_qs, route, response.status, error_code))
        return response

    async def _error_response(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Run the handler, turning ApiError into Discord's JSON error and crashes into 500s."""
        start = time.monotonic()
        try:
            return await handler(request)
        except ApiError as exc:
            response = json_response(exc.body(), status=exc.status)
            response._fake_error_code = exc.code  # type: ignore[attr-defined]
            return response
        except web.HTTPException:
            raise
        except Exception:
            self.server_errors.append(f"{request.method} {request.path}: {traceback.format_exc()}")
            log.exception(
                "fake discord crashed on %s %s after %.3fs",
                request.method,
                request.path,
                time.monotonic() - start,
            )
            return json_response({"message": "500: Internal Server Error", "code": 0}, status=500)

    # ----- teardown checks ------------------------------------------------------------------

    def problems(self) -> list[str]:
        """Return everything that should fail a test: unknown endpoints, crashes, late answers, escapes."""
        found: list[str] = []
        found += [f"unknown endpoint: {r}" for r in self.unknown_requests]
        found += [f"fake server error: {e}" for e in self.server_errors]
        found += [f"late interaction callback: {c}" for c in self.late_callbacks]
        found += [f"blocked non-loopback network access: {h}" for h in self.blocked_hosts]
        found += [f"gateway protocol error: {e}" for e in self.gateway.protocol_errors]
        return found
