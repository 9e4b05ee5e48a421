"""Validating and turning message payloads (JSON or multipart) into stored fields, with Discord's limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.fake_discord.errors import ApiError, empty_message, form_error
from bot.fake_discord.world import FLAG_COMPONENTS_V2, FLAG_EPHEMERAL, JSON, Attachment, World

CONTENT_LIMIT = 2000
EMBEDS_PER_MESSAGE = 10
EMBED_TOTAL_LIMIT = 6000
MODAL_TITLE_LIMIT = 45
MODAL_COMPONENT_LIMIT = 5
TEXT_INPUT_LIMIT = 4000
AUTOCOMPLETE_CHOICES = 25
CUSTOM_ID_LIMIT = 100
NONCE_LIMIT = 25

SUPPRESS_EMBEDS = 1 << 2
SUPPRESS_NOTIFICATIONS = 1 << 12
IS_VOICE_MESSAGE = 1 << 13
_CREATE_FLAGS = SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | IS_VOICE_MESSAGE | FLAG_COMPONENTS_V2
_SELECT_TYPES = frozenset({3, 5, 6, 7, 8})


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


def _walk(components: list[JSON]) -> list[JSON]:
    """Return every component, depth first."""
    out: list[JSON] = []
    for item in components:
        out.append(item)
        for key in ("components", "accessory", "component"):
            child = item.get(key)
            if isinstance(child, list):
                out.extend(_walk(child))
            elif isinstance(child, dict):
                out.extend(_walk([child]))
    return out


def validate_components(components: list[JSON], flags: int, prefix: str) -> None:
    """Raise 50035 for component layouts Discord rejects (rows, counts, custom ids, labels)."""
    every = _walk(components)
    seen: set[str] = set()
    for i, item in enumerate(every):
        custom_id = item.get("custom_id")
        if custom_id is not None:
            if not 1 <= len(custom_id) <= CUSTOM_ID_LIMIT:
                raise form_error(
                    f"{prefix}components.{i}.custom_id", "BASE_TYPE_BAD_LENGTH", "Must be 1-100 long."
                )
            if custom_id in seen:
                raise form_error(
                    f"{prefix}components.{i}.custom_id",
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            seen.add(custom_id)
        if item.get("type") == 2:
            style = item.get("style")
            if style == 5 and (not item.get("url") or custom_id):
                raise form_error(
                    f"{prefix}components.{i}", "BUTTON_LINK_INVALID", "Link buttons need a url only."
                )
            if style in (1, 2, 3, 4) and not custom_id:
                raise form_error(
                    f"{prefix}components.{i}.custom_id", "BASE_TYPE_REQUIRED", "This field is required"
                )
            if len(item.get("label") or "") > 80:
                raise form_error(
                    f"{prefix}components.{i}.label", "BASE_TYPE_MAX_LENGTH", "Must be 80 or fewer."
                )
        if item.get("type") == 3 and not 1 <= len(item.get("options") or []) <= 25:
            raise form_error(
                f"{prefix}components.{i}.options", "BASE_TYPE_BAD_LENGTH", "Must be 1-25 options."
            )
        if item.get("type") in _SELECT_TYPES and len(item.get("placeholder") or "") > 150:
            raise form_error(
                f"{prefix}components.{i}.placeholder", "BASE_TYPE_MAX_LENGTH", "Must be 150 or fewer."
            )
        for j, option in enumerate(item.get("options") or [] if item.get("type") == 3 else []):
            for key in ("label", "value"):
                if not 1 <= len(str(option.get(key) or "")) <= 100:
                    raise form_error(
                        f"{prefix}components.{i}.options.{j}.{key}", "BASE_TYPE_BAD_LENGTH", "Must be 1-100."
                    )
            if len(option.get("description") or "") > 100:
                raise form_error(
                    f"{prefix}components.{i}.options.{j}.description",
                    "BASE_TYPE_MAX_LENGTH",
                    "Must be 100 or fewer.",
                )
    if flags & FLAG_COMPONENTS_V2:
        if len(every) > 40:
            raise form_error(f"{prefix}components", "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in total.")
        return
    if len(components) > 5:
        raise form_error(f"{prefix}components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
    for i, row in enumerate(components):
        if row.get("type") != 1:
            raise form_error(
                f"{prefix}components.{i}", "UNION_TYPE_CHOICES", "Top-level must be action rows."
            )
        children = row.get("components") or []
        selects = [c for c in children if c.get("type") in _SELECT_TYPES]
        if not children or len(children) > 5 or (selects and len(children) > 1):
            raise form_error(
                f"{prefix}components.{i}.components",
                "BASE_TYPE_BAD_LENGTH",
                "A row holds 1-5 buttons or 1 select.",
            )


def validate_modal(data: JSON) -> None:
    """Raise 50035 if a modal (callback type 9) breaks Discord's limits."""
    title = data.get("title") or ""
    if not 1 <= len(title) <= MODAL_TITLE_LIMIT:
        raise form_error("data.title", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")
    custom_id = data.get("custom_id") or ""
    if not 1 <= len(custom_id) <= CUSTOM_ID_LIMIT:
        raise form_error("data.custom_id", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    components = data.get("components") or []
    if not 1 <= len(components) <= MODAL_COMPONENT_LIMIT:
        raise form_error("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
    for i, top in enumerate(components):
        kind = top.get("type")
        if kind == 1:
            inner = top.get("components") or []
            if len(inner) != 1 or inner[0].get("type") != 4:
                raise form_error(
                    f"data.components.{i}", "UNION_TYPE_CHOICES", "A modal row holds one text input."
                )
            _validate_text_input(inner[0], f"data.components.{i}.components.0", needs_label=True)
        elif kind == 18:
            if len(top.get("label") or "") > MODAL_TITLE_LIMIT or not top.get("label"):
                raise form_error(
                    f"data.components.{i}.label", "BASE_TYPE_BAD_LENGTH", "Must be 1-45 in length."
                )
            if len(top.get("description") or "") > 100:
                raise form_error(
                    f"data.components.{i}.description", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer."
                )
            child = top.get("component") or {}
            if child.get("type") == 4:
                _validate_text_input(child, f"data.components.{i}.component", needs_label=False)
            elif child.get("type") not in (*_SELECT_TYPES, 19, 21, 22, 23):
                raise form_error(
                    f"data.components.{i}.component", "UNION_TYPE_CHOICES", "Invalid label child."
                )
            else:
                _validate_modal_choice(child, f"data.components.{i}.component")
        elif kind != 10:
            raise form_error(f"data.components.{i}", "UNION_TYPE_CHOICES", "Invalid modal component.")
    validate_components(components, FLAG_COMPONENTS_V2, "data.")


def _validate_choice_options(options: list[JSON], path: str, *, low: int, high: int) -> None:
    """Raise 50035 for radio/checkbox group options outside Discord's counts and lengths."""
    if not low <= len(options) <= high:
        raise form_error(f"{path}.options", "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high}.")
    values: set[str] = set()
    for j, option in enumerate(options):
        for key in ("label", "value"):
            text = option.get(key)
            if not isinstance(text, str) or not 1 <= len(text) <= 100:
                raise form_error(f"{path}.options.{j}.{key}", "BASE_TYPE_BAD_LENGTH", "Must be 1-100 long.")
        if len(option.get("description") or "") > 100:
            raise form_error(
                f"{path}.options.{j}.description", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer."
            )
        if option["value"] in values:
            raise form_error(
                f"{path}.options.{j}.value", "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED", "Duplicate."
            )
        values.add(option["value"])


def _validate_min_max(item: JSON, path: str, *, ceiling: int, options: int | None) -> None:
    """Raise 50035 for min_values/max_values that Discord refuses (incl. min 0 on a required field)."""
    low, high = item.get("min_values"), item.get("max_values")
    if low is not None and not 0 <= low <= ceiling:
        raise form_error(f"{path}.min_values", "NUMBER_TYPE_MAX", f"Must be between 0 and {ceiling}.")
    if high is not None and not 1 <= high <= ceiling:
        raise form_error(f"{path}.max_values", "NUMBER_TYPE_MAX", f"Must be between 1 and {ceiling}.")
    if low is not None and high is not None and low > high:
        raise form_error(f"{path}.min_values", "BASE_TYPE_BAD_VALUE", "min_values exceeds max_values.")
    if options is not None and high is not None and high > options:
        raise form_error(f"{path}.max_values", "BASE_TYPE_BAD_VALUE", "max_values exceeds the options.")
    if item.get("required", True) and low == 0:
        # Discord: min_values must be omitted or at least 1 when required is omitted or true.
        raise form_error(f"{path}.min_values", "BASE_TYPE_BAD_VALUE", "Must be at least 1 when required.")


def _validate_modal_choice(item: JSON, path: str) -> None:
    """Raise 50035 for a select, radio group or checkbox group that breaks Discord's rules in a modal."""
    kind = item.get("type")
    if not item.get("custom_id"):
        raise form_error(f"{path}.custom_id", "BASE_TYPE_REQUIRED", "This field is required")
    if item.get("disabled"):
        raise form_error(f"{path}.disabled", "BASE_TYPE_BAD_VALUE", "Modal components cannot be disabled.")
    if kind == 21:
        options = list(item.get("options") or [])
        _validate_choice_options(options, path, low=2, high=10)
        if sum(bool(option.get("default")) for option in options) > 1:
            raise form_error(f"{path}.options", "BASE_TYPE_BAD_VALUE", "Only one option can be the default.")
    elif kind == 22:
        options = list(item.get("options") or [])
        _validate_choice_options(options, path, low=1, high=10)
        _validate_min_max(item, path, ceiling=10, options=len(options))
    elif kind == 3:
        _validate_min_max(item, path, ceiling=25, options=len(item.get("options") or []))
    elif kind in (5, 6, 7, 8, 19):
        _validate_min_max(item, path, ceiling=25 if kind != 19 else 10, options=None)


def _validate_text_input(item: JSON, path: str, *, needs_label: bool) -> None:
    """Raise 50035 for a bad text input."""
    if not item.get("custom_id"):
        raise form_error(f"{path}.custom_id", "BASE_TYPE_REQUIRED", "This field is required")
    if needs_label and not 1 <= len(item.get("label") or "") <= MODAL_TITLE_LIMIT:
        raise form_error(f"{path}.label", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")
    if item.get("style") not in (1, 2):
        raise form_error(f"{path}.style", "BASE_TYPE_CHOICES", "Value must be one of (1, 2).")
    for key in ("min_length", "max_length"):
        value = item.get(key)
        if value is not None and not 0 <= value <= TEXT_INPUT_LIMIT:
            raise form_error(f"{path}.{key}", "NUMBER_TYPE_MAX", "Must be 4000 or less.")
    if len(item.get("value") or "") > TEXT_INPUT_LIMIT:
        raise form_error(f"{path}.value", "BASE_TYPE_MAX_LENGTH", "Must be 4000 or fewer in length.")
    if len(item.get("placeholder") or "") > 100:
        raise form_error(f"{path}.placeholder", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")


def validate_choices(data: JSON) -> None:
    """Raise 50035 if an autocomplete result (callback type 8) breaks the limits."""
    choices = data.get("choices")
    if not isinstance(choices, list):
        raise form_error("data.choices", "BASE_TYPE_REQUIRED", "This field is required")
    if len(choices) > AUTOCOMPLETE_CHOICES:
        raise form_error("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for i, choice in enumerate(choices):
        if not 1 <= len(str(choice.get("name", ""))) <= 100:
            raise form_error(f"data.choices.{i}.name", "BASE_TYPE_BAD_LENGTH", "Must be 1-100 in length.")
        value = choice.get("value")
        if isinstance(value, str) and len(value) > 100:
            raise form_error(f"data.choices.{i}.value", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer.")


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


__all__ = ["ApiError", "MessageFields", "UploadedFile", "extract", "validate_choices", "validate_modal"]
