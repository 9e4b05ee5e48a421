"""Validating message components, modals and autocomplete choices against Discord's limits."""

from __future__ import annotations

from bot.fake_discord.errors import form_error
from bot.fake_discord.models import FLAG_COMPONENTS_V2, JSON, SELECT_TYPES, walk_components

MODAL_TITLE_LIMIT = 45
MODAL_COMPONENT_LIMIT = 5
TEXT_INPUT_LIMIT = 4000
AUTOCOMPLETE_CHOICES = 25
CUSTOM_ID_LIMIT = 100


def validate_components(components: list[JSON], flags: int, prefix: str) -> None:
    """Raise 50035 for component layouts Discord rejects (rows, counts, custom ids, labels)."""
    every = walk_components(components)
    seen: set[str] = set()
    for i, item in enumerate(every):
        custom_id = item.get("custom_id")
        if custom_id is not None:
            if not 1 <= len(custom_id) <= CUSTOM_ID_LIMIT:
                raise form_error(
                    f"{prefix}components.{i}.custom_id", "BASE_TYPE_BAD_LENGTH", "Must be 1-100 long."
                )
            if custom_id in seen:
                raise form_error(
                    f"{prefix}components.{i}.custom_id",
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            seen.add(custom_id)
        if item.get("type") == 2:
            style = item.get("style")
            if style == 5 and (not item.get("url") or custom_id):
                raise form_error(
                    f"{prefix}components.{i}", "BUTTON_LINK_INVALID", "Link buttons need a url only."
                )
            if style in (1, 2, 3, 4) and not custom_id:
                raise form_error(
                    f"{prefix}components.{i}.custom_id", "BASE_TYPE_REQUIRED", "This field is required"
                )
            if len(item.get("label") or "") > 80:
                raise form_error(
                    f"{prefix}components.{i}.label", "BASE_TYPE_MAX_LENGTH", "Must be 80 or fewer."
                )
        if item.get("type") == 3 and not 1 <= len(item.get("options") or []) <= 25:
            raise form_error(
                f"{prefix}components.{i}.options", "BASE_TYPE_BAD_LENGTH", "Must be 1-25 options."
            )
        if item.get("type") in SELECT_TYPES and len(item.get("placeholder") or "") > 150:
            raise form_error(
                f"{prefix}components.{i}.placeholder", "BASE_TYPE_MAX_LENGTH", "Must be 150 or fewer."
            )
        for j, option in enumerate(item.get("options") or [] if item.get("type") == 3 else []):
            for key in ("label", "value"):
                if not 1 <= len(str(option.get(key) or "")) <= 100:
                    raise form_error(
                        f"{prefix}components.{i}.options.{j}.{key}", "BASE_TYPE_BAD_LENGTH", "Must be 1-100."
                    )
            if len(option.get("description") or "") > 100:
                raise form_error(
                    f"{prefix}components.{i}.options.{j}.description",
                    "BASE_TYPE_MAX_LENGTH",
                    "Must be 100 or fewer.",
                )
    if flags & FLAG_COMPONENTS_V2:
        if len(every) > 40:
            raise form_error(f"{prefix}components", "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in total.")
        return
    if len(components) > 5:
        raise form_error(f"{prefix}components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
    for i, row in enumerate(components):
        if row.get("type") != 1:
            raise form_error(
                f"{prefix}components.{i}", "UNION_TYPE_CHOICES", "Top-level must be action rows."
            )
        children = row.get("components") or []
        selects = [c for c in children if c.get("type") in SELECT_TYPES]
        if not children or len(children) > 5 or (selects and len(children) > 1):
            raise form_error(
                f"{prefix}components.{i}.components",
                "BASE_TYPE_BAD_LENGTH",
                "A row holds 1-5 buttons or 1 select.",
            )


def validate_modal(data: JSON) -> None:
    """Raise 50035 if a modal (callback type 9) breaks Discord's limits."""
    title = data.get("title") or ""
    if not 1 <= len(title) <= MODAL_TITLE_LIMIT:
        raise form_error("data.title", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")
    custom_id = data.get("custom_id") or ""
    if not 1 <= len(custom_id) <= CUSTOM_ID_LIMIT:
        raise form_error("data.custom_id", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    components = data.get("components") or []
    if not 1 <= len(components) <= MODAL_COMPONENT_LIMIT:
        raise form_error("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
    for i, top in enumerate(components):
        kind = top.get("type")
        if kind == 1:
            inner = top.get("components") or []
            if len(inner) != 1 or inner[0].get("type") != 4:
                raise form_error(
                    f"data.components.{i}", "UNION_TYPE_CHOICES", "A modal row holds one text input."
                )
            _validate_text_input(inner[0], f"data.components.{i}.components.0", needs_label=True)
        elif kind == 18:
            if len(top.get("label") or "") > MODAL_TITLE_LIMIT or not top.get("label"):
                raise form_error(
                    f"data.components.{i}.label", "BASE_TYPE_BAD_LENGTH", "Must be 1-45 in length."
                )
            if len(top.get("description") or "") > 100:
                raise form_error(
                    f"data.components.{i}.description", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer."
                )
            child = top.get("component") or {}
            if child.get("type") == 4:
                _validate_text_input(child, f"data.components.{i}.component", needs_label=False)
            elif child.get("type") not in (*SELECT_TYPES, 19, 21, 22, 23):
                raise form_error(
                    f"data.components.{i}.component", "UNION_TYPE_CHOICES", "Invalid label child."
                )
            else:
                _validate_modal_choice(child, f"data.components.{i}.component")
        elif kind != 10:
            raise form_error(f"data.components.{i}", "UNION_TYPE_CHOICES", "Invalid modal component.")
    validate_components(components, FLAG_COMPONENTS_V2, "data.")


def _validate_choice_options(options: list[JSON], path: str, *, low: int, high: int) -> None:
    """Raise 50035 for radio/checkbox group options outside Discord's counts and lengths."""
    if not low <= len(options) <= high:
        raise form_error(f"{path}.options", "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high}.")
    values: set[str] = set()
    for j, option in enumerate(options):
        for key in ("label", "value"):
            text = option.get(key)
            if not isinstance(text, str) or not 1 <= len(text) <= 100:
                raise form_error(f"{path}.options.{j}.{key}", "BASE_TYPE_BAD_LENGTH", "Must be 1-100 long.")
        if len(option.get("description") or "") > 100:
            raise form_error(
                f"{path}.options.{j}.description", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer."
            )
        if option["value"] in values:
            raise form_error(
                f"{path}.options.{j}.value", "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED", "Duplicate."
            )
        values.add(option["value"])


def _validate_min_max(item: JSON, path: str, *, ceiling: int, options: int | None) -> None:
    """Raise 50035 for min_values/max_values that Discord refuses (incl. min 0 on a required field)."""
    low, high = item.get("min_values"), item.get("max_values")
    if low is not None and not 0 <= low <= ceiling:
        raise form_error(f"{path}.min_values", "NUMBER_TYPE_MAX", f"Must be between 0 and {ceiling}.")
    if high is not None and not 1 <= high <= ceiling:
        raise form_error(f"{path}.max_values", "NUMBER_TYPE_MAX", f"Must be between 1 and {ceiling}.")
    if low is not None and high is not None and low > high:
        raise form_error(f"{path}.min_values", "BASE_TYPE_BAD_VALUE", "min_values exceeds max_values.")
    if options is not None and high is not None and high > options:
        raise form_error(f"{path}.max_values", "BASE_TYPE_BAD_VALUE", "max_values exceeds the options.")
    if item.get("required", True) and low == 0:
        # Discord: min_values must be omitted or at least 1 when required is omitted or true.
        raise form_error(f"{path}.min_values", "BASE_TYPE_BAD_VALUE", "Must be at least 1 when required.")


def _validate_modal_choice(item: JSON, path: str) -> None:
    """Raise 50035 for a select, radio group or checkbox group that breaks Discord's rules in a modal."""
    kind = item.get("type")
    if not item.get("custom_id"):
        raise form_error(f"{path}.custom_id", "BASE_TYPE_REQUIRED", "This field is required")
    if item.get("disabled"):
        raise form_error(f"{path}.disabled", "BASE_TYPE_BAD_VALUE", "Modal components cannot be disabled.")
    if kind == 21:
        options = list(item.get("options") or [])
        _validate_choice_options(options, path, low=2, high=10)
        if sum(bool(option.get("default")) for option in options) > 1:
            raise form_error(f"{path}.options", "BASE_TYPE_BAD_VALUE", "Only one option can be the default.")
    elif kind == 22:
        options = list(item.get("options") or [])
        _validate_choice_options(options, path, low=1, high=10)
        _validate_min_max(item, path, ceiling=10, options=len(options))
    elif kind == 3:
        _validate_min_max(item, path, ceiling=25, options=len(item.get("options") or []))
    elif kind in (5, 6, 7, 8, 19):
        _validate_min_max(item, path, ceiling=25 if kind != 19 else 10, options=None)


def _validate_text_input(item: JSON, path: str, *, needs_label: bool) -> None:
    """Raise 50035 for a bad text input."""
    if not item.get("custom_id"):
        raise form_error(f"{path}.custom_id", "BASE_TYPE_REQUIRED", "This field is required")
    if needs_label and not 1 <= len(item.get("label") or "") <= MODAL_TITLE_LIMIT:
        raise form_error(f"{path}.label", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")
    if item.get("style") not in (1, 2):
        raise form_error(f"{path}.style", "BASE_TYPE_CHOICES", "Value must be one of (1, 2).")
    for key in ("min_length", "max_length"):
        value = item.get(key)
        if value is not None and not 0 <= value <= TEXT_INPUT_LIMIT:
            raise form_error(f"{path}.{key}", "NUMBER_TYPE_MAX", "Must be 4000 or less.")
    if len(item.get("value") or "") > TEXT_INPUT_LIMIT:
        raise form_error(f"{path}.value", "BASE_TYPE_MAX_LENGTH", "Must be 4000 or fewer in length.")
    if len(item.get("placeholder") or "") > 100:
        raise form_error(f"{path}.placeholder", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")


def validate_choices(data: JSON) -> None:
    """Raise 50035 if an autocomplete result (callback type 8) breaks the limits."""
    choices = data.get("choices")
    if not isinstance(choices, list):
        raise form_error("data.choices", "BASE_TYPE_REQUIRED", "This field is required")
    if len(choices) > AUTOCOMPLETE_CHOICES:
        raise form_error("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for i, choice in enumerate(choices):
        if not 1 <= len(str(choice.get("name", ""))) <= 100:
            raise form_error(f"data.choices.{i}.name", "BASE_TYPE_BAD_LENGTH", "Must be 1-100 in length.")
        value = choice.get("value")
        if isinstance(value, str) and len(value) > 100:
            raise form_error(f"data.choices.{i}.value", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer.")
