"""The test-facing driver: build a world, act as users (slash commands, buttons, modals), read results."""

from __future__ import annotations

from bot.fake_discord.connection import Handshake
from bot.fake_discord.driving.base import CommandNotAvailableError
from bot.fake_discord.driving.building import WorldBuilding
from bot.fake_discord.driving.commands import CommandActions
from bot.fake_discord.driving.components import ComponentActions
from bot.fake_discord.interactions import InteractionRecord
from bot.fake_discord.models import JSON, Channel, Command, Guild, Message, User
from bot.fake_discord.permissions import P
from bot.fake_discord.server import FakeDiscord


class Driver(WorldBuilding, CommandActions, ComponentActions):
    """Builds the fake world and plays the users' side of Discord."""

    def __init__(self, server: FakeDiscord) -> None:
        super().__init__(server)
        self._handshake_mark = 0

    # ----- reading --------------------------------------------------------------------------

    def messages_in(self, channel: Channel, *, include_ephemeral: bool = False) -> list[Message]:
        """Return the live messages of a channel or thread, oldest first."""
        return [m for m in self.world.messages_in(channel.id) if include_ephemeral or not m.ephemeral]

    def dms_to(self, user: User) -> list[Message]:
        """Return the bot's (non-ephemeral) messages in its DM channel with ``user``."""
        channel_id = self.world.dm_channel_by_user.get(user.id)
        if channel_id is None:
            return []
        return [
            m
            for m in self.world.messages_in(channel_id)
            if m.author_id == self.bot_user.id and not m.ephemeral
        ]

    def threads_in(self, channel: Channel) -> list[Channel]:
        """Return the threads under a channel."""
        return [c for c in self.world.channels.values() if c.parent_id == channel.id and c.is_thread]

    def reactions_on(self, message: Message) -> dict[str, list[int]]:
        """Return emoji -> user ids who reacted."""
        return {k: list(v) for k, v in message.reactions.items() if v}

    def commands(self, guild: Guild | None = None) -> list[Command]:
        """Return the synced global (or guild) commands."""
        return list(self.world.commands.get(guild.id if guild else None, {}).values())

    def unanswered_interactions(self) -> list[InteractionRecord]:
        """Return interactions without an initial response that were not declared as such."""
        return [r for r in self.server.interactions.values() if r.initial is None and not r.expect_unanswered]

    # ----- gateway --------------------------------------------------------------------------

    @property
    def identifies(self) -> list[JSON]:
        """Return every IDENTIFY payload received."""
        return [h.payload for h in self.server.gateway.handshakes if h.kind == "IDENTIFY"]

    @property
    def intents(self) -> int | None:
        """Return the intents of the newest IDENTIFY."""
        identifies = self.identifies
        return identifies[-1].get("intents") if identifies else None

    async def drop_websocket(self, mode: str = "abort", *, code: int = 4000) -> None:
        """Disconnect the bot: abort (TCP drop), close (code), reconnect (op 7) or invalidate (op 9)."""
        self._handshake_mark = len(self.server.gateway.handshakes)
        await self.server.gateway.drop(mode, code=code)

    async def wait_for_identify_or_resume(self, timeout: float = 10.0) -> Handshake:
        """Wait for the next IDENTIFY/RESUME after the last drop and for READY/RESUMED to be sent."""
        handshake = await self.server.gateway.wait_for_handshake(self._handshake_mark, timeout)
        self._handshake_mark += 1
        return handshake


__all__ = ["CommandNotAvailableError", "Driver", "P"]
