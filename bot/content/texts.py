"""A table of keyed texts with placeholders, validated against what the code fills in."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.content.errors import ContentError
from bot.content.toml_files import read_toml


@dataclass(frozen=True)
class TextTable:
    """Texts keyed ``section.name``; calling it fills in a text's placeholders."""

    texts: Mapping[str, str]

    def __call__(self, key: str, **values: Any) -> str:
        """Return the text for ``key`` with its placeholders filled in."""
        return self.texts[key].format(**values)

    def template(self, key: str) -> str:
        """Return the text for ``key`` as written, placeholders unfilled (for pure code to fill in)."""
        return self.texts[key]


def placeholders_in(template: str) -> set[str]:
    """Return the placeholder names used in a format string (raises ValueError if it is broken)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def read_text_table(
    data: Mapping[str, Any],
    where: str,
    expected: Mapping[str, frozenset[str]],
    problems: list[str],
    *,
    limits: Mapping[str, int],
    default_limit: int,
) -> TextTable:
    """Read ``[section]`` tables of texts: every expected key present, known placeholders, within limits.

    ``data`` maps section names to tables; keys of ``data`` that hold other
    things must be removed by the caller first. Problems are appended to
    ``problems`` (naming ``where``); the table holds whatever was valid.
    """
    texts: dict[str, str] = {}
    for section, table in data.items():
        if not isinstance(table, dict):
            problems.append(f"{where}: {section!r} must be a [table]")
            continue
        for name, value in table.items():
            key = f"{section}.{name}"
            if key not in expected:
                problems.append(f"{where}: unknown text {key!r}")
            elif not isinstance(value, str) or not value.strip():
                problems.append(f"{where}: {key!r} must be a non-empty string")
            else:
                # Only the newlines of a multi-line string go: a text that continues a sentence
                # (" and open a thread on each") keeps the space it begins with.
                texts[key] = value.strip("\n")
    for key, allowed in expected.items():
        if key not in texts:
            if f"{where}: {key!r} must be a non-empty string" not in problems:
                problems.append(f"{where}: {key!r} is missing")
            continue
        try:
            unknown = placeholders_in(texts[key]) - allowed
        except ValueError as error:
            problems.append(f"{where}: {key!r} has a broken placeholder ({error})")
            continue
        if unknown:
            problems.append(f"{where}: {key!r} uses unknown placeholders {sorted(unknown)}")
        limit = limits.get(key, default_limit)
        if len(texts[key]) > limit:
            problems.append(f"{where}: {key!r} is {len(texts[key])} characters (at most {limit})")
    return TextTable(MappingProxyType(texts))


def load_text_file(
    path: Path, expected: Mapping[str, frozenset[str]], *, limits: Mapping[str, int], default_limit: int
) -> dict[str, str]:
    """Read a file of ``[section]`` texts, raising ContentError with every problem found."""
    problems: list[str] = []
    table = read_text_table(
        read_toml(path), path.name, expected, problems, limits=limits, default_limit=default_limit
    )
    if problems:
        raise ContentError(problems)
    return dict(table.texts)
