"""One gateway connection and the session it carries, with zlib-stream compression."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import zlib
from dataclasses import dataclass, field

from aiohttp import web

from bot.fake_discord.models import JSON
from bot.fake_discord.sharding import UNSHARDED


class ZlibStream:
    """zlib-stream transport compression: one deflate stream per connection, Z_SYNC_FLUSH per message."""

    def __init__(self) -> None:
        self._compressor = zlib.compressobj()

    def compress(self, text: str) -> bytes:
        """Compress one gateway message."""
        return self._compressor.compress(text.encode()) + self._compressor.flush(zlib.Z_SYNC_FLUSH)


@dataclass
class Handshake:
    """One IDENTIFY or RESUME the gateway received."""

    kind: str
    payload: JSON
    session_id: str | None
    accepted: bool = False
    completed: asyncio.Event = field(default_factory=asyncio.Event)
    # When it arrived (time.monotonic()); IDENTIFY pacing is measured from these.
    at: float = field(default_factory=time.monotonic)
    # An IDENTIFY refused because its bucket already had one within IDENTIFY_SPACING seconds.
    too_soon: bool = False


@dataclass
class Session:
    """A gateway session: its sequence, intents and the events buffered for RESUME."""

    id: str
    intents: int
    identify: JSON
    seq: int = 0
    buffer: list[JSON] = field(default_factory=list)
    connection: Connection | None = None
    invalid: bool = False
    presence: JSON | None = None
    shard: tuple[int, int] = UNSHARDED


class Connection:
    """One websocket connection from a client."""

    def __init__(
        self, ws: web.WebSocketResponse, request: web.Request, compressor: ZlibStream | None
    ) -> None:
        self.ws = ws
        self.request = request
        self.compressor = compressor
        self.session: Session | None = None
        self.heartbeats = 0
        self.server_closed = False
        self._lock = asyncio.Lock()

    async def send(self, payload: JSON) -> None:
        """Send one gateway payload (compressed if the client asked for zlib-stream)."""
        text = json.dumps(payload)
        async with self._lock:
            if self.ws.closed:
                return
            with contextlib.suppress(ConnectionResetError, RuntimeError):
                if self.compressor is not None:
                    await self.ws.send_bytes(self.compressor.compress(text))
                else:
                    await self.ws.send_str(text)

    async def close(self, *, code: int, message: bytes = b"") -> None:
        """Close from the server side with ``code``."""
        self.server_closed = True
        await self.ws.close(code=code, message=message)

    def abort(self) -> None:
        """Drop the TCP connection without a close frame."""
        transport = self.request.transport
        if transport is not None:
            transport.abort()
