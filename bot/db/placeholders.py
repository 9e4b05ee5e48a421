"""Rewrite the repositories' ``?`` and ``:name`` placeholders as PostgreSQL's ``$1, $2, …``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.db.database import Params


@dataclass(frozen=True)
class Translated:
    """A statement in PostgreSQL's numbering, and which parameter goes in each position."""

    sql: str
    # Positional statements: None. Named ones: the name for $1, $2, … in order.
    names: tuple[str, ...] | None
    count: int


def _is_name_char(char: str) -> bool:
    return char.isalnum() or char == "_"


@lru_cache(maxsize=1024)
def translate(sql: str) -> Translated:
    """Return ``sql`` with numbered placeholders; quoted text, identifiers and ``::`` casts stay as they are.

    One statement uses one style: mixing ``?`` and ``:name`` is refused.
    """
    out: list[str] = []
    names: list[str] = []
    positional = 0
    index = 0
    length = len(sql)
    while index < length:
        char = sql[index]
        if char in "'\"":
            end = index + 1
            while end < length:
                if sql[end] == char:
                    # A doubled quote is an escaped quote inside the literal.
                    if end + 1 < length and sql[end + 1] == char:
                        end += 2
                        continue
                    break
                end += 1
            out.append(sql[index : end + 1])
            index = end + 1
        elif char == "?":
            positional += 1
            out.append(f"${positional}")
            index += 1
        elif char == ":" and index + 1 < length and sql[index + 1] == ":":
            out.append("::")
            index += 2
        elif char == ":" and index + 1 < length and (sql[index + 1].isalpha() or sql[index + 1] == "_"):
            end = index + 1
            while end < length and _is_name_char(sql[end]):
                end += 1
            name = sql[index + 1 : end]
            if name not in names:
                names.append(name)
            out.append(f"${names.index(name) + 1}")
            index = end
        else:
            out.append(char)
            index += 1
    if positional and names:
        raise ValueError("a statement must use either ? or :name placeholders, not both")
    if names:
        return Translated("".join(out), tuple(names), len(names))
    return Translated("".join(out), None, positional)


def arguments(translated: Translated, params: Params) -> list[Any]:
    """Return ``params`` as the positional arguments ``translated`` expects."""
    if translated.names is None:
        if isinstance(params, dict):
            raise TypeError("this statement takes ? placeholders: pass a sequence")
        values = list(params)
    else:
        if not isinstance(params, dict):
            raise TypeError("this statement takes :name placeholders: pass a dict")
        values = [params[name] for name in translated.names]
    if len(values) != translated.count:
        raise ValueError(f"the statement takes {translated.count} parameter(s), got {len(values)}")
    return values
