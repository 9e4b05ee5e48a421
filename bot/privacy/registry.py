"""What features declare so privacy tools can find their data: sealed columns, aggregates, retention.

Each feature adds one line per item to ``bot/privacy/catalog.py``; nothing
here knows about any feature.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import discord

from bot.crypto import DataCipher, SealContext
from bot.db.database import Database

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

# JSON-ready data about one person: str keys, values made of dict/list/str/int/float/bool/None.
ExportData = dict[str, Any]
Counts = Mapping[str, int]


def _require_identifier(name: str) -> str:
    """Return ``name`` if it is a plain SQL identifier (these are interpolated into SQL)."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"{name!r} is not a plain SQL identifier")
    return name


@dataclass(frozen=True)
class SealedColumn:
    """A column holding private text sealed with ``bot.cipher``, and its table's primary key."""

    table: str
    column: str
    key_columns: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.key_columns:
            raise ValueError("a sealed column needs its table's primary key columns")
        for name in (self.table, self.column, *self.key_columns):
            _require_identifier(name)

    def context(self, *key: int | str) -> SealContext:
        """Return the context a value of this column in the row with primary key ``key`` is sealed in."""
        if len(key) != len(self.key_columns):
            raise ValueError(f"{self.table} rows are keyed by {', '.join(self.key_columns)}")
        return SealContext(self.table, self.column, tuple(key))


@dataclass(frozen=True)
class RetainedTable:
    """Rows that expire under each person's retention choice: whose they are and when they were made."""

    table: str
    user_column: str
    time_column: str

    def __post_init__(self) -> None:
        for name in (self.table, self.user_column, self.time_column):
            _require_identifier(name)


@dataclass(frozen=True)
class ErasureContext:
    """What an aggregate may need while erasing someone: Discord (to edit or delete messages) and time."""

    client: discord.Client | None
    cipher: DataCipher
    now: datetime


ExportUser = Callable[[Database, DataCipher, int], Awaitable[ExportData]]
DeleteUser = Callable[[Database, int, ErasureContext], Awaitable[Counts]]
PurgeGuild = Callable[[Database, int], Awaitable[Counts]]


@dataclass(frozen=True)
class PrivacyAggregate:
    """One feature's data as the privacy tools see it.

    ``export_user`` returns everything about the person (opened, not sealed);
    ``delete_user`` erases what they authored and drops their id from what
    only mentions them, returning counts such as ``{"checkins": 3}``; it must
    not hold a transaction across a Discord call. ``purge_guild`` deletes a
    server's rows once the bot has been gone from it past the grace period.
    """

    name: str
    export_user: ExportUser | None = None
    delete_user: DeleteUser | None = None
    purge_guild: PurgeGuild | None = None
