"""Writing the bot's messages: filling a new one, applying an edit, and who it really pings."""

from __future__ import annotations

from bot.fake_discord.interactions import APPLICATION_COMMAND, InteractionRecord
from bot.fake_discord.messages import MessageFields
from bot.fake_discord.models import FLAG_EPHEMERAL, FLAG_LOADING, JSON, Message
from bot.fake_discord.snowflake import iso_now
from bot.fake_discord.world import World

MESSAGE_TYPE_CHAT_INPUT = 20
MESSAGE_TYPE_CONTEXT_MENU = 23


def fill(world: World, message: Message, fields: MessageFields) -> None:
    """Set content, embeds, components, attachments and pings on a new message."""
    message.content = fields.content or ""
    message.embeds = fields.embeds or []
    message.components = fields.components or []
    message.attachments = fields.attachments or []
    message.allowed_mentions = fields.allowed_mentions if fields.allowed_mentions_given else None
    message.nonce = fields.nonce
    message.tts = fields.tts
    message.message_reference = fields.message_reference
    _pings(world, message)


def apply_edit(world: World, message: Message, fields: MessageFields) -> None:
    """Apply an edit: only given fields change; flags keep ephemeral and drop loading."""
    if fields.content is not None:
        message.content = fields.content
    if fields.embeds is not None:
        message.embeds = fields.embeds
    if fields.components is not None:
        message.components = fields.components
    if fields.attachments is not None:
        message.attachments = fields.attachments
    if fields.allowed_mentions_given:
        message.allowed_mentions = fields.allowed_mentions
    if fields.flags is not None:
        message.flags = (message.flags & FLAG_EPHEMERAL) | (fields.flags & ~FLAG_EPHEMERAL)
    message.flags &= ~FLAG_LOADING
    message.edited_timestamp = iso_now()
    message.edits += 1
    _pings(world, message)


def _pings(world: World, message: Message) -> None:
    """Compute who the message pings under its allowed_mentions."""
    channel = world.channels.get(message.channel_id)
    guild = world.guild_of(channel) if channel else None
    perms = world.bot_permissions_in(channel) if channel and guild else 0
    users, roles, everyone = world.resolve_mentions(message.content, message.allowed_mentions, guild, perms)
    message.mentions, message.mention_roles, message.mention_everyone = users, roles, everyone


def interaction_message(
    world: World, record: InteractionRecord, fields: MessageFields, *, loading: bool
) -> Message:
    """Create a message authored by the app in the interaction's channel."""
    flags = fields.flags or 0
    if loading:
        flags |= FLAG_LOADING
    if record.type == APPLICATION_COMMAND:
        mtype = MESSAGE_TYPE_CHAT_INPUT if record.command_type == 1 else MESSAGE_TYPE_CONTEXT_MENU
    else:
        mtype = 0
    message = Message(
        id=world.ids.next(),
        channel_id=record.channel_id,
        guild_id=record.guild_id,
        author_id=world.bot_user.id,
        flags=flags,
        type=mtype,
        webhook_id=world.application.id,
        application_id=world.application.id,
        interaction_id=record.id,
        visible_to=record.user_id if flags & FLAG_EPHEMERAL else None,
    )
    fill(world, message, fields)
    message.interaction_metadata, message.interaction = interaction_message_metadata(world, record)
    world.add_message(message)
    return message


def interaction_message_metadata(world: World, record: InteractionRecord) -> tuple[JSON, JSON]:
    """Return (interaction_metadata, interaction) for messages created by an interaction."""
    user = world.users[record.user_id]
    metadata: JSON = {
        "id": str(record.id),
        "type": record.type,
        "user": user.payload(),
        "authorizing_integration_owners": record.payload.get("authorizing_integration_owners", {}),
    }
    if record.original_message_id is not None:
        metadata["original_response_message_id"] = str(record.original_message_id)
    legacy: JSON = {"id": str(record.id), "type": record.type, "name": record.label, "user": user.payload()}
    return metadata, legacy
