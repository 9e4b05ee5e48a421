"""Validating and turning message payloads (JSON or multipart) into stored fields, with Discord's limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.fake_discord.components import validate_components
from bot.fake_discord.errors import ApiError, empty_message, form_error
from bot.fake_discord.models import FLAG_COMPONENTS_V2, FLAG_EPHEMERAL, JSON, Attachment
from bot.fake_discord.world import World

CONTENT_LIMIT = 2000
EMBEDS_PER_MESSAGE = 10
EMBED_TOTAL_LIMIT = 6000
NONCE_LIMIT = 25

SUPPRESS_EMBEDS = 1 << 2
SUPPRESS_NOTIFICATIONS = 1 << 12
IS_VOICE_MESSAGE = 1 << 13
_CREATE_FLAGS = SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | IS_VOICE_MESSAGE | FLAG_COMPONENTS_V2


@dataclass
class UploadedFile:
    """One ``files[n]`` part of a multipart request."""

    field_name: str
    filename: str
    content_type: str | None
    data: bytes

    @property
    def index(self) -> int | None:
        """Return n from ``files[n]`` (or None for other names)."""
        name = self.field_name
        if name.startswith("files[") and name.endswith("]"):
            try:
                return int(name[6:-1])
            except ValueError:
                return None
        return None


@dataclass
class MessageFields:
    """The validated parts of a message payload; None means "not given" (keep on edit)."""

    content: str | None = None
    embeds: list[JSON] | None = None
    components: list[JSON] | None = None
    flags: int | None = None
    allowed_mentions: JSON | None = None
    allowed_mentions_given: bool = False
    attachments: list[Attachment] | None = None
    nonce: str | int | None = None
    enforce_nonce: bool = False
    tts: bool = False
    message_reference: JSON | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def has_body(self) -> bool:
        """Return True if the message would show anything."""
        return bool(
            self.content or self.embeds or self.components or self.attachments or self.extra.get("poll")
        )


def embed_length(embed: JSON) -> int:
    """Return the characters that count towards the 6000 total, as Discord counts them."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    for item in embed.get("fields") or []:
        total += len(item.get("name") or "") + len(item.get("value") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    return total


def validate_embeds(embeds: list[JSON], prefix: str) -> None:
    """Raise 50035 if any embed breaks Discord's limits."""
    if len(embeds) > EMBEDS_PER_MESSAGE:
        raise form_error(f"{prefix}embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    limits = {"title": 256, "description": 4096}
    for i, embed in enumerate(embeds):
        for key, limit in limits.items():
            if len(embed.get(key) or "") > limit:
                raise form_error(
                    f"{prefix}embeds.{i}.{key}",
                    "BASE_TYPE_MAX_LENGTH",
                    f"Must be {limit} or fewer in length.",
                )
        fields = embed.get("fields") or []
        if len(fields) > 25:
            raise form_error(
                f"{prefix}embeds.{i}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."
            )
        for j, item in enumerate(fields):
            if not item.get("name") or not item.get("value"):
                raise form_error(
                    f"{prefix}embeds.{i}.fields.{j}", "BASE_TYPE_REQUIRED", "This field is required"
                )
            if len(item["name"]) > 256 or len(item["value"]) > 1024:
                raise form_error(
                    f"{prefix}embeds.{i}.fields.{j}", "BASE_TYPE_MAX_LENGTH", "Field name/value is too long."
                )
        if len((embed.get("footer") or {}).get("text") or "") > 2048:
            raise form_error(
                f"{prefix}embeds.{i}.footer.text", "BASE_TYPE_MAX_LENGTH", "Must be 2048 or fewer."
            )
        if len((embed.get("author") or {}).get("name") or "") > 256:
            raise form_error(
                f"{prefix}embeds.{i}.author.name", "BASE_TYPE_MAX_LENGTH", "Must be 256 or fewer."
            )
    if sum(embed_length(e) for e in embeds) > EMBED_TOTAL_LIMIT:
        raise form_error(
            f"{prefix}embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"
        )


def validate_allowed_mentions(allowed: JSON, prefix: str) -> None:
    """Raise 50035 for contradictory allowed_mentions, as Discord does."""
    parse = allowed.get("parse", [])
    for kind in ("users", "roles"):
        if kind in parse and allowed.get(kind):
            raise form_error(
                f"{prefix}allowed_mentions",
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
            )
        if len(allowed.get(kind) or []) > 100:
            raise form_error(
                f"{prefix}allowed_mentions.{kind}", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer."
            )


def extract(
    world: World,
    payload: JSON,
    files: list[UploadedFile],
    *,
    channel_id: int,
    prefix: str = "",
    allow_ephemeral: bool = False,
    existing: list[Attachment] | None = None,
) -> MessageFields:
    """Validate a message create/edit payload and return its fields (None where absent)."""
    fields = MessageFields()
    for upload in files:
        if len(upload.data) > world.attachment_size_limit:
            raise ApiError(413, 40005, "Request entity too large")
    if "content" in payload:
        content = payload["content"]
        fields.content = "" if content is None else str(content)
        if len(fields.content) > CONTENT_LIMIT:
            raise form_error(f"{prefix}content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
    flags = payload.get("flags")
    if flags is not None:
        allowed_flags = _CREATE_FLAGS | (FLAG_EPHEMERAL if allow_ephemeral else 0)
        if flags & ~allowed_flags:
            raise form_error(f"{prefix}flags", "MESSAGE_FLAGS_INVALID", f"Invalid flags {flags}.")
        fields.flags = int(flags)
    if "embeds" in payload:
        fields.embeds = list(payload["embeds"] or [])
        validate_embeds(fields.embeds, prefix)
    if "components" in payload:
        fields.components = list(payload["components"] or [])
        validate_components(fields.components, fields.flags or 0, prefix)
    if "allowed_mentions" in payload:
        fields.allowed_mentions_given = True
        fields.allowed_mentions = payload["allowed_mentions"]
        if fields.allowed_mentions is not None:
            validate_allowed_mentions(fields.allowed_mentions, prefix)
    fields.attachments = _attachments(world, payload, files, channel_id, prefix, existing or [])
    fields.nonce = payload.get("nonce")
    if fields.nonce is not None and len(str(fields.nonce)) > NONCE_LIMIT:
        raise form_error(f"{prefix}nonce", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    fields.enforce_nonce = bool(payload.get("enforce_nonce"))
    fields.tts = bool(payload.get("tts", False))
    fields.message_reference = payload.get("message_reference")
    for key in ("poll", "sticker_ids"):
        if payload.get(key):
            fields.extra[key] = payload[key]
    return fields


def _attachments(
    world: World,
    payload: JSON,
    files: list[UploadedFile],
    channel_id: int,
    prefix: str,
    existing: list[Attachment],
) -> list[Attachment] | None:
    """Match ``attachments`` metadata to uploaded ``files[n]``; keep listed existing ones on edit."""
    by_index = {f.index: f for f in files if f.index is not None}
    meta = payload.get("attachments")
    if meta is None and not files:
        return None
    result: list[Attachment] = []
    used: set[int] = set()
    existing_by_id = {a.id: a for a in existing}
    for i, item in enumerate(meta or []):
        raw_id = int(item.get("id"))
        if raw_id in by_index:
            upload = by_index[raw_id]
            used.add(raw_id)
            result.append(_store(world, upload, channel_id, item.get("filename"), item.get("description")))
        elif raw_id in existing_by_id:
            result.append(existing_by_id[raw_id])
        else:
            raise form_error(f"{prefix}attachments.{i}.id", "ATTACHMENT_NOT_FOUND", "Unknown attachment id.")
    for index, upload in sorted(by_index.items(), key=lambda kv: kv[0] or 0):
        if index not in used and index is not None:
            result.append(_store(world, upload, channel_id, None, None))
    return result


def _store(
    world: World, upload: UploadedFile, channel_id: int, filename: str | None, description: str | None
) -> Attachment:
    """Turn an uploaded file into a stored attachment served under /attachments/."""
    attachment_id = world.ids.next()
    name = filename or upload.filename
    url = f"{world.attachment_base}/{channel_id}/{attachment_id}/{name}"
    return Attachment(attachment_id, name, upload.data, upload.content_type, url, description)


def require_body(fields: MessageFields) -> None:
    """Raise 50006 when a new message would be empty."""
    if not fields.has_body():
        raise empty_message()
