"""Discord permission bits and the documented permission-computation algorithm."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntFlag


class P(IntFlag):
    """Permission bits as listed in Discord's documentation."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    PRIORITY_SPEAKER = 1 << 8
    STREAM = 1 << 9
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    SEND_TTS_MESSAGES = 1 << 12
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    VIEW_GUILD_INSIGHTS = 1 << 19
    CONNECT = 1 << 20
    SPEAK = 1 << 21
    MUTE_MEMBERS = 1 << 22
    DEAFEN_MEMBERS = 1 << 23
    MOVE_MEMBERS = 1 << 24
    USE_VAD = 1 << 25
    CHANGE_NICKNAME = 1 << 26
    MANAGE_NICKNAMES = 1 << 27
    MANAGE_ROLES = 1 << 28
    MANAGE_WEBHOOKS = 1 << 29
    MANAGE_GUILD_EXPRESSIONS = 1 << 30
    USE_APPLICATION_COMMANDS = 1 << 31
    REQUEST_TO_SPEAK = 1 << 32
    MANAGE_EVENTS = 1 << 33
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    CREATE_PRIVATE_THREADS = 1 << 36
    USE_EXTERNAL_STICKERS = 1 << 37
    SEND_MESSAGES_IN_THREADS = 1 << 38
    USE_EMBEDDED_ACTIVITIES = 1 << 39
    MODERATE_MEMBERS = 1 << 40
    VIEW_CREATOR_MONETIZATION_ANALYTICS = 1 << 41
    USE_SOUNDBOARD = 1 << 42
    CREATE_GUILD_EXPRESSIONS = 1 << 43
    CREATE_EVENTS = 1 << 44
    USE_EXTERNAL_SOUNDS = 1 << 45
    SEND_VOICE_MESSAGES = 1 << 46
    SEND_POLLS = 1 << 49
    USE_EXTERNAL_APPS = 1 << 50
    PIN_MESSAGES = 1 << 51
    BYPASS_SLOWMODE = 1 << 52


ALL_PERMISSIONS = (1 << 53) - 1

# Chatting in a text channel: see and read it, send with embeds and files, react, use emojis and apps.
_TEXT_CHAT = (
    P.VIEW_CHANNEL
    | P.READ_MESSAGE_HISTORY
    | P.SEND_MESSAGES
    | P.EMBED_LINKS
    | P.ATTACH_FILES
    | P.ADD_REACTIONS
    | P.USE_EXTERNAL_EMOJIS
    | P.USE_APPLICATION_COMMANDS
)

# What a fresh server's @everyone gets in these tests (no @everyone pings, no admin powers).
DEFAULT_EVERYONE = (
    _TEXT_CHAT
    | P.CREATE_INSTANT_INVITE
    | P.CHANGE_NICKNAME
    | P.CREATE_PUBLIC_THREADS
    | P.SEND_MESSAGES_IN_THREADS
    | P.SEND_POLLS
    | P.CONNECT
    | P.SPEAK
    | P.USE_VAD
    | P.STREAM
)

# The permissions Hearth's invite link asks for (bot.app.INVITE_PERMISSIONS).
HEARTH_INVITE = (
    P.VIEW_CHANNEL
    | P.SEND_MESSAGES
    | P.EMBED_LINKS
    | P.ATTACH_FILES
    | P.CREATE_PUBLIC_THREADS
    | P.SEND_MESSAGES_IN_THREADS
)

# What an app is granted in a DM with its bot user (app_permissions of DM interactions): text chat.
DM_PERMISSIONS = _TEXT_CHAT

_NEEDS_SEND = P.MENTION_EVERYONE | P.SEND_TTS_MESSAGES | P.ATTACH_FILES | P.EMBED_LINKS


@dataclass(frozen=True)
class Overwrite:
    """One permission overwrite on a channel: type 0 is a role, type 1 a member."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def payload(self) -> dict[str, object]:
        """Return the overwrite as Discord serialises it."""
        return {"id": str(self.id), "type": self.type, "allow": str(self.allow), "deny": str(self.deny)}


def base_permissions(
    *,
    guild_id: int,
    owner_id: int,
    user_id: int,
    role_permissions: dict[int, int],
    member_roles: Iterable[int],
) -> int:
    """Compute a member's guild-level permissions (@everyone, their roles, owner, administrator)."""
    if user_id == owner_id:
        return ALL_PERMISSIONS
    permissions = role_permissions.get(guild_id, 0)
    for role_id in member_roles:
        permissions |= role_permissions.get(role_id, 0)
    if permissions & P.ADMINISTRATOR:
        return ALL_PERMISSIONS
    return permissions


def channel_permissions(
    base: int,
    *,
    guild_id: int,
    user_id: int,
    member_roles: Iterable[int],
    overwrites: Iterable[Overwrite],
    in_thread: bool = False,
) -> int:
    """Apply channel overwrites (@everyone, then roles together, then the member) and implicit rules."""
    if base & P.ADMINISTRATOR or base == ALL_PERMISSIONS:
        return ALL_PERMISSIONS
    by_key = {(o.type, o.id): o for o in overwrites}
    permissions = base
    everyone = by_key.get((0, guild_id))
    if everyone is not None:
        permissions &= ~everyone.deny
        permissions |= everyone.allow
    allow = deny = 0
    for role_id in member_roles:
        overwrite = by_key.get((0, role_id))
        if overwrite is not None:
            allow |= overwrite.allow
            deny |= overwrite.deny
    permissions &= ~deny
    permissions |= allow
    member = by_key.get((1, user_id))
    if member is not None:
        permissions &= ~member.deny
        permissions |= member.allow
    # Implicit permissions: no View Channel means nothing; no Send means no send-dependent powers.
    if not permissions & P.VIEW_CHANNEL:
        return 0
    sending = P.SEND_MESSAGES_IN_THREADS if in_thread else P.SEND_MESSAGES
    if not permissions & sending:
        permissions &= ~_NEEDS_SEND
    return permissions


def names(value: int) -> list[str]:
    """Return the names of the bits set in ``value`` (for readable assertion messages)."""
    return [flag.name or str(flag.value) for flag in P if value & flag.value]
