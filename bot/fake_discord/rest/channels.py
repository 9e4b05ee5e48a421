"""REST routes for channels and their messages: read, send, edit, delete, typing and pins."""

from __future__ import annotations

import time

from aiohttp import web

import bot.fake_discord.errors as errors
from bot.fake_discord.errors import ApiError, form_error
from bot.fake_discord.messages import extract, require_body
from bot.fake_discord.models import DM, JSON, MESSAGEABLE_TYPES, Channel, Message
from bot.fake_discord.permissions import P
from bot.fake_discord.rest.authoring import apply_edit, fill
from bot.fake_discord.rest.base import Routes
from bot.fake_discord.rest.http import Route, json_response, no_content, path_snowflake, read_body
from bot.fake_discord.snowflake import snowflake_time

# Discord remembers an enforce_nonce nonce for "a few minutes".
NONCE_WINDOW_SECONDS = 5 * 60


class ChannelRoutes(Routes):
    """/channels/{id}: the channel, its messages, typing and pins."""

    def routes(self) -> list[Route]:
        """Return this group's routes (pins before ``messages/{message_id}``)."""
        channel = "/channels/{channel_id}"
        message = channel + "/messages/{message_id}"
        return [
            ("GET", channel, self.get_channel, True),
            ("PATCH", channel, self.edit_channel, True),
            ("GET", channel + "/messages/pins", self.list_pins, True),
            ("PUT", channel + "/messages/pins/{message_id}", self.pin, True),
            ("DELETE", channel + "/messages/pins/{message_id}", self.unpin, True),
            ("GET", channel + "/messages", self.list_messages, True),
            ("POST", channel + "/messages", self.create_message, True),
            ("GET", message, self.get_message, True),
            ("PATCH", message, self.edit_message, True),
            ("DELETE", message, self.delete_message, True),
            ("POST", channel + "/typing", self.typing, True),
        ]

    async def get_channel(self, request: web.Request) -> web.Response:
        """GET /channels/{id}."""
        return json_response(self.world.channel_payload(self.route_channel(request)))

    async def edit_channel(self, request: web.Request) -> web.Response:
        """PATCH /channels/{id}: name/topic, or archive/lock a thread."""
        channel = self.route_channel(request)
        body, _ = await read_body(request)
        perms = self.world.bot_permissions_in(channel) if channel.guild_id else 0
        if channel.is_thread:
            if channel.owner_id != self.world.bot_user.id and not perms & P.MANAGE_THREADS:
                raise errors.missing_permissions()
            channel.archived = bool(body.get("archived", channel.archived))
            channel.locked = bool(body.get("locked", channel.locked))
            event = "THREAD_UPDATE"
        else:
            if not perms & P.MANAGE_CHANNELS:
                raise errors.missing_permissions()
            channel.topic = body.get("topic", channel.topic)
            event = "CHANNEL_UPDATE"
        channel.name = body.get("name", channel.name)
        await self.dispatch(event, self.world.channel_payload(channel))
        return json_response(self.world.channel_payload(channel))

    async def list_messages(self, request: web.Request) -> web.Response:
        """GET /channels/{id}/messages: newest first, with before/after/limit."""
        channel = self.route_channel(request, need=P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY)
        messages = [m for m in self.world.messages_in(channel.id) if not m.ephemeral]
        limit = min(int(request.query.get("limit", 50)), 100)
        if "before" in request.query:
            messages = [m for m in messages if m.id < int(request.query["before"])]
        if "after" in request.query:
            messages = [m for m in messages if m.id > int(request.query["after"])][:limit]
        result = list(reversed(messages))[:limit]
        return json_response([self.world.message_payload(m) for m in result])

    async def create_message(self, request: web.Request) -> web.Response:
        """POST /channels/{id}/messages with DM, permission and content checks."""
        channel = self.world.live_channel(path_snowflake(request, "channel_id", errors.unknown_channel))
        if channel is None:
            raise errors.unknown_channel()
        if self.world.is_private_channel(channel):
            raise errors.missing_access()
        body, files = await read_body(request)
        if channel.type == DM:
            recipient = self.world.users[channel.recipients[0]]
            if not recipient.dms_open:
                raise errors.cannot_dm()
            # Installing the app opens its DM too (observed, not documented by Discord).
            if recipient.id not in self.world.installed_users and not self.world.mutual_guild(recipient.id):
                raise errors.no_mutual_guilds()
            perms = 0
        else:
            send = P.SEND_MESSAGES_IN_THREADS if channel.is_thread else P.SEND_MESSAGES
            channel = self.route_channel(request, need=P.VIEW_CHANNEL | send)
            perms = self.world.bot_permissions_in(channel)
            if channel.type not in MESSAGEABLE_TYPES:
                raise ApiError(400, 50008, "Cannot send messages in a non-text channel")
            if channel.is_thread and channel.locked and not perms & P.MANAGE_THREADS:
                raise ApiError(400, 50083, "Thread is archived")
            if files and not perms & P.ATTACH_FILES:
                raise errors.missing_permissions()
        if channel.type not in MESSAGEABLE_TYPES:
            raise ApiError(400, 50008, "Cannot send messages in a non-text channel")
        fields = extract(self.world, body, files, channel_id=channel.id)
        require_body(fields)
        if fields.enforce_nonce and fields.nonce is not None:
            earlier = self._nonce_duplicate(fields.nonce)
            if earlier is not None:
                self.server.nonce_duplicates.append(earlier.id)
                return json_response(self.world.message_payload(earlier))
        if fields.message_reference is not None:
            self._check_reference(channel, fields.message_reference, perms)
        message = Message(
            id=self.world.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author_id=self.world.bot_user.id,
            flags=fields.flags or 0,
            type=19 if fields.message_reference else 0,
        )
        fill(self.world, message, fields)
        if channel.guild_id is not None and message.embeds and not perms & P.EMBED_LINKS:
            message.dropped_embeds, message.embeds = message.embeds, []
        if channel.is_thread and channel.archived:
            channel.archived = False
        self.world.add_message(message)
        await self.dispatch("MESSAGE_CREATE", self.world.message_payload(message, for_gateway=True))
        return json_response(self.world.message_payload(message))

    def _nonce_duplicate(self, nonce: str | int) -> Message | None:
        """Return the bot's message with this nonce from the last few minutes (enforce_nonce)."""
        horizon = time.time() - NONCE_WINDOW_SECONDS
        # Newest first, like Discord; only messages stored with this nonce can match.
        for message_id in reversed(self.world.message_ids_by_nonce.get(nonce, [])):
            message = self.world.messages[message_id]
            if snowflake_time(message.id).timestamp() < horizon:
                break
            if message.nonce == nonce and message.author_id == self.world.bot_user.id and not message.deleted:
                return message
        return None

    def _check_reference(self, channel: Channel, reference: JSON, perms: int) -> None:
        """Replies need Read Message History and (unless told otherwise) an existing message."""
        if channel.guild_id is not None and not perms & P.READ_MESSAGE_HISTORY:
            raise errors.missing_permissions()
        target = self.world.messages.get(int(reference.get("message_id", 0)))
        if (target is None or target.deleted) and reference.get("fail_if_not_exists", True):
            raise form_error("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")

    async def get_message(self, request: web.Request) -> web.Response:
        """GET one message."""
        channel = self.route_channel(request, need=P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY)
        return json_response(self.world.message_payload(self.route_message(request, channel)))

    async def edit_message(self, request: web.Request) -> web.Response:
        """PATCH one message (only the bot's own)."""
        channel = self.route_channel(request)
        message = self.route_message(request, channel)
        if message.author_id != self.world.bot_user.id:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        body, files = await read_body(request)
        fields = extract(self.world, body, files, channel_id=channel.id, existing=message.attachments)
        apply_edit(self.world, message, fields)
        await self.dispatch("MESSAGE_UPDATE", self.world.message_payload(message, for_gateway=True))
        return json_response(self.world.message_payload(message))

    async def delete_message(self, request: web.Request) -> web.Response:
        """DELETE one message (own, or anyone's with Manage Messages in a guild)."""
        channel = self.route_channel(request)
        message = self.route_message(request, channel)
        moderator = (
            channel.guild_id is not None and self.world.bot_permissions_in(channel) & P.MANAGE_MESSAGES
        )
        if message.author_id != self.world.bot_user.id and not moderator:
            raise errors.missing_permissions()
        message.deleted = True
        await self.dispatch_delete(message)
        return no_content()

    async def typing(self, request: web.Request) -> web.Response:
        """POST /channels/{id}/typing."""
        self.route_channel(request)
        return no_content()

    async def list_pins(self, request: web.Request) -> web.Response:
        """GET pinned messages."""
        channel = self.route_channel(request, need=P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY)
        pinned = [m for m in self.world.messages_in(channel.id) if m.pinned]
        items = [
            {"pinned_at": m.timestamp, "message": self.world.message_payload(m)} for m in reversed(pinned)
        ]
        return json_response({"items": items, "has_more": False})

    async def pin(self, request: web.Request) -> web.Response:
        """PUT a pin."""
        return await self._set_pin(request, pinned=True)

    async def unpin(self, request: web.Request) -> web.Response:
        """DELETE a pin."""
        return await self._set_pin(request, pinned=False)

    async def _set_pin(self, request: web.Request, *, pinned: bool) -> web.Response:
        """Pin or unpin (Manage Messages or Pin Messages in guilds)."""
        channel = self.route_channel(request)
        if channel.guild_id is not None and not self.world.bot_permissions_in(channel) & (
            P.MANAGE_MESSAGES | P.PIN_MESSAGES
        ):
            raise errors.missing_permissions()
        self.route_message(request, channel).pinned = pinned
        return no_content()
