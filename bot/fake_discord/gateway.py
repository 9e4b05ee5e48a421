"""The fake gateway: HELLO, IDENTIFY/READY, heartbeats, RESUME with replay, and dispatch."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import secrets
from collections.abc import Callable
from typing import Any

from aiohttp import WSMsgType, web

from bot.fake_discord.connection import Connection, Handshake, Session, ZlibStream
from bot.fake_discord.intents import PRIVILEGED_INTENTS, required_intent
from bot.fake_discord.models import JSON
from bot.fake_discord.sharding import UNSHARDED, parse_shard, shard_for_guild, shard_receives
from bot.fake_discord.world import World

log = logging.getLogger(__name__)

OP_DISPATCH = 0
OP_HEARTBEAT = 1
OP_IDENTIFY = 2
OP_PRESENCE_UPDATE = 3
OP_RESUME = 6
OP_RECONNECT = 7
OP_REQUEST_GUILD_MEMBERS = 8
OP_INVALID_SESSION = 9
OP_HELLO = 10
OP_HEARTBEAT_ACK = 11


GUILD_CREATE_YIELD_EVERY = 25
# Discord allows max_concurrency IDENTIFYs per 5 s, one per bucket (shard_id % max_concurrency).
IDENTIFY_SPACING = 5.0


class Gateway:
    """Serves ``/gateway`` and keeps the sessions."""

    def __init__(self, world: World, *, url: Callable[[], str], heartbeat_interval_ms: int = 2000) -> None:
        self.world = world
        self._url = url
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.sessions: dict[str, Session] = {}
        self.connections: list[Connection] = []
        self.handshakes: list[Handshake] = []
        self.protocol_errors: list[str] = []
        self.presence_updates: list[JSON] = []
        self.member_requests: list[JSON] = []
        # What GET /gateway/bot recommends; tests raise it to let discord.py pick the shard count.
        self.recommended_shards = 1
        # GET /gateway/bot's session_start_limit: accepted IDENTIFYs use up `remaining`.
        self.max_concurrency = 1
        self.session_starts_total = 1000
        self.session_starts_used = 0
        self.session_starts_reset_after_ms = 14_400_000
        # Refuse (op 9) an IDENTIFY whose bucket had an accepted one less than 5 s before, as Discord
        # does. Off by default: single-process tests reconnect faster than that on purpose.
        self.enforce_identify_spacing = False
        self._changed = asyncio.Condition()
        self._closing = False

    # ----- public API -----------------------------------------------------------------------

    @property
    def current_session(self) -> Session | None:
        """Return the newest session that is still valid."""
        valid = [s for s in self.sessions.values() if not s.invalid]
        return valid[-1] if valid else None

    def sessions_for_shard(self, shard_id: int, num_shards: int) -> list[Session]:
        """Return every session (valid or not) that identified as [shard_id, num_shards], oldest first."""
        return [s for s in self.sessions.values() if s.shard == (shard_id, num_shards)]

    def session_start_limit(self) -> JSON:
        """Return GET /gateway/bot's session_start_limit."""
        return {
            "total": self.session_starts_total,
            "remaining": max(self.session_starts_total - self.session_starts_used, 0),
            "reset_after": self.session_starts_reset_after_ms,
            "max_concurrency": self.max_concurrency,
        }

    def bucket_of(self, handshake: Handshake) -> int:
        """Return the IDENTIFY bucket of a handshake (shard_id % max_concurrency)."""
        shard = parse_shard(handshake.payload) or UNSHARDED
        return shard[0] % self.max_concurrency

    def identify_gaps(self) -> dict[int, list[float]]:
        """Return, per bucket, the seconds between consecutive IDENTIFYs that arrived."""
        times: dict[int, list[float]] = {}
        for handshake in self.handshakes:
            if handshake.kind == "IDENTIFY":
                times.setdefault(self.bucket_of(handshake), []).append(handshake.at)
        return {bucket: [b - a for a, b in itertools.pairwise(at)] for bucket, at in times.items()}

    @property
    def identifies_refused(self) -> list[Handshake]:
        """Return the IDENTIFYs refused for coming too soon after another in their bucket."""
        return [h for h in self.handshakes if h.too_soon]

    async def dispatch(self, event: str, data: JSON) -> int:
        """Send an event to every valid session that has the intent and owns it; return how many got it."""
        sent = 0
        for session in list(self.sessions.values()):
            if session.invalid:
                continue
            need = required_intent(event, data)
            if need and not session.intents & need:
                continue
            if await self.dispatch_to(session, event, data):
                sent += 1
        return sent

    async def drop(self, mode: str = "abort", *, code: int = 4000) -> None:
        """Disconnect clients: abort (no close frame), close (code), reconnect (op 7), invalidate (op 9)."""
        for conn in list(self.connections):
            if mode == "abort":
                conn.abort()
            elif mode == "close":
                await conn.close(code=code, message=b"fake discord closed the connection")
            elif mode == "reconnect":
                await conn.send({"op": OP_RECONNECT, "d": None})
            elif mode == "invalidate":
                if conn.session is not None:
                    conn.session.invalid = True
                await conn.send({"op": OP_INVALID_SESSION, "d": False})
            else:
                raise ValueError(f"unknown drop mode {mode!r}")

    async def wait_for_handshake(self, since: int, timeout: float) -> Handshake:
        """Wait for the first IDENTIFY or RESUME after the ``since``-th one and for it to complete."""
        async with asyncio.timeout(timeout):
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.handshakes) > since)
            handshake = self.handshakes[since]
            await handshake.completed.wait()
            return handshake

    async def close_all(self) -> None:
        """Close every connection (server shutdown)."""
        self._closing = True
        for conn in list(self.connections):
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001)

    # ----- websocket handler ----------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Serve one gateway websocket connection."""
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        encoding = request.query.get("encoding", "json")
        compress = request.query.get("compress")
        if encoding != "json":
            self.protocol_errors.append(f"unsupported encoding {encoding!r}")
            await ws.close(code=4002, message=b"Decode error")
            return ws
        compressor: ZlibStream | None = None
        if compress == "zlib-stream":
            compressor = ZlibStream()
        elif compress:
            self.protocol_errors.append(f"unsupported compression {compress!r}")
            await ws.close(code=4002, message=b"Unsupported compression")
            return ws
        conn = Connection(ws, request, compressor)
        self.connections.append(conn)
        try:
            await conn.send({"op": OP_HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    if msg.type is WSMsgType.BINARY:
                        self.protocol_errors.append("client sent a binary frame")
                    continue
                await self._on_message(conn, json.loads(msg.data))
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self.connections.remove(conn)
            session = conn.session
            if session is not None and session.connection is conn:
                session.connection = None
                # A client closing with 1000/1001 ends its session; other codes keep it resumable.
                if ws.close_code in (1000, 1001) and not (self._closing or conn.server_closed):
                    session.invalid = True
        return ws

    async def _on_message(self, conn: Connection, message: JSON) -> None:
        """Handle one payload from the client."""
        op = message.get("op")
        data = message.get("d")
        if op == OP_HEARTBEAT:
            conn.heartbeats += 1
            await conn.send({"op": OP_HEARTBEAT_ACK})
        elif op == OP_IDENTIFY:
            await self._identify(conn, data or {})
        elif op == OP_RESUME:
            await self._resume(conn, data or {})
        elif op == OP_PRESENCE_UPDATE:
            self.presence_updates.append(data or {})
        elif op == OP_REQUEST_GUILD_MEMBERS:
            await self._request_members(conn, data or {})
        else:
            self.protocol_errors.append(f"unknown opcode {op!r}")
            await conn.close(code=4001, message=b"Unknown opcode")

    async def _record(self, handshake: Handshake) -> None:
        """Remember a handshake and wake waiters."""
        async with self._changed:
            self.handshakes.append(handshake)
            self._changed.notify_all()

    async def _identify(self, conn: Connection, data: JSON) -> None:
        """IDENTIFY: check the token and intents, then READY and one GUILD_CREATE per guild."""
        handshake = Handshake("IDENTIFY", data, None)
        await self._record(handshake)
        try:
            if conn.session is not None:
                await conn.close(code=4005, message=b"Already authenticated")
                return
            if data.get("token") != self.world.token:
                await conn.close(code=4004, message=b"Authentication failed")
                return
            intents = data.get("intents")
            if not isinstance(intents, int) or intents < 0:
                await conn.close(code=4013, message=b"Invalid intent(s)")
                return
            if intents & PRIVILEGED_INTENTS & ~self.world.application.privileged_intents:
                await conn.close(code=4014, message=b"Disallowed intent(s)")
                return
            shard = parse_shard(data)
            if shard is None:
                await conn.close(code=4010, message=b"Invalid shard")
                return
            if self.enforce_identify_spacing and self._too_soon(handshake):
                handshake.too_soon = True
                await conn.send({"op": OP_INVALID_SESSION, "d": False})
                return
            self.session_starts_used += 1
            self._retire_dead_sessions(shard)
            session = Session(id=secrets.token_hex(16), intents=intents, identify=data, shard=shard)
            self.sessions[session.id] = session
            session.connection = conn
            conn.session = session
            handshake.session_id = session.id
            handshake.accepted = True
            guilds = [g for g in self.world.bot_guilds() if shard_for_guild(g.id, shard[1]) == shard[0]]
            ready = {
                "v": 10,
                "user": {**self.world.bot_user.payload(), "verified": True, "mfa_enabled": False},
                "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
                "session_id": session.id,
                "session_type": "normal",
                "resume_gateway_url": self._url(),
                "shard": list(shard),
                "application": {"id": str(self.world.application.id), "flags": self.world.application.flags},
                "private_channels": [],
                "presences": [],
                "relationships": [],
                "user_settings": {},
                "guild_join_requests": [],
                "geo_ordered_rtc_regions": [],
                "auth_session_id_hash": "",
                "_trace": ["fake-discord"],
            }
            await self.dispatch_to(session, "READY", ready)
            for number, guild in enumerate(guilds, start=1):
                if not guild.unavailable:
                    await self.dispatch_to(
                        session, "GUILD_CREATE", self.world.guild_create_payload(guild, intents)
                    )
                if number % GUILD_CREATE_YIELD_EVERY == 0:
                    # Thousands of GUILD_CREATEs must not hold up REST requests (and the global
                    # limit's clock) of the other sessions: Discord serves those elsewhere.
                    await asyncio.sleep(0)
        finally:
            handshake.completed.set()

    def _too_soon(self, handshake: Handshake) -> bool:
        """Return whether an accepted IDENTIFY of the same bucket came less than 5 s before this one."""
        bucket = self.bucket_of(handshake)
        return any(
            h.kind == "IDENTIFY"
            and h.accepted
            and self.bucket_of(h) == bucket
            and handshake.at - h.at < IDENTIFY_SPACING
            for h in self.handshakes
            if h is not handshake
        )

    def _retire_dead_sessions(self, shard: tuple[int, int]) -> None:
        """Invalidate older sessions of this shard whose process is gone, so events stop piling up.

        A session that still has a connection is left alone (Discord lets it run), and one that
        is merely disconnected stays resumable until the same shard identifies afresh.
        """
        for old in self.sessions_for_shard(*shard):
            if old.connection is None:
                old.invalid = True

    async def _resume(self, conn: Connection, data: JSON) -> None:
        """RESUME: replay what the client missed and send RESUMED, or INVALID_SESSION."""
        handshake = Handshake("RESUME", data, data.get("session_id"))
        await self._record(handshake)
        try:
            if data.get("token") != self.world.token:
                await conn.close(code=4004, message=b"Authentication failed")
                return
            session = self.sessions.get(str(data.get("session_id")))
            seq = data.get("seq")
            if session is None or session.invalid or not isinstance(seq, int) or seq > session.seq:
                await conn.send({"op": OP_INVALID_SESSION, "d": False})
                return
            old = session.connection
            if old is not None and old is not conn:
                old.session = None
                await old.close(code=4000)
            session.connection = conn
            conn.session = session
            handshake.accepted = True
            for payload in session.buffer:
                if payload["s"] > seq:
                    await conn.send(payload)
            await self.dispatch_to(session, "RESUMED", {"_trace": ["fake-discord"]})
        finally:
            handshake.completed.set()

    async def _request_members(self, conn: Connection, data: JSON) -> None:
        """REQUEST_GUILD_MEMBERS: answer with one chunk of the asked user ids (or nothing)."""
        self.member_requests.append(data)
        session = conn.session
        guild = self.world.guilds.get(int(data.get("guild_id", 0)))
        if session is None or guild is None:
            return
        wanted = [int(u) for u in data.get("user_ids") or []]
        members = [guild.members[u] for u in wanted if u in guild.members]
        chunk: JSON = {
            "guild_id": str(guild.id),
            "members": [self.world.member_payload(m) for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [str(u) for u in wanted if u not in guild.members],
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self.dispatch_to(session, "GUILD_MEMBERS_CHUNK", chunk)

    async def dispatch_to(self, session: Session, event: str, data: Any) -> bool:
        """Give the event the session's next sequence number, buffer it and send it if connected.

        Events of a guild another shard owns (and DM events, on shards other than 0) are dropped
        here rather than only in ``dispatch``, because the driver also sends straight to sessions.
        Return whether the session got the event.
        """
        if not shard_receives(session.shard, event, data):
            return False
        session.seq += 1
        payload = {"op": OP_DISPATCH, "t": event, "s": session.seq, "d": data}
        session.buffer.append(payload)
        if session.connection is not None:
            await session.connection.send(payload)
        return True
