"""Every content text is checked at start-up against the limit of the place Discord shows it in.

The places are found in the code itself: every call that renders into an embed,
a component, a modal or a choice with a ``texts("section.name")`` argument. Texts
that reach their place through a variable are listed in INDIRECT.
"""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from bot.content import appreciation, checkins, daily_prompts, gratitude, pairs, privacy, repair
from bot.content.errors import ContentError
from bot.content.library import CONTENT_DIR, load_content
from bot.content.places import PLACE_LIMITS, Place
from bot.content.texts import TextTable

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"^[a-z_0-9]+\.[a-z_0-9]+$")

# Which keyword of which call shows its text where.
KEYWORD_PLACES: dict[tuple[str, str], Place] = {
    ("Embed", "title"): Place.EMBED_TITLE,
    ("Embed", "description"): Place.EMBED_DESCRIPTION,
    ("add_field", "name"): Place.FIELD_NAME,
    ("add_field", "value"): Place.FIELD_VALUE,
    ("insert_field_at", "name"): Place.FIELD_NAME,
    ("insert_field_at", "value"): Place.FIELD_VALUE,
    ("set_footer", "text"): Place.FOOTER,
    ("set_author", "name"): Place.AUTHOR,
    ("Button", "label"): Place.BUTTON_LABEL,
    ("SelectOption", "label"): Place.SELECT_OPTION,
    ("SelectOption", "value"): Place.SELECT_OPTION,
    ("SelectOption", "description"): Place.SELECT_OPTION,
    ("Select", "placeholder"): Place.SELECT_PLACEHOLDER,
    ("UserSelect", "placeholder"): Place.SELECT_PLACEHOLDER,
    ("RoleSelect", "placeholder"): Place.SELECT_PLACEHOLDER,
    ("ChannelSelect", "placeholder"): Place.SELECT_PLACEHOLDER,
    ("Choice", "name"): Place.CHOICE_NAME,
    ("TextInput", "label"): Place.INPUT_LABEL,
    ("TextInput", "placeholder"): Place.INPUT_PLACEHOLDER,
    ("Label", "text"): Place.INPUT_LABEL,
    ("Label", "description"): Place.LABEL_DESCRIPTION,
    # HearthModal subclasses pass their title to super().__init__.
    ("__init__", "title"): Place.MODAL_TITLE,
}

# Texts that reach their place through a variable or a helper, so the scan cannot see them.
INDIRECT: dict[str, Place] = {
    "setup.saved_title": Place.EMBED_TITLE,  # config_embed(bot, config, title)
    "setup.show_title": Place.EMBED_TITLE,
    "remind.list_title": Place.EMBED_TITLE,  # list_embeds(title, lines)
    "remind.autocomplete_item": Place.CHOICE_NAME,
    "saved.share_placeholder": Place.SELECT_PLACEHOLDER,  # ShareSelect(checkin_id, placeholder)
    "retention.choice_forever": Place.BUTTON_LABEL,  # choice_label() -> RetentionButton
    "retention.choice_365": Place.BUTTON_LABEL,
    "retention.choice_90": Place.BUTTON_LABEL,
    "retention.choice_30": Place.BUTTON_LABEL,
    "remove.choice": Place.CHOICE_NAME,  # removal_choice() -> /gratitude-remove autocomplete
    "card.thread_name": Place.THREAD_NAME,
    "reveal.answer_author": Place.EMBED_DESCRIPTION,
    **{f"modal.{part}_label": Place.INPUT_LABEL for part in repair._LABELS},
    **{f"modal.{part}_placeholder": Place.INPUT_PLACEHOLDER for part in repair._LABELS},
}

# Each keyed text table: the texts it defines, the loader's limits, and its default limit.
TABLES: dict[str, tuple[Mapping[str, object], Mapping[str, int], int]] = {
    "appreciation": (appreciation.PLACEHOLDERS, appreciation.LIMITS, appreciation.DEFAULT_LIMIT),
    "checkins": (checkins.PLACEHOLDERS, checkins.TEXT_LIMITS, checkins.DEFAULT_TEXT_LIMIT),
    "daily_prompts": (daily_prompts.PLACEHOLDERS, daily_prompts.LIMITS, daily_prompts.DEFAULT_LIMIT),
    "gratitude": (gratitude.PLACEHOLDERS, gratitude.LIMITS, gratitude.DEFAULT_LIMIT),
    "pairs": (pairs.PLACEHOLDERS, pairs.LIMITS, pairs.DEFAULT_LIMIT),
    "privacy": (privacy.PLACEHOLDERS, privacy.LIMITS, privacy.DEFAULT_LIMIT),
    "repair": (repair.PLACEHOLDERS, repair.LIMITS, repair.DEFAULT_LIMIT),
}


def _call_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _keys_in(expression: ast.AST) -> Iterator[str]:
    """Yield the text keys looked up anywhere in an expression: ``texts("section.name", ...)``."""
    for node in ast.walk(expression):
        if isinstance(node, ast.Call) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and KEY.match(first.value):
                yield first.value


def rendered_places() -> dict[str, set[tuple[Place, str]]]:
    """Return, for each text key, the places the code shows it in (with where, for messages)."""
    found: dict[str, set[tuple[Place, str]]] = {}
    for path in sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "cogs").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = _call_name(node.func) or ""
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            for keyword in node.keywords:
                place = KEYWORD_PLACES.get((name, keyword.arg or ""))
                if place is not None:
                    for key in _keys_in(keyword.value):
                        found.setdefault(key, set()).add((place, where))
            # Hearth's own button classes take their label as an argument.
            if name.endswith("Button") and name != "Button":
                for argument in [*node.args, *(k.value for k in node.keywords)]:
                    for key in _keys_in(argument):
                        found.setdefault(key, set()).add((Place.BUTTON_LABEL, where))
    for key, place in INDIRECT.items():
        found.setdefault(key, set()).add((place, "INDIRECT"))
    return found


def test_the_scan_finds_the_small_places() -> None:
    """A sanity check of the scan: known texts are found where they are shown."""
    places = rendered_places()
    assert Place.EMBED_TITLE in {place for place, _ in places["circle.show_title"]}
    assert Place.BUTTON_LABEL in {place for place, _ in places["delete.confirm_button"]}
    assert Place.MODAL_TITLE in {place for place, _ in places["answer.modal_title"]}
    assert Place.FIELD_NAME in {place for place, _ in places["setup.label_channel"]}
    assert len(places) > 80


@pytest.mark.parametrize("table", sorted(TABLES))
def test_the_loader_limits_each_text_to_its_place(table: str) -> None:
    """For every text a table defines and the code shows, the loader's limit is within Discord's there."""
    keys, limits, default = TABLES[table]
    problems = []
    for key, places in sorted(rendered_places().items()):
        if key not in keys:
            continue
        limit = limits.get(key, default)
        for place, where in sorted(places):
            if limit > PLACE_LIMITS[place]:
                problems.append(
                    f"{key}: loader allows {limit}, {place} ({where}) holds {PLACE_LIMITS[place]}"
                )
    assert problems == []


def test_every_text_fits_where_it_is_shown() -> None:
    """The texts as written (before placeholders) fit every place they are shown in."""
    content = load_content()
    tables: dict[str, TextTable] = {
        "appreciation": content.appreciation.texts,
        "checkins": content.checkins.texts,
        "daily_prompts": content.daily_prompts,
        "gratitude": content.gratitude,
        "pairs": content.pairs,
        "privacy": content.privacy.table,
        "repair": content.repair.texts,
    }
    problems = []
    for key, places in rendered_places().items():
        for name, table in tables.items():
            if key not in TABLES[name][0]:
                continue
            text = table.template(key)
            for place, where in places:
                if len(text) > PLACE_LIMITS[place]:
                    problems.append(f"{name} {key}: {len(text)} characters in a {place} ({where})")
    assert problems == []


@pytest.mark.parametrize(
    ("file", "line", "length", "expected"),
    [
        ("daily_prompts.toml", 'show_title = "This server\'s circle"', 257, "'circle.show_title' is 257"),
        ("daily_prompts.toml", 'check_title = "Permission check"', 257, "'setup.check_title' is 257"),
        ("privacy.toml", 'choice_30 = "30 days"', 81, "'retention.choice_30' is 81"),
        # Shown as "Name (US)" in /resources country's autocomplete: 95 + 5 = 100 at most.
        ("resources.toml", 'name = "United States"', 96, "'name' is 96 characters (at most 95)"),
    ],
)
def test_a_text_too_long_for_its_place_stops_start_up(
    tmp_path: Path, file: str, line: str, length: int, expected: str
) -> None:
    """One character over the place's limit (an embed title, a button label) is a content error."""
    for source in CONTENT_DIR.iterdir():
        if source.is_dir():
            shutil.copytree(source, tmp_path / source.name)
        else:
            shutil.copy(source, tmp_path / source.name)
    path = tmp_path / file
    original = path.read_text(encoding="utf-8")
    assert line in original
    key = line.split(" = ")[0]
    path.write_text(original.replace(line, f'{key} = "{"x" * length}"'), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_content(tmp_path)
    assert any(expected in problem for problem in raised.value.problems), raised.value.problems
