"""REST routes for threads: starting one (from a message, without one, or a forum post) and membership."""

from __future__ import annotations

from aiohttp import web

import bot.fake_discord.errors as errors
from bot.fake_discord.errors import ApiError, form_error
from bot.fake_discord.messages import extract, require_body
from bot.fake_discord.models import (
    DM,
    GUILD_FORUM,
    GUILD_TEXT,
    JSON,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    Channel,
    Message,
)
from bot.fake_discord.permissions import P
from bot.fake_discord.rest.authoring import fill
from bot.fake_discord.rest.base import Routes
from bot.fake_discord.rest.http import Route, json_response, no_content, path_user_id, read_body


class ThreadRoutes(Routes):
    """POST .../threads and PUT/DELETE thread-members."""

    def routes(self) -> list[Route]:
        """Return this group's routes."""
        channel = "/channels/{channel_id}"
        return [
            ("POST", channel + "/messages/{message_id}/threads", self.thread_from_message, True),
            ("POST", channel + "/threads", self.thread_without_message, True),
            ("PUT", channel + "/thread-members/{user_id}", self.join_thread, True),
            ("DELETE", channel + "/thread-members/{user_id}", self.leave_thread, True),
        ]

    async def thread_from_message(self, request: web.Request) -> web.Response:
        """POST /channels/{id}/messages/{id}/threads: a public thread whose id is the message id."""
        channel = self.route_channel(request, need=P.VIEW_CHANNEL | P.CREATE_PUBLIC_THREADS)
        message = self.route_message(request, channel)
        if channel.is_thread or channel.type == DM:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        if message.thread_id is not None:
            raise ApiError(400, 160004, "A thread has already been created for this message")
        body, _ = await read_body(request)
        name = _thread_name(body)
        thread = self.world.add_thread(
            channel,
            name,
            type=PUBLIC_THREAD if channel.type == GUILD_TEXT else 10,
            owner_id=self.world.bot_user.id,
            thread_id=message.id,
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
        )
        message.thread_id = thread.id
        return await self._thread_created(thread)

    async def thread_without_message(self, request: web.Request) -> web.Response:
        """POST /channels/{id}/threads: a public/private thread, or a forum post with its first message."""
        channel = self.route_channel(request)
        body, files = await read_body(request)
        perms = self.world.bot_permissions_in(channel)
        name = _thread_name(body)
        if channel.type == GUILD_FORUM:
            if not perms & P.SEND_MESSAGES:
                raise errors.missing_permissions()
            fields = extract(
                self.world, body.get("message") or {}, files, channel_id=channel.id, prefix="message."
            )
            require_body(fields)
            thread = self.world.add_thread(channel, name, type=PUBLIC_THREAD, owner_id=self.world.bot_user.id)
            starter = Message(
                id=thread.id, channel_id=thread.id, guild_id=thread.guild_id, author_id=self.world.bot_user.id
            )
            fill(self.world, starter, fields)
            self.world.add_message(starter)
            return await self._thread_created(thread)
        kind = int(body.get("type") or PRIVATE_THREAD)
        need = P.CREATE_PRIVATE_THREADS if kind == PRIVATE_THREAD else P.CREATE_PUBLIC_THREADS
        if not perms & need:
            raise errors.missing_permissions()
        if channel.is_thread or channel.type == DM:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        thread = self.world.add_thread(
            channel,
            name,
            type=kind,
            owner_id=self.world.bot_user.id,
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
            invitable=bool(body.get("invitable", True)),
        )
        return await self._thread_created(thread)

    async def _thread_created(self, thread: Channel) -> web.Response:
        """Dispatch THREAD_CREATE and answer with the thread."""
        data = self.world.channel_payload(thread)
        await self.dispatch("THREAD_CREATE", {**data, "newly_created": True})
        return json_response(data, status=201)

    async def join_thread(self, request: web.Request) -> web.Response:
        """PUT thread-members/@me or /{user_id}."""
        thread = self.route_channel(request)
        if not thread.is_thread:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        user_id = path_user_id(request, self.world.bot_user.id)
        guild = self.world.guilds[thread.guild_id or 0]
        if user_id not in guild.members:
            raise errors.unknown_member()
        if thread.archived:
            raise ApiError(400, 50083, "Thread is archived")
        thread.thread_members.add(user_id)
        return no_content()

    async def leave_thread(self, request: web.Request) -> web.Response:
        """DELETE thread-members/@me or /{user_id}."""
        thread = self.route_channel(request)
        user_id = path_user_id(request, self.world.bot_user.id)
        thread.thread_members.discard(user_id)
        return no_content()


def _thread_name(body: JSON) -> str:
    """Return a valid thread name or raise 50035."""
    name = str(body.get("name") or "")
    if not 1 <= len(name) <= 100:
        raise form_error("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    return name
