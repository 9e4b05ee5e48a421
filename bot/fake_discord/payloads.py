"""How the world's objects look as Discord JSON (REST answers and gateway events)."""

from __future__ import annotations

from bot.fake_discord.intents import INTENT_GUILD_MEMBERS
from bot.fake_discord.models import (
    DM,
    GROUP_DM,
    GUILD_ANNOUNCEMENT,
    GUILD_FORUM,
    GUILD_STAGE_VOICE,
    GUILD_TEXT,
    GUILD_VOICE,
    JSON,
    Application,
    Channel,
    Guild,
    Member,
    Message,
    User,
)


class WorldPayloads:
    """Serialises the world's objects; mixed into ``World``, whose state it reads."""

    users: dict[int, User]
    guilds: dict[int, Guild]
    channels: dict[int, Channel]
    messages: dict[int, Message]
    thread_ids_by_guild: dict[int, list[int]]
    owner: User
    bot_user: User
    application: Application

    def role_payloads(self, guild: Guild) -> list[JSON]:
        """Return the guild's roles."""
        return [role.payload() for role in sorted(guild.roles.values(), key=lambda r: r.position)]

    def member_payload(self, member: Member, *, with_user: bool = True) -> JSON:
        """Return a guild member object."""
        data: JSON = {
            "nick": member.nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in member.roles],
            "joined_at": member.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.users[member.user_id].payload()
        return data

    def channel_payload(self, channel: Channel) -> JSON:
        """Return a channel object of the right shape for its type."""
        if channel.type == GROUP_DM:
            return {
                "id": str(channel.id),
                "type": GROUP_DM,
                "name": channel.name,
                "owner_id": str(channel.owner_id),
                "icon": None,
                "last_message_id": _opt_str(channel.last_message_id),
                "flags": 0,
                "recipients": [self.users[u].payload() for u in channel.recipients],
            }
        if channel.type == DM:
            return {
                "id": str(channel.id),
                "type": DM,
                "last_message_id": _opt_str(channel.last_message_id),
                "flags": 0,
                "recipients": [self.users[u].payload() for u in channel.recipients],
            }
        data: JSON = {
            "id": str(channel.id),
            "type": channel.type,
            "guild_id": str(channel.guild_id),
            "name": channel.name,
            "parent_id": _opt_str(channel.parent_id),
            "flags": 0,
            "nsfw": False,
            "rate_limit_per_user": 0,
        }
        if channel.is_thread:
            data.update(
                owner_id=str(channel.owner_id),
                last_message_id=_opt_str(channel.last_message_id),
                message_count=channel.message_count,
                total_message_sent=channel.message_count,
                member_count=len(channel.thread_members),
                thread_metadata={
                    "archived": channel.archived,
                    "auto_archive_duration": channel.auto_archive_duration,
                    "archive_timestamp": channel.created_at,
                    "locked": channel.locked,
                    "invitable": channel.invitable,
                    "create_timestamp": channel.created_at,
                },
            )
            if self.bot_user.id in channel.thread_members:
                data["member"] = {
                    "id": str(channel.id),
                    "user_id": str(self.bot_user.id),
                    "join_timestamp": channel.created_at,
                    "flags": 0,
                }
            return data
        data.update(
            position=channel.position,
            permission_overwrites=[o.payload() for o in channel.overwrites],
        )
        if channel.type in (GUILD_TEXT, GUILD_ANNOUNCEMENT, GUILD_FORUM):
            data.update(topic=channel.topic, last_message_id=_opt_str(channel.last_message_id))
            data["default_auto_archive_duration"] = 1440
        if channel.type in (GUILD_VOICE, GUILD_STAGE_VOICE):
            data.update(bitrate=64000, user_limit=0, rtc_region=None, last_message_id=None)
        if channel.type == GUILD_FORUM:
            data.update(
                available_tags=[],
                default_reaction_emoji=None,
                default_sort_order=None,
                default_forum_layout=0,
            )
        return data

    def guild_payload(self, guild: Guild) -> JSON:
        """Return the guild object (REST shape)."""
        return {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(guild.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": self.role_payloads(guild),
            "emojis": [],
            "stickers": [],
            "features": list(guild.features),
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_presences": None,
            "max_members": 500000,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": guild.preferred_locale,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
        }

    def guild_create_payload(self, guild: Guild, intents: int) -> JSON:
        """Return GUILD_CREATE's full guild: channels, threads, roles and the members the intents allow."""
        data = self.guild_payload(guild)
        members = [
            m
            for m in guild.members.values()
            if intents & INTENT_GUILD_MEMBERS or m.user_id == self.bot_user.id
        ]
        channels = [self.channels[c] for c in guild.channel_ids if not self.channels[c].deleted]
        threads = [
            c
            for c in (self.channels[t] for t in self.thread_ids_by_guild.get(guild.id, ()))
            if c.is_thread and not c.deleted and not c.archived
        ]
        data.update(
            joined_at=guild.joined_at,
            large=len(guild.members) >= 250,
            unavailable=False,
            member_count=len(guild.members),
            voice_states=[],
            members=[self.member_payload(m) for m in members],
            channels=[self.channel_payload(c) for c in channels],
            threads=[self.channel_payload(t) for t in threads],
            presences=[],
            stage_instances=[],
            guild_scheduled_events=[],
            soundboard_sounds=[],
        )
        return data

    def message_payload(self, message: Message, *, for_gateway: bool = False) -> JSON:
        """Return the message object."""
        author = self.users[message.author_id]
        data: JSON = {
            "id": str(message.id),
            "channel_id": str(message.channel_id),
            "type": message.type,
            "author": author.payload(),
            "content": message.content,
            "timestamp": message.timestamp,
            "edited_timestamp": message.edited_timestamp,
            "tts": message.tts,
            "mention_everyone": message.mention_everyone,
            "mentions": [self.users[u].payload() for u in message.mentions if u in self.users],
            "mention_roles": [str(r) for r in message.mention_roles],
            "attachments": [a.payload() for a in message.attachments],
            "embeds": message.embeds,
            "components": message.components,
            "pinned": message.pinned,
            "flags": message.flags,
        }
        if message.nonce is not None:
            data["nonce"] = message.nonce
        if message.webhook_id is not None:
            data["webhook_id"] = str(message.webhook_id)
        if message.application_id is not None:
            data["application_id"] = str(message.application_id)
        if message.interaction_metadata is not None:
            data["interaction_metadata"] = message.interaction_metadata
        if message.interaction is not None:
            data["interaction"] = message.interaction
        if message.message_reference is not None:
            data["message_reference"] = message.message_reference
            ref_id = message.message_reference.get("message_id")
            referenced = self.messages.get(int(ref_id)) if ref_id else None
            if referenced is not None and referenced is not message:
                data["referenced_message"] = None if referenced.deleted else self.message_payload(referenced)
        if message.thread_id is not None and message.thread_id in self.channels:
            data["thread"] = self.channel_payload(self.channels[message.thread_id])
        if message.reactions:
            data["reactions"] = [
                {
                    "emoji": message.reaction_emojis[key],
                    "count": len(users),
                    "count_details": {"burst": 0, "normal": len(users)},
                    "me": self.bot_user.id in users,
                    "me_burst": False,
                    "burst_colors": [],
                }
                for key, users in message.reactions.items()
                if users
            ]
        if for_gateway and message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
            guild = self.guilds.get(message.guild_id)
            member = guild.members.get(message.author_id) if guild else None
            if member is not None:
                data["member"] = self.member_payload(member, with_user=False)
        return data

    def app_info_payload(self) -> JSON:
        """Return GET /oauth2/applications/@me."""
        app = self.application
        return {
            "id": str(app.id),
            "name": app.name,
            "icon": None,
            "description": "A Discord bot for emotional safety (fake).",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": app.flags,
            "owner": self.owner.payload(),
            "team": None,
            "rpc_origins": [],
            "interactions_endpoint_url": app.interactions_endpoint_url,
            "redirect_uris": [],
            "tags": [],
            "bot": self.bot_user.payload(),
            "install_params": {"scopes": ["bot", "applications.commands"], "permissions": "309237697536"},
            "integration_types_config": {
                "0": {
                    "oauth2_install_params": {
                        "scopes": ["bot", "applications.commands"],
                        "permissions": "309237697536",
                    }
                }
            },
        }


def _opt_str(value: int | None) -> str | None:
    """Return ``str(value)`` or None."""
    return None if value is None else str(value)
