"""Gateway intents: the bits a session asks for, and which one each event needs."""

from __future__ import annotations

from bot.fake_discord.models import JSON

INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_GUILD_MESSAGE_REACTIONS = 1 << 10
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_DIRECT_MESSAGE_REACTIONS = 1 << 13
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT

# Events that need the GUILDS intent; message and reaction events are decided per payload (guild or DM).
_GUILD_EVENTS = (
    "GUILD_CREATE",
    "GUILD_UPDATE",
    "GUILD_DELETE",
    "GUILD_ROLE_CREATE",
    "GUILD_ROLE_UPDATE",
    "GUILD_ROLE_DELETE",
    "CHANNEL_CREATE",
    "CHANNEL_UPDATE",
    "CHANNEL_DELETE",
    "THREAD_CREATE",
    "THREAD_UPDATE",
    "THREAD_DELETE",
    "THREAD_LIST_SYNC",
    "THREAD_MEMBER_UPDATE",
)


def required_intent(event: str, data: JSON) -> int:
    """Return the intent bit an event needs, or 0 if every session receives it."""
    if event in _GUILD_EVENTS:
        return INTENT_GUILDS
    in_guild = "guild_id" in data
    if event in ("MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE"):
        return INTENT_GUILD_MESSAGES if in_guild else INTENT_DIRECT_MESSAGES
    if event.startswith("MESSAGE_REACTION_"):
        return INTENT_GUILD_MESSAGE_REACTIONS if in_guild else INTENT_DIRECT_MESSAGE_REACTIONS
    return 0
