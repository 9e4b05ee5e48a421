"""App-command transformers for what people type: a time of day, days of the week and a timezone.

Each command option that takes one of these is a plain string on Discord (the
synced payload does not change); discord.py runs ``transform`` before the
command body, so the body receives a ``time``, a set of weekdays or an IANA
zone name. A value that can't be read raises :class:`InvalidInputError`;
discord.py wraps it in ``TransformerError`` and the tree's error handler
(:func:`bot.tree.reply_for_error`) shows its kind message, privately. The
command body never runs, so nothing is changed. Each feature keeps its own
wording: a transformer is built with the feature's text table and key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.errors import InvalidInputError
from bot.schedule.days import day_choices, parse_days
from bot.schedule.recurrence import echo, parse_local_time
from bot.timezones import resolve_timezone, search_timezones

if TYPE_CHECKING:
    from bot.content.library import Content
    from bot.content.texts import TextTable

# Picks a feature's text table out of the loaded content, e.g. ``lambda content: content.gratitude``.
TextsOf = Callable[["Content"], "TextTable"]


def _texts(interaction: discord.Interaction[Any], texts_of: TextsOf) -> TextTable:
    content: Content = interaction.client.content
    return texts_of(content)


def typed(value: str) -> str:
    """Return typed text as it is quoted back in an error: short, and with markdown shown as typed."""
    return discord.utils.escape_markdown(echo(value))


class _Typed(app_commands.Transformer[Any]):
    """A string option read by a transformer, keeping the length limits the command declared before."""

    def __init__(self, texts_of: TextsOf, key: str, *, max_length: int | None = None) -> None:
        self.texts_of = texts_of
        self.key = key
        self._max_length = max_length

    @property
    def min_value(self) -> int | None:
        """The option's min_length (sent only with a max_length, as ``Range[str, 1, n]`` did)."""
        return None if self._max_length is None else 1

    @property
    def max_value(self) -> int | None:
        """The option's max_length (None: Discord's own limit)."""
        return self._max_length


class LocalTime(_Typed):
    """A time of day as people type it: 19:30, 19.30, 7:30 pm or 9am (``key``'s text has {problem})."""

    async def transform(self, interaction: discord.Interaction[Any], value: str, /) -> time:
        """Return the wall-clock time, or raise the feature's kind error explaining what is wrong."""
        try:
            return parse_local_time(value)
        except ValueError as error:
            raise InvalidInputError(
                _texts(interaction, self.texts_of)(self.key, problem=str(error))
            ) from None


class Timezone(_Typed):
    """An IANA timezone: a zone name in any case, or a city ("London", "são paulo"); {timezone} in ``key``."""

    async def transform(self, interaction: discord.Interaction[Any], value: str, /) -> str:
        """Return the zone name that was meant, or raise the feature's kind error."""
        zone = resolve_timezone(value)
        if zone is None:
            raise InvalidInputError(_texts(interaction, self.texts_of)(self.key, timezone=typed(value)))
        return zone

    async def autocomplete(  # type: ignore[override]  # discord.py types the value loosely
        self, interaction: discord.Interaction[Any], value: str, /
    ) -> list[app_commands.Choice[str]]:
        """Suggest zones matching what was typed, the zone a typed city names first (at most 25)."""
        return [app_commands.Choice(name=name, value=name) for name in search_timezones(value)]


class Weekdays(_Typed):
    """Days of the week: every day, weekdays, weekends or days like "mon, wed, fri"; {days} in ``key``."""

    async def transform(self, interaction: discord.Interaction[Any], value: str, /) -> frozenset[int]:
        """Return the weekdays (0 = Monday), or raise the feature's kind error."""
        try:
            return parse_days(value)
        except ValueError:
            raise InvalidInputError(_texts(interaction, self.texts_of)(self.key, days=typed(value))) from None

    async def autocomplete(  # type: ignore[override]  # discord.py types the value loosely
        self, interaction: discord.Interaction[Any], value: str, /
    ) -> list[app_commands.Choice[str]]:
        """Suggest common day sets, or the days typed so far."""
        return [app_commands.Choice(name=name, value=days) for name, days in day_choices(value)]
