"""REST routes for reactions on a message."""

from __future__ import annotations

from aiohttp import web

import bot.fake_discord.errors as errors
from bot.fake_discord.errors import ApiError
from bot.fake_discord.models import JSON, Message
from bot.fake_discord.permissions import P
from bot.fake_discord.rest.base import Routes
from bot.fake_discord.rest.http import Route, json_response, no_content, path_user_id


class ReactionRoutes(Routes):
    """/channels/{id}/messages/{id}/reactions: add, remove, list and clear."""

    def routes(self) -> list[Route]:
        """Return this group's routes."""
        reactions = "/channels/{channel_id}/messages/{message_id}/reactions"
        return [
            ("DELETE", reactions, self.clear_reactions, True),
            ("GET", reactions + "/{emoji}", self.reaction_users, True),
            ("DELETE", reactions + "/{emoji}", self.clear_emoji, True),
            ("PUT", reactions + "/{emoji}/{user_id}", self.add_reaction, True),
            ("DELETE", reactions + "/{emoji}/{user_id}", self.remove_reaction, True),
        ]

    def _emoji(self, request: web.Request) -> tuple[str, JSON]:
        """Parse the emoji path segment: a unicode emoji or name:id (a:name:id for animated)."""
        raw = request.match_info["emoji"]
        parts = raw.split(":")
        if len(parts) == 1:
            if not raw or raw.isascii():
                raise ApiError(400, 10014, "Unknown Emoji")
            return raw, {"id": None, "name": raw}
        name, emoji_id = parts[-2], parts[-1]
        if not emoji_id.isdigit():
            raise ApiError(400, 10014, "Unknown Emoji")
        return f"{name}:{emoji_id}", {"id": emoji_id, "name": name, "animated": parts[0] == "a"}

    async def add_reaction(self, request: web.Request) -> web.Response:
        """PUT reactions/{emoji}/@me."""
        channel = self.route_channel(request, need=P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY)
        message = self.route_message(request, channel)
        if request.match_info["user_id"] != "@me":
            raise errors.not_found()
        key, emoji = self._emoji(request)
        users = message.reactions.get(key)
        if (
            not users
            and channel.guild_id is not None
            and not self.world.bot_permissions_in(channel) & P.ADD_REACTIONS
        ):
            raise errors.missing_permissions()
        message.reaction_emojis[key] = emoji
        users = message.reactions.setdefault(key, [])
        if self.world.bot_user.id not in users:
            users.append(self.world.bot_user.id)
            await self._reaction_event("MESSAGE_REACTION_ADD", message, self.world.bot_user.id, emoji)
        return no_content()

    async def remove_reaction(self, request: web.Request) -> web.Response:
        """DELETE reactions/{emoji}/@me or /{user_id} (the latter needs Manage Messages)."""
        channel = self.route_channel(request, need=P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY)
        message = self.route_message(request, channel)
        key, emoji = self._emoji(request)
        user_id = path_user_id(request, self.world.bot_user.id)
        if (
            user_id != self.world.bot_user.id
            and not self.world.bot_permissions_in(channel) & P.MANAGE_MESSAGES
        ):
            raise errors.missing_permissions()
        users = message.reactions.get(key, [])
        if user_id in users:
            users.remove(user_id)
            await self._reaction_event("MESSAGE_REACTION_REMOVE", message, user_id, emoji)
        return no_content()

    async def reaction_users(self, request: web.Request) -> web.Response:
        """GET reactions/{emoji}: who reacted."""
        channel = self.route_channel(request, need=P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY)
        message = self.route_message(request, channel)
        key, _ = self._emoji(request)
        users = message.reactions.get(key, [])
        return json_response([self.world.users[u].payload() for u in users])

    async def clear_reactions(self, request: web.Request) -> web.Response:
        """DELETE all reactions (Manage Messages)."""
        channel = self.route_channel(request, need=P.VIEW_CHANNEL | P.MANAGE_MESSAGES)
        self.route_message(request, channel).reactions.clear()
        return no_content()

    async def clear_emoji(self, request: web.Request) -> web.Response:
        """DELETE all reactions of one emoji (Manage Messages)."""
        channel = self.route_channel(request, need=P.VIEW_CHANNEL | P.MANAGE_MESSAGES)
        message = self.route_message(request, channel)
        key, _ = self._emoji(request)
        message.reactions.pop(key, None)
        return no_content()

    async def _reaction_event(self, event: str, message: Message, user_id: int, emoji: JSON) -> None:
        """Dispatch a reaction event."""
        data: JSON = {
            "user_id": str(user_id),
            "channel_id": str(message.channel_id),
            "message_id": str(message.id),
            "emoji": emoji,
            "burst": False,
            "type": 0,
        }
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
        await self.dispatch(event, data)
