"""Appreciation ideas and the wording of /remind, from content/appreciation.toml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.content.errors import ContentError
from bot.content.places import Place, place_limits
from bot.content.texts import TextTable, read_text_table
from bot.content.toml_files import read_toml, require_str

MIN_IDEAS = 60
IDEA_TEXT_LIMIT = 200
_IDEA_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

_BUTTONS = (
    "nudge.button_gratitude",
    "nudge.button_snooze",
    "nudge.button_done",
    "nudge.button_stop",
    "snooze.hour",
    "snooze.evening",
    "snooze.tomorrow",
)
PLACES = dict.fromkeys(_BUTTONS, Place.BUTTON_LABEL) | {
    "remind.list_title": Place.EMBED_TITLE,
    # /remind cancel's autocomplete; the filled-in text is cut at 100 as well.
    "remind.autocomplete_item": Place.CHOICE_NAME,
}
LIMITS = place_limits(PLACES)
DEFAULT_LIMIT = 1000

# Every text the code uses, with the placeholders it fills in.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "nudge.message": frozenset({"who", "idea"}),
    "nudge.late": frozenset(),
    "nudge.snoozed": frozenset(),
    "nudge.button_gratitude": frozenset(),
    "nudge.button_snooze": frozenset(),
    "nudge.button_done": frozenset(),
    "nudge.button_stop": frozenset(),
    "snooze.prompt": frozenset(),
    "snooze.hour": frozenset(),
    "snooze.evening": frozenset(),
    "snooze.tomorrow": frozenset(),
    "snooze.set": frozenset({"when"}),
    "snooze.too_late": frozenset(),
    "done.recorded": frozenset(),
    "done.already": frozenset(),
    "gratitude.use_command": frozenset({"who", "server", "command"}),
    "gratitude.no_channel": frozenset({"who", "server"}),
    "gratitude.outside_server": frozenset({"who", "command"}),
    "remind.created": frozenset({"who", "days", "time", "timezone", "next"}),
    "remind.timezone_note": frozenset({"timezone"}),
    "remind.test_dm": frozenset({"who", "days", "time", "timezone"}),
    "remind.dm_closed": frozenset(),
    "remind.dm_failed": frozenset(),
    "remind.bad_every": frozenset({"problem"}),
    "remind.bad_time": frozenset({"problem"}),
    "remind.bad_timezone": frozenset({"timezone"}),
    "remind.no_bots": frozenset(),
    "remind.not_yourself": frozenset(),
    "remind.not_member": frozenset(),
    "remind.at_cap": frozenset({"cap", "cancel"}),
    "remind.list_title": frozenset(),
    "remind.list_item": frozenset({"id", "who", "days", "time", "timezone", "next"}),
    "remind.list_paused": frozenset({"id", "who", "days", "time", "timezone"}),
    "remind.list_empty": frozenset({"command"}),
    "remind.list_hint": frozenset({"cancel"}),
    "remind.list_paused_hint": frozenset(),
    "remind.cancelled": frozenset({"id"}),
    "remind.not_found": frozenset({"id", "list"}),
    "remind.stopped": frozenset({"command"}),
    "remind.autocomplete_item": frozenset({"id", "who", "days", "time"}),
}


@dataclass(frozen=True)
class Idea:
    """One concrete way to show appreciation."""

    id: str
    text: str


@dataclass(frozen=True)
class AppreciationContent:
    """The ideas (in file order, at least 60) and every text of the reminders feature."""

    ideas: tuple[Idea, ...]
    texts: TextTable

    @property
    def idea_ids(self) -> tuple[str, ...]:
        """Return the ids of every idea, in file order."""
        return tuple(idea.id for idea in self.ideas)

    def idea(self, idea_id: str) -> Idea | None:
        """Return the idea with ``idea_id``, or None if it was removed."""
        return next((idea for idea in self.ideas if idea.id == idea_id), None)


def load_appreciation(path: Path) -> AppreciationContent:
    """Load and validate the appreciation ideas and reminder wording."""
    data = dict(read_toml(path))
    where = path.name
    problems: list[str] = []
    raw_ideas = data.pop("idea", [])
    ideas: list[Idea] = []
    seen: set[str] = set()
    if not isinstance(raw_ideas, list):
        problems.append(f"{where}: 'idea' must be a list of [[idea]] tables")
        raw_ideas = []
    for index, raw in enumerate(raw_ideas, start=1):
        place = f"{where} idea {index}"
        idea_id = require_str(raw, "id", place, problems, max_len=60)
        text = require_str(raw, "text", place, problems, max_len=IDEA_TEXT_LIMIT)
        if idea_id and not _IDEA_ID.match(idea_id):
            problems.append(f"{place}: id {idea_id!r} must be lowercase words joined by hyphens")
        if idea_id in seen:
            problems.append(f"{place}: id {idea_id!r} is used twice")
        seen.add(idea_id)
        ideas.append(Idea(idea_id, text))
    if len(ideas) < MIN_IDEAS:
        problems.append(f"{where}: {len(ideas)} ideas (at least {MIN_IDEAS} are needed)")
    texts = read_text_table(data, where, PLACEHOLDERS, problems, limits=LIMITS, default_limit=DEFAULT_LIMIT)
    if problems:
        raise ContentError(problems)
    return AppreciationContent(tuple(ideas), texts)
