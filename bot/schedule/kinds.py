"""The schedule kinds Hearth's features use, who owns each schedule row, and what its payload holds.

The engine itself is generic (``kind`` and ``owner_key`` are text to it); these types are the
features' side of the contract, so no feature spells a kind, an owner key or a payload field by
hand. The text they encode to is what the database already holds, byte for byte: existing rows
keep working without a migration.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, Self


class ScheduleKind(StrEnum):
    """Every kind of schedule a feature registers a handler for (the ``schedules.kind`` column)."""

    DAILY_PROMPT = "daily_prompt"
    DM_CHECKIN = "dm_checkin"
    APPRECIATION = "appreciation"
    GRATITUDE_DIGEST = "gratitude_digest"
    GRATITUDE_ROTATION = "gratitude_rotation"
    REPAIR_PAUSE = "repair_pause"
    REPAIR_FOLLOW_UP = "repair_follow_up"
    PRIVACY_HOUSEKEEPING = "privacy_housekeeping"
    PAIR_PROMPT = "pair_prompt"


class OwnerScope(StrEnum):
    """What the number in an owner key names; the value is its tag in the key ('' for none)."""

    GUILD = "guild"
    USER = "user"
    # A feature's own row (a reminder, a repair request): the key carries the bare id.
    RECORD = ""
    # The one schedule of its kind, with no id at all.
    SINGLETON = "singleton"


class OwnerVariant(StrEnum):
    """A second schedule of the same owner, next to its main one."""

    LATER = "later"
    SNOOZE = "snooze"


# Each kind's owner scope, and the variants its owners may have besides their main schedule.
_ONLY_MAIN: frozenset[OwnerVariant | None] = frozenset({None})
_SHAPES: dict[ScheduleKind, tuple[OwnerScope, frozenset[OwnerVariant | None]]] = {
    ScheduleKind.DAILY_PROMPT: (OwnerScope.GUILD, _ONLY_MAIN),
    ScheduleKind.DM_CHECKIN: (OwnerScope.USER, _ONLY_MAIN | {OwnerVariant.LATER}),
    ScheduleKind.APPRECIATION: (OwnerScope.RECORD, _ONLY_MAIN | {OwnerVariant.SNOOZE}),
    ScheduleKind.GRATITUDE_DIGEST: (OwnerScope.GUILD, _ONLY_MAIN),
    ScheduleKind.GRATITUDE_ROTATION: (OwnerScope.GUILD, _ONLY_MAIN),
    ScheduleKind.REPAIR_PAUSE: (OwnerScope.RECORD, _ONLY_MAIN),
    ScheduleKind.REPAIR_FOLLOW_UP: (OwnerScope.RECORD, _ONLY_MAIN),
    ScheduleKind.PRIVACY_HOUSEKEEPING: (OwnerScope.SINGLETON, _ONLY_MAIN),
    ScheduleKind.PAIR_PROMPT: (OwnerScope.RECORD, _ONLY_MAIN),
}
# Singletons predate the "<kind>:..." pattern; their stored keys are kept as they are.
_SINGLETON_KEYS: dict[ScheduleKind, str] = {ScheduleKind.PRIVACY_HOUSEKEEPING: "privacy:housekeeping"}
_SINGLETONS_BY_KEY = {text: kind for kind, text in _SINGLETON_KEYS.items()}


@dataclass(frozen=True)
class OwnerKey:
    """Who owns a schedule row (``schedules.owner_key``, unique): at most one row per owner key.

    Encoded as ``<kind>[:<scope tag>]:<id>[:<variant>]``, e.g. ``daily_prompt:guild:42``,
    ``dm_checkin:user:7:later``, ``appreciation:5:snooze``; a singleton has a fixed key.
    """

    kind: ScheduleKind
    scope: OwnerScope
    id: int | None = None
    variant: OwnerVariant | None = None

    def __post_init__(self) -> None:
        scope, variants = _SHAPES[self.kind]
        if self.scope is not scope:
            raise ValueError(f"{self.kind} schedules are owned by scope {scope.name}")
        if self.variant not in variants:
            raise ValueError(f"{self.kind} schedules have no variant {self.variant}")
        if (self.id is None) != (self.scope is OwnerScope.SINGLETON):
            raise ValueError("a singleton has no id and every other owner key has one")
        if self.id is not None and self.id < 0:
            raise ValueError("owner ids are not negative")

    @classmethod
    def guild(cls, kind: ScheduleKind, guild_id: int) -> Self:
        """Return the key of a server's schedule of ``kind``."""
        return cls(kind, OwnerScope.GUILD, guild_id)

    @classmethod
    def user(cls, kind: ScheduleKind, user_id: int, variant: OwnerVariant | None = None) -> Self:
        """Return the key of a person's schedule of ``kind``."""
        return cls(kind, OwnerScope.USER, user_id, variant)

    @classmethod
    def record(cls, kind: ScheduleKind, record_id: int, variant: OwnerVariant | None = None) -> Self:
        """Return the key of the schedule of one of a feature's own rows (a reminder, a request)."""
        return cls(kind, OwnerScope.RECORD, record_id, variant)

    @classmethod
    def singleton(cls, kind: ScheduleKind) -> Self:
        """Return the key of the one schedule of ``kind``."""
        return cls(kind, OwnerScope.SINGLETON)

    def build(self) -> str:
        """Return the text stored in ``schedules.owner_key``."""
        if self.scope is OwnerScope.SINGLETON:
            return _SINGLETON_KEYS[self.kind]
        parts = [self.kind.value]
        if self.scope.value:
            parts.append(self.scope.value)
        parts.append(str(self.id))
        if self.variant is not None:
            parts.append(self.variant.value)
        return ":".join(parts)

    @classmethod
    def parse(cls, text: str) -> Self:
        """Read a stored owner key; raise ValueError for text no feature would have built."""
        singleton = _SINGLETONS_BY_KEY.get(text)
        if singleton is not None:
            return cls.singleton(singleton)
        kind_text, _, rest = text.partition(":")
        try:
            kind = ScheduleKind(kind_text)
        except ValueError:
            raise ValueError(f"owner key {text!r} names no schedule kind") from None
        scope = _SHAPES[kind][0]
        parts = rest.split(":")
        if scope.value:
            if parts[0] != scope.value:
                raise ValueError(f"owner key {text!r} lacks its {scope.value!r} tag")
            parts = parts[1:]
        if not 1 <= len(parts) <= 2 or not _is_plain_number(parts[0]):
            raise ValueError(f"owner key {text!r} is not '<kind>[:<scope>]:<id>[:<variant>]'")
        try:
            variant = OwnerVariant(parts[1]) if len(parts) == 2 else None
        except ValueError:
            raise ValueError(f"owner key {text!r} has an unknown variant") from None
        return cls(kind, scope, int(parts[0]), variant)

    def __str__(self) -> str:
        return self.build()


def _is_plain_number(text: str) -> bool:
    """Return whether ``text`` is how ``str(int)`` writes a non-negative number (no '+', no '007')."""
    return text.isascii() and text.isdigit() and (text == "0" or not text.startswith("0"))


def owner_text(key: OwnerKey | str) -> str:
    """Return the stored text of an owner key (tools and engine tests use plain text)."""
    return key.build() if isinstance(key, OwnerKey) else key


# --- payloads ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Payload:
    """A schedule's payload: whole-number fields, stored as a JSON object (absent when None).

    Subclasses only declare fields; this one pair of :meth:`encode` and :meth:`decode` serves all.
    """

    def encode(self) -> dict[str, int]:
        """Return the JSON object stored in ``schedules.payload``, without fields that are None."""
        values = {item.name: getattr(self, item.name) for item in fields(self)}
        return {name: value for name, value in values.items() if value is not None}

    @classmethod
    def decode(cls, payload: Mapping[str, Any]) -> Self:
        """Read a stored payload; raise ValueError if a field is missing or not a whole number."""
        values: dict[str, int | None] = {}
        for item in fields(cls):
            value = payload.get(item.name)
            if value is None and item.default is None:
                values[item.name] = None
            elif isinstance(value, int) and not isinstance(value, bool):
                values[item.name] = value
            else:
                raise ValueError(f"{cls.__name__} needs a whole number {item.name!r}")
        return cls(**values)


@dataclass(frozen=True)
class ReminderPayload(Payload):
    """An appreciation reminder's schedule; a snooze also names the nudge that comes back."""

    reminder_id: int
    nudge_id: int | None = None


@dataclass(frozen=True)
class RepairPayload(Payload):
    """A repair request's "remind me" or follow-up schedule."""

    request_id: int
