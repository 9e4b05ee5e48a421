"""Validating application commands as Discord does when they are synced, and filling its defaults."""

from __future__ import annotations

import re

from bot.discord_limits import COMMAND_CHARACTER_LIMIT, INTEGER_BOUND, command_characters
from bot.fake_discord.errors import form_error
from bot.fake_discord.models import JSON

_COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")


def normalise_command(payload: JSON, path: str) -> JSON:
    """Validate one application command payload like Discord and return it with defaults filled."""
    prefix = f"{path}." if path else ""
    if not isinstance(payload, dict):
        raise form_error(path or "_root", "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
    data = dict(payload)
    data.pop("id", None)
    data.pop("version", None)
    data.pop("application_id", None)
    data.pop("guild_id", None)
    kind = int(data.get("type", 1))
    data["type"] = kind
    name = str(data.get("name") or "")
    if kind == 1:
        if not _COMMAND_NAME.match(name) or name != name.lower():
            raise form_error(f"{prefix}name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        description = str(data.get("description") or "")
        if not 1 <= len(description) <= 100:
            raise form_error(
                f"{prefix}description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
        _validate_options(list(data.get("options") or []), f"{prefix}options", depth=0)
        if command_characters(data) > COMMAND_CHARACTER_LIMIT:
            # Documented limit; the error detail's wording is ours.
            raise form_error(
                path or "_root", "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds 4000 characters"
            )
    else:
        if not 1 <= len(name) <= 32:
            raise form_error(f"{prefix}name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
        if data.get("description"):
            raise form_error(
                f"{prefix}description", "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION", "Must be empty"
            )
        if data.get("options"):
            raise form_error(
                f"{prefix}options", "APPLICATION_COMMAND_OPTIONS_INVALID", "Context menus have none"
            )
        data["description"] = ""
    perms = data.get("default_member_permissions")
    if perms is not None and not str(perms).isdigit():
        raise form_error(
            f"{prefix}default_member_permissions", "NUMBER_TYPE_COERCE", "Not a permission value"
        )
    if perms is not None:
        data["default_member_permissions"] = str(perms)
    contexts = data.get("contexts")
    if contexts is not None and (not contexts or not set(contexts) <= {0, 1, 2}):
        raise form_error(f"{prefix}contexts", "BASE_TYPE_CHOICES", "Contexts must be 0, 1 or 2")
    integration_types = data.get("integration_types")
    if integration_types is not None and (not integration_types or not set(integration_types) <= {0, 1}):
        raise form_error(
            f"{prefix}integration_types", "BASE_TYPE_CHOICES", "Integration types must be 0 or 1"
        )
    return data


def _validate_options(options: list[JSON], path: str, *, depth: int) -> None:
    """Validate command options: count, names, descriptions, nesting, required-first, choices."""
    if len(options) > 25:
        raise form_error(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    names: set[str] = set()
    seen_optional = False
    for i, option in enumerate(options):
        here = f"{path}.{i}"
        name = str(option.get("name") or "")
        if not _COMMAND_NAME.match(name) or name != name.lower():
            raise form_error(f"{here}.name", "APPLICATION_COMMAND_INVALID_NAME", "Option name is invalid")
        if name in names:
            raise form_error(
                f"{here}.name", "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Duplicate name"
            )
        names.add(name)
        if not 1 <= len(str(option.get("description") or "")) <= 100:
            raise form_error(
                f"{here}.description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
        kind = option.get("type")
        if kind in (1, 2):
            if (kind == 2 and depth > 0) or (kind == 1 and depth > 1):
                raise form_error(f"{here}.type", "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Bad nesting")
            children = list(option.get("options") or [])
            if kind == 2 and any(c.get("type") != 1 for c in children):
                raise form_error(
                    f"{here}.options", "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Groups hold subcommands"
                )
            _validate_options(children, f"{here}.options", depth=depth + 1)
            continue
        if kind not in range(3, 12):
            raise form_error(f"{here}.type", "BASE_TYPE_CHOICES", "Invalid option type")
        if option.get("required"):
            if seen_optional:
                raise form_error(
                    f"{here}.required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required first"
                )
        else:
            seen_optional = True
        choices = option.get("choices") or []
        if len(choices) > 25:
            raise form_error(f"{here}.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        if choices and option.get("autocomplete"):
            raise form_error(
                f"{here}.autocomplete", "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE", "Not with choices"
            )
        if kind == 4:
            for key in ("min_value", "max_value"):
                value = option.get(key)
                if value is not None and not -INTEGER_BOUND <= value <= INTEGER_BOUND:
                    raise form_error(
                        f"{here}.{key}", "NUMBER_TYPE_MAX", f"int value must be within ±{INTEGER_BOUND}."
                    )
