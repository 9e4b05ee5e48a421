"""What every part of the driver shares: the server, its world and firing an interaction."""

from __future__ import annotations

from collections.abc import Sequence

from bot.fake_discord.interactions import InteractionHandle, InteractionRecord
from bot.fake_discord.invocation import base_payload
from bot.fake_discord.models import JSON, Channel, Message, User
from bot.fake_discord.server import FakeDiscord
from bot.fake_discord.world import World


class CommandNotAvailableError(AssertionError):
    """Discord would not offer this command to this user here (permissions or contexts)."""


class DriverBase:
    """The server the driver plays Discord's users against."""

    def __init__(self, server: FakeDiscord) -> None:
        self.server = server

    @property
    def world(self) -> World:
        """Return the world state."""
        return self.server.world

    @property
    def bot_user(self) -> User:
        """Return the bot's user."""
        return self.world.bot_user

    @property
    def owner(self) -> User:
        """Return the application owner."""
        return self.world.owner

    async def _interact(
        self,
        type: int,
        channel: Channel,
        user: User,
        data: JSON,
        *,
        label: str,
        locale: str | None = None,
        command_type: int | None = None,
        message: Message | None = None,
        integration_types: Sequence[int] = (0, 1),
    ) -> InteractionHandle:
        """Build INTERACTION_CREATE (from ``message`` for components and modals), dispatch it, return it."""
        interaction_id = self.world.ids.next()
        payload = base_payload(
            self.world,
            interaction_id=interaction_id,
            type=type,
            channel=channel,
            user=user,
            data=data,
            locale=locale or user.locale,
            # A press on a message an interaction made is authorized by that interaction's owners.
            owners=_original_owners(message),
            integration_types=integration_types,
        )
        if message is not None:
            payload["message"] = self.world.message_payload(message)
        record = InteractionRecord(
            id=interaction_id,
            type=type,
            label=label,
            payload=payload,
            channel_id=channel.id,
            guild_id=channel.guild_id,
            user_id=user.id,
            source_message_id=message.id if message is not None else None,
            command_type=command_type,
        )
        if self.server.gateway.current_session is None:
            raise RuntimeError("no gateway session: start the bot before invoking interactions")
        self.server.register_interaction(record)
        await self.server.dispatch("INTERACTION_CREATE", record.payload)
        return InteractionHandle(record, self.world)


def _original_owners(message: Message | None) -> dict[str, str] | None:
    """Return the authorizing owners of the interaction that created ``message``, if one did."""
    if message is None or message.interaction_metadata is None:
        return None
    return dict(message.interaction_metadata.get("authorizing_integration_owners") or {})
