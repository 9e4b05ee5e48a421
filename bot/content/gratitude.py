"""The wording of the gratitude feature, from content/gratitude.toml."""

from __future__ import annotations

from pathlib import Path

from bot.content.texts import TextTable, load_text_file

DEFAULT_LIMIT = 1000
MODAL_LABEL_LIMIT = 45
HINT_LIMIT = 100
# Tighter Discord limits for the texts that land in small places.
LIMITS = {
    "card.title": 200,
    "card.to_label": 100,
    "card.from_label": 100,
    "card.about_label": 100,
    "card.footer": 200,
    "modal.title": MODAL_LABEL_LIMIT,
    "modal.text_label": MODAL_LABEL_LIMIT,
    "modal.anonymous_label": MODAL_LABEL_LIMIT,
    "modal.text_placeholder": HINT_LIMIT,
    "modal.anonymous_description": HINT_LIMIT,
    "recent.title": 200,
    "remove.choice": HINT_LIMIT,
    "digest.title": 200,
    "digest.highlights": 200,
    "digest.footer": 200,
    "setup.saved_title": 200,
    "setup.label_channel": 200,
    "setup.label_digest": 200,
    "setup.label_next": 200,
    "setup.label_rotation": 200,
}

# Every text the code uses, with the placeholders it fills in.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "card.title": frozenset(),
    "card.ping": frozenset({"recipient"}),
    "card.to_label": frozenset(),
    "card.from_label": frozenset(),
    "card.anonymous_from": frozenset(),
    "card.someone": frozenset(),
    "card.about_label": frozenset(),
    "card.about_value": frozenset({"link"}),
    "card.footer": frozenset(),
    "send.posted": frozenset({"link"}),
    "send.posted_anonymous": frozenset({"link"}),
    "send.no_channel": frozenset({"setup"}),
    "send.channel_unavailable": frozenset({"channel", "missing", "setup"}),
    "send.channel_gone": frozenset({"setup"}),
    "send.failed": frozenset(),
    "send.not_anonymous_here": frozenset(),
    "refuse.bot": frozenset(),
    "refuse.self": frozenset(),
    "refuse.not_member": frozenset(),
    "refuse.empty": frozenset(),
    "refuse.too_long": frozenset({"length", "limit"}),
    "modal.title": frozenset({"name"}),
    "modal.text_label": frozenset(),
    "modal.text_placeholder": frozenset(),
    "modal.anonymous_label": frozenset(),
    "modal.anonymous_description": frozenset(),
    "recent.title": frozenset(),
    "recent.empty": frozenset({"send"}),
    "recent.line": frozenset({"number", "recipient", "sender", "when", "link", "excerpt"}),
    "recent.anonymous": frozenset(),
    "notify.on": frozenset({"off"}),
    "notify.off": frozenset({"on"}),
    "notify.test_dm": frozenset({"off"}),
    "notify.dms_closed": frozenset(),
    "notify.dm_failed": frozenset(),
    "notify.dm": frozenset({"guild", "link"}),
    "remove.need_manage_messages": frozenset(),
    "remove.not_understood": frozenset(),
    "remove.not_found": frozenset(),
    "remove.removed": frozenset({"number"}),
    "remove.removed_message_gone": frozenset({"number"}),
    "remove.failed": frozenset(),
    "remove.choice": frozenset({"number", "date", "excerpt"}),
    "digest.title": frozenset(),
    "digest.summary_one": frozenset(),
    "digest.summary_many": frozenset({"count"}),
    "digest.summary_people": frozenset({"count", "people"}),
    "digest.quiet": frozenset({"send"}),
    "digest.highlights": frozenset(),
    "digest.highlight": frozenset({"excerpt", "recipient", "sender", "link"}),
    "digest.anonymous": frozenset(),
    "digest.footer": frozenset(),
    "rotation.dm": frozenset({"name", "guild", "send"}),
    "setup.need_manage_server": frozenset(),
    "setup.missing_permissions": frozenset({"channel", "missing"}),
    "setup.bad_time": frozenset({"problem"}),
    "setup.bad_day": frozenset(),
    "setup.bad_timezone": frozenset({"timezone"}),
    "setup.saved_title": frozenset(),
    "setup.saved_hint": frozenset({"send"}),
    "setup.label_channel": frozenset(),
    "setup.label_digest": frozenset(),
    "setup.value_digest": frozenset({"day", "time", "timezone"}),
    "setup.label_next": frozenset(),
    "setup.label_rotation": frozenset(),
    "setup.rotation_on": frozenset({"count", "join"}),
    "setup.rotation_off": frozenset(),
    "pause.notice": frozenset({"guild", "reason", "setup"}),
    "pause.reason_channel_gone": frozenset(),
    "pause.reason_missing": frozenset({"missing"}),
}


class GratitudeTexts(TextTable):
    """Every text of the gratitude feature, keyed ``section.name``."""


def load_gratitude_texts(path: Path) -> GratitudeTexts:
    """Load and validate the gratitude wording: every key present, known placeholders, within limits."""
    return GratitudeTexts(load_text_file(path, PLACEHOLDERS, limits=LIMITS, default_limit=DEFAULT_LIMIT))
