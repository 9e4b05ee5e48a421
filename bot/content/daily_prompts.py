"""The wording of the daily prompt feature, from content/daily_prompts.toml."""

from __future__ import annotations

from pathlib import Path

from bot.content.errors import ContentError
from bot.content.places import Place, place_limits
from bot.content.prompts import THEME_DESCRIPTION_LIMIT, THEME_NAME_LIMIT
from bot.content.texts import TextTable, read_text_table
from bot.content.toml_files import read_toml

DEFAULT_LIMIT = 1024
_FIELD_NAMES = (
    "channel",
    "time",
    "ping",
    "threads",
    "audience",
    "depth",
    "status",
    "next",
    "circle",
    "pending",
)
# Where each text that lands in a small place is shown (found in cogs/ and bot/prompts/).
PLACES: dict[str, Place] = {
    "card.title": Place.EMBED_TITLE,
    "card.answer_field": Place.FIELD_NAME,
    "card.footer": Place.FOOTER,
    "card.deep_footer": Place.FOOTER,
    "card.thread_name": Place.THREAD_NAME,
    "answer.modal_title": Place.MODAL_TITLE,
    "answer.field_label": Place.INPUT_LABEL,
    "prompt.review_approve": Place.BUTTON_LABEL,
    "prompt.review_reject": Place.BUTTON_LABEL,
    "card.answer_button": Place.BUTTON_LABEL,
    "card.pass_button": Place.BUTTON_LABEL,
    "prompt.review_title": Place.EMBED_TITLE,
    "prompt.review_item": Place.FIELD_NAME,
    "prompt.review_more": Place.FOOTER,
    "circle.show_title": Place.EMBED_TITLE,
    "circle.show_footer": Place.FOOTER,
    "setup.saved_title": Place.EMBED_TITLE,
    "setup.show_title": Place.EMBED_TITLE,
    "setup.check_title": Place.EMBED_TITLE,
    **{f"setup.label_{name}": Place.FIELD_NAME for name in _FIELD_NAMES},
}
# Tighter limits where a placeholder adds to the text, or the product wants it short.
LIMITS = place_limits(
    PLACES,
    {
        "card.theme_field": 200,
        "card.thread_name": 60,
        "prompt.review_approve": 60,
        "prompt.review_reject": 60,
        "prompt.review_item": 200,
        "reveal.answer_author": 200,
        # Shown where a library theme's name and description are (bot/content/prompts.py).
        "card.custom_theme_name": THEME_NAME_LIMIT,
        "card.custom_theme_description": THEME_DESCRIPTION_LIMIT,
    },
)

# Every text the code uses, with the placeholders it fills in.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "card.title": frozenset(),
    "card.theme_field": frozenset({"theme"}),
    "card.answer_field": frozenset(),
    "card.answer_hint": frozenset({"answer", "join"}),
    "card.deep_footer": frozenset(),
    "card.footer": frozenset(),
    "card.ping": frozenset({"role"}),
    "card.thread_name": frozenset({"date"}),
    "card.custom_theme_name": frozenset(),
    "card.custom_theme_description": frozenset(),
    "card.answer_button": frozenset(),
    "card.pass_button": frozenset(),
    "reveal.header": frozenset(),
    "reveal.closed": frozenset({"shared", "missing"}),
    "reveal.added": frozenset(),
    "reveal.answer_author": frozenset({"name"}),
    "answer.modal_title": frozenset(),
    "answer.field_label": frozenset(),
    "answer.saved": frozenset({"answered", "total"}),
    "answer.updated": frozenset({"answered", "total"}),
    "answer.small_circle": frozenset({"join"}),
    "answer.alone": frozenset(),
    "answer.passed": frozenset({"answered", "total"}),
    "answer.passed_withdrawn": frozenset(),
    "answer.passed_revealed": frozenset({"place"}),
    "answer.pass_already": frozenset({"answer"}),
    "answer.pass_too_late": frozenset(),
    "answer.closed": frozenset({"answer"}),
    "answer.card_gone": frozenset({"answer"}),
    "answer.revealed": frozenset({"place"}),
    "answer.added": frozenset({"place"}),
    "answer.no_prompt": frozenset({"answer"}),
    "answer.not_in_circle": frozenset({"join"}),
    "answer.channel_gone": frozenset(),
    "answer.already_shared": frozenset(),
    "answer.empty": frozenset(),
    "answer.too_long": frozenset({"length", "limit"}),
    "setup.need_manage_server": frozenset(),
    "setup.bad_timezone": frozenset({"timezone"}),
    "setup.bad_time": frozenset({"problem"}),
    "setup.missing_permissions": frozenset({"channel", "missing"}),
    "setup.not_a_text_channel": frozenset(),
    "setup.saved_title": frozenset(),
    "setup.show_title": frozenset(),
    "setup.everyone_ping": frozenset(),
    "setup.role_not_mentionable": frozenset({"role"}),
    "setup.not_configured": frozenset({"setup"}),
    "setup.label_channel": frozenset(),
    "setup.label_time": frozenset(),
    "setup.label_ping": frozenset(),
    "setup.label_threads": frozenset(),
    "setup.label_audience": frozenset(),
    "setup.label_status": frozenset(),
    "setup.label_next": frozenset(),
    "setup.label_circle": frozenset(),
    "setup.label_pending": frozenset(),
    "setup.value_no_ping": frozenset(),
    "setup.value_yes": frozenset(),
    "setup.value_no": frozenset(),
    "setup.value_circle_empty": frozenset({"join"}),
    "setup.value_circle_one": frozenset(),
    "setup.value_circle": frozenset({"count"}),
    "setup.status_active": frozenset(),
    "setup.status_paused": frozenset({"reason", "resume"}),
    "setup.next_paused": frozenset(),
    "setup.check_title": frozenset(),
    "setup.check_ok": frozenset({"channel", "threads"}),
    "setup.check_ok_threads": frozenset(),
    "setup.check_missing": frozenset({"channel", "missing"}),
    "setup.check_gone": frozenset({"setup"}),
    "setup.check_paused": frozenset({"reason", "resume"}),
    "setup.audience_any": frozenset(),
    "setup.audience_couple": frozenset(),
    "setup.audience_friends": frozenset(),
    "setup.audience_family": frozenset(),
    "setup.label_depth": frozenset(),
    "setup.depth_light": frozenset(),
    "setup.depth_medium": frozenset(),
    "setup.depth_all": frozenset(),
    "setup.depth_saved": frozenset({"depth", "count"}),
    "prompt.now_posted": frozenset({"channel"}),
    "prompt.now_already": frozenset({"channel", "next"}),
    "prompt.now_paused": frozenset({"resume"}),
    "prompt.paused": frozenset({"resume"}),
    "prompt.already_paused": frozenset({"resume"}),
    "prompt.resumed": frozenset({"next"}),
    "prompt.not_paused": frozenset({"next"}),
    "prompt.now_failed": frozenset(),
    "prompt.no_prompt_left": frozenset(),
    "prompt.channel_unavailable": frozenset({"reason"}),
    "prompt.suggest_saved": frozenset(),
    "prompt.suggest_empty": frozenset(),
    "prompt.suggest_too_long": frozenset({"length", "limit"}),
    "prompt.suggest_unknown_theme": frozenset({"theme"}),
    "prompt.review_none": frozenset(),
    "prompt.review_title": frozenset(),
    "prompt.review_more": frozenset({"count"}),
    "prompt.review_item": frozenset({"id", "theme"}),
    "prompt.review_no_theme": frozenset(),
    "prompt.review_approve": frozenset({"id"}),
    "prompt.review_reject": frozenset({"id"}),
    "prompt.review_approved": frozenset({"id"}),
    "prompt.review_rejected": frozenset({"id"}),
    "prompt.review_gone": frozenset({"id"}),
    "circle.joined": frozenset(),
    "circle.already": frozenset(),
    "circle.left": frozenset(),
    "circle.not_member": frozenset(),
    "circle.removed": frozenset({"member"}),
    "circle.remove_not_member": frozenset({"member"}),
    "circle.show_title": frozenset(),
    "circle.show_empty": frozenset({"join"}),
    "circle.show_footer": frozenset(),
    "pause.notice": frozenset({"guild", "reason", "resume", "setup"}),
    "pause.reason_channel_gone": frozenset(),
    "pause.reason_missing": frozenset({"missing"}),
    "pause.reason_admin": frozenset(),
    "pause.reason_unknown": frozenset(),
}


# The daily prompt wording is a plain text table; the name says which one.
DailyPromptTexts = TextTable


def load_daily_prompt_texts(path: Path) -> DailyPromptTexts:
    """Load and validate the daily prompt wording: every key present, known placeholders, within limits."""
    problems: list[str] = []
    table = read_text_table(
        read_toml(path), path.name, PLACEHOLDERS, problems, limits=LIMITS, default_limit=DEFAULT_LIMIT
    )
    if problems:
        raise ContentError(problems)
    return table
