"""The check-in feature's content, from content/checkins.toml: scale, feelings, needs and wording."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.errors import ContentError
from bot.content.texts import TextTable, read_text_table
from bot.content.toml_files import read_toml, require_str

SCORES = (1, 2, 3, 4, 5)
# One select menu (or radio group) holds at most 25 options, each label/value/description at most 100.
MAX_OPTIONS = 25
OPTION_TEXT_LIMIT = 100
SUGGESTION_LIMIT = 400
# The top-level arrays of tables; every other top-level key is a [section] of texts.
_LISTS = frozenset({"score", "feeling_group", "need"})
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")

DEFAULT_TEXT_LIMIT = 1000
MODAL_LABEL_LIMIT = 45
HINT_LIMIT = 100
# Tighter Discord limits for the texts that land in small places.
TEXT_LIMITS = {
    "modal.title": MODAL_LABEL_LIMIT,
    "modal.score_label": MODAL_LABEL_LIMIT,
    "modal.feelings_label": MODAL_LABEL_LIMIT,
    "modal.needs_label": MODAL_LABEL_LIMIT,
    "modal.note_label": MODAL_LABEL_LIMIT,
    "modal.details_title": MODAL_LABEL_LIMIT,
    "modal.score_description": HINT_LIMIT,
    "modal.feelings_placeholder": HINT_LIMIT,
    "modal.needs_placeholder": HINT_LIMIT,
    "modal.note_placeholder": HINT_LIMIT,
    "saved.share_placeholder": HINT_LIMIT,
    "dm.later": 38,
    "dm.skip": 38,
    "dm.stop": 38,
    "dm.details": 38,
    "history.chart_title": 80,
    "history.chart_average": 40,
}

# Every text the code uses, with the placeholders it fills in.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "modal.title": frozenset(),
    "modal.score_label": frozenset(),
    "modal.score_description": frozenset(),
    "modal.feelings_label": frozenset(),
    "modal.feelings_placeholder": frozenset(),
    "modal.needs_label": frozenset(),
    "modal.needs_placeholder": frozenset(),
    "modal.note_label": frozenset(),
    "modal.note_placeholder": frozenset(),
    "modal.details_title": frozenset(),
    "saved.thanks": frozenset({"score", "label"}),
    "saved.no_need": frozenset(),
    "saved.low_score": frozenset({"resources"}),
    "saved.safety": frozenset(),
    "saved.share_hint": frozenset(),
    "saved.share_placeholder": frozenset(),
    "saved.share_in_dm": frozenset(),
    "share.dm_intro": frozenset({"author"}),
    "share.dm_score": frozenset({"score", "label"}),
    "share.dm_feelings": frozenset({"feelings"}),
    "share.dm_needs": frozenset({"needs"}),
    "share.dm_footer": frozenset(),
    "share.sent": frozenset({"people"}),
    "share.already": frozenset({"people"}),
    "share.closed": frozenset({"people"}),
    "share.failed": frozenset({"people"}),
    "share.nobody": frozenset(),
    "history.empty": frozenset({"days", "checkin"}),
    "history.summary": frozenset({"days", "count", "average"}),
    "history.trend_rising": frozenset(),
    "history.trend_falling": frozenset(),
    "history.trend_steady": frozenset(),
    "history.trend_unknown": frozenset(),
    "history.feelings": frozenset({"items"}),
    "history.needs": frozenset({"items"}),
    "history.chart_title": frozenset(),
    "history.chart_average": frozenset({"average"}),
    "schedule.saved": frozenset({"time", "timezone", "days", "next", "stop"}),
    "schedule.test_dm": frozenset({"time", "timezone", "days", "stop"}),
    "schedule.dms_closed": frozenset({"schedule"}),
    "schedule.dm_failed": frozenset(),
    "schedule.bad_time": frozenset({"problem"}),
    "schedule.bad_timezone": frozenset({"timezone"}),
    "schedule.need_timezone": frozenset(),
    "schedule.bad_days": frozenset({"days"}),
    "schedule.days_every": frozenset(),
    "schedule.days_weekdays": frozenset(),
    "schedule.days_weekends": frozenset(),
    "schedule.days_list": frozenset({"days"}),
    "schedule.stopped": frozenset({"schedule"}),
    "schedule.nothing_to_stop": frozenset({"schedule"}),
    "dm.prompt": frozenset(),
    "dm.later": frozenset(),
    "dm.skip": frozenset(),
    "dm.stop": frozenset(),
    "dm.details": frozenset(),
    "dm.saved": frozenset({"score", "label"}),
    "dm.already": frozenset(),
    "dm.snoozed": frozenset(),
    "dm.skipped": frozenset(),
    "dm.expired": frozenset({"checkin"}),
    "checkin.not_found": frozenset(),
    "checkin.note_too_long": frozenset({"limit", "length"}),
    "checkin.no_score": frozenset(),
    "checkin.bad_choice": frozenset(),
}


@dataclass(frozen=True)
class ScoreLabel:
    """The words for one point of the 1-5 scale."""

    value: int
    label: str
    description: str


@dataclass(frozen=True)
class Feeling:
    """A feeling someone can name, and the group it belongs to."""

    id: str
    label: str
    group: str


@dataclass(frozen=True)
class FeelingGroup:
    """Feelings that belong together, shown under one name."""

    id: str
    name: str
    feelings: tuple[Feeling, ...]


@dataclass(frozen=True)
class Need:
    """A need someone can name, with the suggestion written for it."""

    id: str
    label: str
    suggestion: str


# Every text of the check-in feature, keyed ``section.name``; calling it fills in placeholders.
CheckinTexts = TextTable


@dataclass(frozen=True)
class CheckinContent:
    """The scale, feelings, needs and wording of check-ins."""

    scores: tuple[ScoreLabel, ...]
    groups: tuple[FeelingGroup, ...]
    needs: tuple[Need, ...]
    texts: CheckinTexts

    @property
    def feelings(self) -> tuple[Feeling, ...]:
        """Return every feeling, group by group."""
        return tuple(feeling for group in self.groups for feeling in group.feelings)

    def score(self, value: int) -> ScoreLabel:
        """Return the words for score ``value`` (1-5)."""
        return self.scores[value - 1]

    def feeling_labels(self, ids: tuple[str, ...] | list[str]) -> list[str]:
        """Return the labels of known feeling ids, in the given order (unknown ids are left out)."""
        by_id = {feeling.id: feeling.label for feeling in self.feelings}
        return [by_id[item] for item in ids if item in by_id]

    def need_labels(self, ids: tuple[str, ...] | list[str]) -> list[str]:
        """Return the labels of known need ids, in the given order (unknown ids are left out)."""
        by_id = {need.id: need.label for need in self.needs}
        return [by_id[item] for item in ids if item in by_id]

    def need(self, need_id: str) -> Need | None:
        """Return the need with ``need_id``, or None."""
        return next((need for need in self.needs if need.id == need_id), None)


def _option_text(table: dict[str, Any], key: str, where: str, problems: list[str]) -> str:
    """Return a text that becomes a menu option's label or description (at most 100 characters)."""
    return require_str(table, key, where, problems, max_len=OPTION_TEXT_LIMIT)


def _check_id(value: Any, where: str, seen: set[str], problems: list[str]) -> str:
    """Return a valid, unused id, noting any problem."""
    if not isinstance(value, str) or not _ID.match(value):
        problems.append(f"{where}: 'id' must be lowercase letters, digits and dashes (at most 40)")
        return ""
    if value in seen:
        problems.append(f"{where}: id {value!r} is used twice")
    seen.add(value)
    return value


def _load_scores(data: dict[str, Any], where: str, problems: list[str]) -> tuple[ScoreLabel, ...]:
    """Load the five points of the scale, 1 to 5 in order."""
    raw = data.get("score")
    if not isinstance(raw, list):
        problems.append(f"{where}: five [[score]] entries (1 to 5) are needed")
        return ()
    scores: list[ScoreLabel] = []
    for index, table in enumerate(raw, start=1):
        place = f"{where} score {index}"
        if not isinstance(table, dict):
            problems.append(f"{place}: must be a table")
            continue
        value = table.get("value")
        label = _option_text(table, "label", place, problems)
        description = _option_text(table, "description", place, problems)
        if isinstance(value, int) and not isinstance(value, bool):
            scores.append(ScoreLabel(value, label, description))
        else:
            problems.append(f"{place}: 'value' must be a whole number")
    if tuple(score.value for score in scores) != SCORES:
        problems.append(f"{where}: the [[score]] values must be exactly 1, 2, 3, 4, 5 in order")
    return tuple(scores)


def _load_groups(data: dict[str, Any], where: str, problems: list[str]) -> tuple[FeelingGroup, ...]:
    """Load the feeling groups, checking ids are unique and all feelings fit one menu."""
    raw = data.get("feeling_group")
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: at least one [[feeling_group]] is needed")
        return ()
    group_ids: set[str] = set()
    feeling_ids: set[str] = set()
    groups: list[FeelingGroup] = []
    for index, table in enumerate(raw, start=1):
        place = f"{where} feeling_group {index}"
        if not isinstance(table, dict):
            problems.append(f"{place}: must be a table")
            continue
        group_id = _check_id(table.get("id"), place, group_ids, problems)
        name = _option_text(table, "name", place, problems)
        items = table.get("feelings")
        if not isinstance(items, list) or not items:
            problems.append(f"{place}: 'feelings' must list at least one feeling")
            items = []
        feelings: list[Feeling] = []
        for number, item in enumerate(items, start=1):
            spot = f"{place} feeling {number}"
            if not isinstance(item, dict):
                problems.append(f"{spot}: must be {{ id = ..., label = ... }}")
                continue
            feeling_id = _check_id(item.get("id"), spot, feeling_ids, problems)
            feelings.append(Feeling(feeling_id, _option_text(item, "label", spot, problems), name))
        groups.append(FeelingGroup(group_id, name, tuple(feelings)))
    total = sum(len(group.feelings) for group in groups)
    if total > MAX_OPTIONS:
        problems.append(f"{where}: {total} feelings in all, but one menu holds at most {MAX_OPTIONS}")
    return tuple(groups)


def _load_needs(data: dict[str, Any], where: str, problems: list[str]) -> tuple[Need, ...]:
    """Load the needs and their suggestions."""
    raw = data.get("need")
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where}: at least one [[need]] is needed")
        return ()
    if len(raw) > MAX_OPTIONS:
        problems.append(f"{where}: {len(raw)} needs, but one menu holds at most {MAX_OPTIONS}")
    seen: set[str] = set()
    needs: list[Need] = []
    for index, table in enumerate(raw, start=1):
        place = f"{where} need {index}"
        if not isinstance(table, dict):
            problems.append(f"{place}: must be a table")
            continue
        need_id = _check_id(table.get("id"), place, seen, problems)
        label = _option_text(table, "label", place, problems)
        suggestion = require_str(table, "suggestion", place, problems, max_len=SUGGESTION_LIMIT)
        needs.append(Need(need_id, label, " ".join(suggestion.split())))
    return tuple(needs)


def _load_texts(data: dict[str, Any], where: str, problems: list[str]) -> CheckinTexts:
    """Load the keyed wording: every key present, only known placeholders, within Discord's limits."""
    sections = {key: value for key, value in data.items() if key not in _LISTS}
    return read_text_table(
        sections, where, PLACEHOLDERS, problems, limits=TEXT_LIMITS, default_limit=DEFAULT_TEXT_LIMIT
    )


def load_checkin_content(path: Path) -> CheckinContent:
    """Load and validate content/checkins.toml, raising ContentError listing every problem."""
    data = read_toml(path)
    where = path.name
    problems: list[str] = []
    scores = _load_scores(data, where, problems)
    groups = _load_groups(data, where, problems)
    needs = _load_needs(data, where, problems)
    texts = _load_texts(data, where, problems)
    if problems:
        raise ContentError(problems)
    return CheckinContent(scores, groups, needs, texts)
