"""The wording of pairs, from content/pairs.toml."""

from __future__ import annotations

from pathlib import Path

from bot.content.places import Place, place_limits
from bot.content.texts import TextTable, load_text_file

DEFAULT_LIMIT = 1000
# The texts shown in small places; the rest go in messages or embed descriptions.
PLACES: dict[str, Place] = {
    "invite.card_title": Place.EMBED_TITLE,
    "invite.members_field": Place.FIELD_NAME,
    "invite.card_footer": Place.FOOTER,
    "invite.join_button": Place.BUTTON_LABEL,
    "invite.install_button": Place.BUTTON_LABEL,
    "show.title": Place.EMBED_TITLE,
    "show.members": Place.FIELD_NAME,
    "show.time": Place.FIELD_NAME,
    "show.status": Place.FIELD_NAME,
    "show.time_value": Place.FIELD_VALUE,
    "show.choice": Place.CHOICE_NAME,
    "daily.title_two": Place.EMBED_TITLE,
    "daily.title_group": Place.EMBED_TITLE,
    "daily.theme": Place.FIELD_NAME,
    "daily.footer": Place.FOOTER,
    "daily.deep_footer": Place.FOOTER,
    "daily.answer_button": Place.BUTTON_LABEL,
    "daily.pass_button": Place.BUTTON_LABEL,
    "answer.modal_title": Place.MODAL_TITLE,
    "answer.field_label": Place.INPUT_LABEL,
    "reveal.title": Place.EMBED_TITLE,
}
LIMITS = place_limits(PLACES)

# Every text the code uses, with the placeholders it fills in.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "invite.card_title": frozenset(),
    "invite.card": frozenset({"author", "time", "timezone"}),
    "invite.members_field": frozenset(),
    "invite.card_footer": frozenset(),
    "invite.join_button": frozenset(),
    "invite.install_button": frozenset(),
    "invite.in_server": frozenset({"invite", "join"}),
    "invite.in_bot_dm": frozenset({"invite"}),
    "invite.already_here": frozenset({"show"}),
    "invite.too_many": frozenset({"leave", "limit"}),
    "join.joined": frozenset({"time", "timezone"}),
    "join.joined_no_dm": frozenset({"today"}),
    "join.own_invite": frozenset(),
    "join.already": frozenset({"show"}),
    "join.full": frozenset({"limit"}),
    "join.expired": frozenset({"invite"}),
    "join.ended": frozenset({"invite"}),
    "join.welcome_dm": frozenset({"names", "time", "timezone"}),
    "show.title": frozenset(),
    "show.members": frozenset(),
    "show.time": frozenset(),
    "show.time_value": frozenset({"time", "timezone"}),
    "show.status": frozenset(),
    "show.status_invited": frozenset(),
    "show.status_active": frozenset(),
    "show.status_paused": frozenset(),
    "show.dms_refused": frozenset({"today"}),
    "show.none": frozenset({"invite"}),
    "show.choose": frozenset({"count"}),
    "show.not_member": frozenset(),
    "show.choice": frozenset({"names"}),
    "time.changed": frozenset({"time", "timezone"}),
    "pause.paused": frozenset({"resume"}),
    "pause.already": frozenset({"resume"}),
    "pause.resumed": frozenset({"time", "timezone"}),
    "pause.resumed_no_dm": frozenset({"time", "timezone", "today"}),
    "pause.not_active": frozenset(),
    "leave.left": frozenset(),
    "leave.ended": frozenset(),
    "leave.withdrawn": frozenset(),
    "leave.notice": frozenset({"invite", "name"}),
    "daily.title_two": frozenset(),
    "daily.title_group": frozenset(),
    "daily.theme": frozenset(),
    "daily.footer": frozenset(),
    "daily.deep_footer": frozenset(),
    "daily.answer_button": frozenset(),
    "daily.pass_button": frozenset(),
    "answer.modal_title": frozenset(),
    "answer.field_label": frozenset(),
    "answer.saved": frozenset({"waiting"}),
    "answer.updated": frozenset({"waiting"}),
    "answer.passed": frozenset({"waiting"}),
    "answer.revealed": frozenset(),
    "answer.already_revealed": frozenset(),
    "answer.gone": frozenset(),
    "answer.stale": frozenset({"today"}),
    "answer.empty": frozenset(),
    "answer.too_long": frozenset({"length", "limit"}),
    "reveal.title": frozenset(),
    "reveal.header": frozenset({"prompt"}),
    "reveal.answer_by": frozenset({"who"}),
    "reveal.passed": frozenset({"who"}),
    "reveal.nobody": frozenset(),
    "today.waiting": frozenset({"time", "timezone"}),
    "today.not_answered": frozenset(),
    "today.answered": frozenset({"waiting"}),
    "today.passed": frozenset({"waiting"}),
    "notice.pair_hint": frozenset({"today"}),
    "input.bad_time": frozenset({"problem"}),
    "input.bad_timezone": frozenset({"timezone"}),
}


class PairTexts(TextTable):
    """Every text of pairs, keyed ``section.name``."""


def load_pair_texts(path: Path) -> PairTexts:
    """Load and validate the pairs wording: every key present, known placeholders, within limits."""
    return PairTexts(load_text_file(path, PLACEHOLDERS, limits=LIMITS, default_limit=DEFAULT_LIMIT))
