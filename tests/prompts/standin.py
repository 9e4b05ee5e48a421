"""A stand-in for HearthBot: the real database, content and clock, with Discord sends recorded."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any
from unittest.mock import AsyncMock, MagicMock

import discord

from bot.clock import ManualClock
from bot.command_sync import CommandDirectory
from bot.content.library import Content
from bot.crypto import DataCipher
from bot.db.database import Database
from bot.schedule.routes import ScheduleRoutes

GUILD = 10
CHANNEL = 20
ROLE = 30
ADMIN = 40
# 08:00 in London on a winter day; the prompt is due at 09:00 local (= UTC in November).
START = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
_ids = itertools.count(1000)


def http_error(cls: type[discord.HTTPException], status: int, code: int) -> discord.HTTPException:
    response = MagicMock(status=status, reason="error")
    return cls(response, {"code": code, "message": "error"})


class StandInBot:
    """Just enough of HearthBot for the prompt feature: real db, content and clock; recorded sends."""

    def __init__(self, db: Database, content: Content, clock: ManualClock) -> None:
        self.db = db
        self.content = content
        self.clock = clock
        self.cipher = DataCipher(None)
        self.schedule_routes = ScheduleRoutes()
        self.command_directory = CommandDirectory({"prompt": 1, "circle": 2, "setup": 3})
        self.sent: list[dict[str, Any]] = []
        # Everyone the tests name is still in the server: member lookups succeed.
        self.http = MagicMock()
        self.http.get_member = AsyncMock(return_value={})
        self.dms: list[str] = []
        self.messages: list[MagicMock] = []
        self.channel_gone = False
        self.refuse_replies = False
        self.permissions = discord.Permissions.all()
        self.channel = self._text_channel()
        self.thread = MagicMock(spec=discord.Thread)
        self.thread.id = 77
        self.thread.send = AsyncMock(side_effect=self._record("thread"))
        guild = MagicMock(spec=discord.Guild)
        guild.name = "Home"
        guild.system_channel = None
        guild.get_channel = self.get_channel
        self.guild = guild

    def _text_channel(self) -> MagicMock:
        channel = MagicMock(spec=discord.TextChannel)
        channel.id = CHANNEL
        channel.mention = f"<#{CHANNEL}>"
        channel.permissions_for.side_effect = lambda _member: self.permissions
        channel.send = AsyncMock(side_effect=self._record("channel"))
        return channel

    def _record(self, where: str) -> Any:
        async def send(**kwargs: Any) -> MagicMock:
            if where == "channel" and self.channel_gone:
                raise http_error(discord.NotFound, 404, 10003)
            if "reference" in kwargs and self.refuse_replies:
                raise http_error(discord.Forbidden, 403, 50013)
            self.sent.append({"where": where, **kwargs})
            message = MagicMock(spec=discord.Message)
            message.id = next(_ids)
            message.channel = self.thread if where == "thread" else self.channel
            message.create_thread = AsyncMock(return_value=self.thread)
            self.messages.append(message)
            return message

        return send

    def get_channel(self, channel_id: int) -> Any:
        if channel_id == CHANNEL and not self.channel_gone:
            return self.channel
        if channel_id == self.thread.id:
            return self.thread
        return None

    async def fetch_channel(self, channel_id: int) -> Any:
        raise http_error(discord.NotFound, 404, 10003)

    def get_guild(self, guild_id: int) -> Any:
        return self.guild

    def get_user(self, user_id: int) -> Any:
        user = MagicMock()

        async def send(text: str, **kwargs: Any) -> None:
            self.dms.append(text)

        user.send = send
        return user
