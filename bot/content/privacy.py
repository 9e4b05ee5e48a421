"""The wording of /privacy, from content/privacy.toml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.content.errors import ContentError
from bot.content.places import Place, place_limits
from bot.content.texts import TextTable, read_text_table
from bot.content.toml_files import read_toml

DEFAULT_LIMIT = 1500
# The erase/keep and retention buttons (their labels) are the small places here.
PLACES = dict.fromkeys(
    (
        "delete.confirm_button",
        "delete.cancel_button",
        "retention.choice_forever",
        "retention.choice_365",
        "retention.choice_90",
        "retention.choice_30",
    ),
    Place.BUTTON_LABEL,
)
LIMITS = place_limits(PLACES)
LABEL_LIMIT = 100

# Every text the code uses, with the placeholders it fills in.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "export.ready_json": frozenset({"count"}),
    "export.ready_json_dm": frozenset({"count"}),
    "export.ready_zip": frozenset({"count"}),
    "export.ready_zip_dm": frozenset({"count"}),
    "export.ready_parts": frozenset({"count"}),
    "export.ready_parts_dm": frozenset({"count"}),
    "export.part": frozenset({"number", "count"}),
    "export.too_large": frozenset(),
    "export.too_many_parts_here": frozenset({"count", "limit", "export"}),
    "policy.link": frozenset({"url"}),
    "policy.unset": frozenset({"export", "delete"}),
    "delete.confirm": frozenset({"export"}),
    "delete.confirm_button": frozenset(),
    "delete.cancel_button": frozenset(),
    "delete.cancelled": frozenset(),
    "delete.working": frozenset(),
    "delete.done": frozenset({"counts"}),
    "delete.done_nothing": frozenset(),
    "delete.count_line": frozenset({"label", "count"}),
    "delete.not_yours": frozenset(),
    "retention.current": frozenset({"period"}),
    "retention.changed": frozenset({"period"}),
    "retention.period_forever": frozenset(),
    "retention.period_days": frozenset({"days"}),
    "retention.choice_forever": frozenset(),
    "retention.choice_365": frozenset(),
    "retention.choice_90": frozenset(),
    "retention.choice_30": frozenset(),
}


@dataclass(frozen=True)
class PrivacyTexts:
    """Every text of /privacy keyed ``section.name``, plus labels for what an erasure counted."""

    table: TextTable
    labels: Mapping[str, str]

    def __call__(self, key: str, **values: Any) -> str:
        """Return the text for ``key`` with its placeholders filled in."""
        return self.table(key, **values)

    def label(self, kind: str) -> str:
        """Return the readable name of a kind of record, falling back to the kind itself."""
        return self.labels.get(kind, kind.replace("_", " "))


def load_privacy_texts(path: Path) -> PrivacyTexts:
    """Load and validate the /privacy wording: every key present, known placeholders, within limits."""
    data = read_toml(path)
    where = path.name
    problems: list[str] = []
    raw_labels = data.pop("labels", {})
    labels: dict[str, str] = {}
    if not isinstance(raw_labels, dict):
        problems.append(f"{where}: 'labels' must be a [table]")
        raw_labels = {}
    for kind, label in raw_labels.items():
        if not isinstance(label, str) or not label.strip() or len(label) > LABEL_LIMIT:
            problems.append(f"{where}: label {kind!r} must be 1-{LABEL_LIMIT} characters")
        else:
            labels[kind] = label.strip()
    table = read_text_table(data, where, PLACEHOLDERS, problems, limits=LIMITS, default_limit=DEFAULT_LIMIT)
    if problems:
        raise ContentError(problems)
    return PrivacyTexts(table, MappingProxyType(labels))
