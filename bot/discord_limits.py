"""Discord's documented limits on application command payloads, as a checker for tests.

Rules from discord-api-docs (interactions/application-commands): names, descriptions,
options, choices, value bounds, and the 4,000 characters a command may total.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

CHAT_INPUT, USER, MESSAGE = 1, 2, 3
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, NUMBER = 3, 4, 10

MAX_GLOBAL = {CHAT_INPUT: 100, USER: 5, MESSAGE: 5}
MAX_OPTIONS = 25
MAX_CHOICES = 25
DESCRIPTION_LENGTH = range(1, 101)
NAME_LENGTH = range(1, 33)
CHOICE_NAME_LENGTH = range(1, 101)
CHOICE_STRING_VALUE_MAX = 100
# INTEGER options: any integer between -2^53+1 and 2^53-1; NUMBER options: any double between -2^53 and 2^53.
INTEGER_BOUND = 2**53 - 1
NUMBER_BOUND = 2**53
STRING_LENGTH_BOUND = 6000
COMMAND_CHARACTER_LIMIT = 4000


def _name_character_ok(char: str) -> bool:
    """Return whether Discord accepts ``char`` in a name: letters, numbers, Devanagari, Thai, - and _."""
    if char in "-_":
        return True
    if unicodedata.category(char)[0] in "LN":
        return True
    code = ord(char)
    # The Devanagari (U+0900-097F, U+A8E0-A8FF) and Thai (U+0E00-0E7F) blocks cover those scripts' marks.
    return 0x0900 <= code <= 0x097F or 0xA8E0 <= code <= 0xA8FF or 0x0E00 <= code <= 0x0E7F


def chat_input_name_problem(name: str) -> str | None:
    """Return why ``name`` is not a valid chat-input command or option name, or None."""
    if len(name) not in NAME_LENGTH:
        return f"name {name!r} must be 1-32 characters"
    if not all(_name_character_ok(char) for char in name):
        return f"name {name!r} has characters outside [-_\\p{{L}}\\p{{N}}\\p{{sc=Deva}}\\p{{sc=Thai}}]"
    if name != name.lower():
        return f"name {name!r} must use lowercase letters"
    return None


def _longest(value: str, localizations: Mapping[str, str] | None) -> int:
    """Only the longest of a field and its localizations counts towards the 4,000 characters."""
    return max([len(value), *(len(text) for text in (localizations or {}).values())])


def _localized(field: str, payload: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """Yield (label, text) for a field and each of its localizations."""
    yield field, str(payload.get(field) or "")
    for locale, text in (payload.get(f"{field}_localizations") or {}).items():
        yield f"{field}[{locale}]", str(text)


def _check_bounds(option: Mapping[str, Any], where: str, problems: list[str]) -> None:
    """Value bounds of INTEGER/NUMBER options and length bounds of STRING options."""
    kind = option.get("type")
    bound = INTEGER_BOUND if kind == INTEGER else NUMBER_BOUND
    for key in ("min_value", "max_value"):
        value = option.get(key)
        if value is None:
            continue
        if kind not in (INTEGER, NUMBER):
            problems.append(f"{where}: {key} is only for INTEGER and NUMBER options")
        elif kind == INTEGER and not isinstance(value, int):
            problems.append(f"{where}: {key} {value!r} must be an integer")
        elif not -bound <= value <= bound:
            problems.append(f"{where}: {key} {value} is outside ±{bound}")
    for key, lowest in (("min_length", 0), ("max_length", 1)):
        length = option.get(key)
        if length is None:
            continue
        if kind != STRING:
            problems.append(f"{where}: {key} is only for STRING options")
        elif not lowest <= length <= STRING_LENGTH_BOUND:
            problems.append(f"{where}: {key} {length} is outside {lowest}..{STRING_LENGTH_BOUND}")
    low = option.get("min_value", option.get("min_length"))
    high = option.get("max_value", option.get("max_length"))
    if low is not None and high is not None and low > high:
        problems.append(f"{where}: minimum {low} is above maximum {high}")


def _check_choices(option: Mapping[str, Any], where: str, problems: list[str]) -> int:
    """Choice count, names and values; return the characters they add to the command."""
    choices: Sequence[Mapping[str, Any]] = option.get("choices") or []
    if len(choices) > MAX_CHOICES:
        problems.append(f"{where}: {len(choices)} choices, at most {MAX_CHOICES}")
    if choices and option.get("type") not in (STRING, INTEGER, NUMBER):
        problems.append(f"{where}: choices are only for STRING, INTEGER and NUMBER options")
    if choices and option.get("autocomplete"):
        problems.append(f"{where}: autocomplete may not be set with choices")
    total = 0
    for index, choice in enumerate(choices):
        here = f"{where}.choices[{index}]"
        for label, text in _localized("name", choice):
            if len(text) not in CHOICE_NAME_LENGTH:
                problems.append(f"{here}.{label} {text!r} must be 1-100 characters")
        value = choice.get("value")
        if isinstance(value, str):
            if len(value) > CHOICE_STRING_VALUE_MAX:
                problems.append(f"{here}.value must be at most 100 characters")
        elif option.get("type") == INTEGER and (
            not isinstance(value, int) or not -INTEGER_BOUND <= value <= INTEGER_BOUND
        ):
            problems.append(f"{here}.value {value!r} is not an integer within ±{INTEGER_BOUND}")
        total += _longest(str(choice.get("name") or ""), choice.get("name_localizations"))
        total += len(str(value))
    return total


def _check_options(options: Sequence[Mapping[str, Any]], where: str, problems: list[str]) -> int:
    """Options (recursively): names, descriptions, counts, order; return the characters they add."""
    if len(options) > MAX_OPTIONS:
        problems.append(f"{where}: {len(options)} options, at most {MAX_OPTIONS}")
    names = [str(option.get("name") or "") for option in options]
    if len(set(names)) != len(names):
        problems.append(f"{where}: option names must be unique")
    total = 0
    seen_optional = False
    for option in options:
        here = f"{where} {option.get('name')}"
        for label, text in _localized("name", option):
            problem = chat_input_name_problem(text)
            if problem:
                problems.append(f"{here}.{label}: {problem}")
        for label, text in _localized("description", option):
            if len(text) not in DESCRIPTION_LENGTH:
                problems.append(f"{here}.{label} must be 1-100 characters, is {len(text)}")
        total += _longest(str(option.get("name") or ""), option.get("name_localizations"))
        total += _longest(str(option.get("description") or ""), option.get("description_localizations"))
        if option.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
            total += _check_options(option.get("options") or [], here, problems)
            continue
        if option.get("required"):
            if seen_optional:
                problems.append(f"{here}: required options must come before optional ones")
        else:
            seen_optional = True
        _check_bounds(option, here, problems)
        total += _check_choices(option, here, problems)
    return total


def command_characters(payload: Mapping[str, Any]) -> int:
    """Return the characters a command counts towards its 4,000 (name, description, options, choices)."""
    return _command_problems(payload)[1]


def _command_problems(payload: Mapping[str, Any]) -> tuple[list[str], int]:
    """Return the problems of one command payload and its character total."""
    problems: list[str] = []
    kind = payload.get("type", CHAT_INPUT)
    name = str(payload.get("name") or "")
    where = f"/{name}" if kind == CHAT_INPUT else f"{name!r} (type {kind})"
    if kind == CHAT_INPUT:
        for label, text in _localized("name", payload):
            problem = chat_input_name_problem(text)
            if problem:
                problems.append(f"{where}.{label}: {problem}")
        for label, text in _localized("description", payload):
            if len(text) not in DESCRIPTION_LENGTH:
                problems.append(f"{where}.{label} must be 1-100 characters, is {len(text)}")
    else:
        for label, text in _localized("name", payload):
            if len(text) not in NAME_LENGTH:
                problems.append(f"{where}.{label} must be 1-32 characters")
        if payload.get("description") or payload.get("options"):
            problems.append(f"{where}: context menus take no description and no options")
    total = _longest(name, payload.get("name_localizations"))
    total += _longest(str(payload.get("description") or ""), payload.get("description_localizations"))
    total += _check_options(payload.get("options") or [], where, problems)
    if total > COMMAND_CHARACTER_LIMIT:
        problems.append(f"{where}: {total} characters in all, at most {COMMAND_CHARACTER_LIMIT}")
    return problems, total


def payload_problems(payloads: Sequence[Mapping[str, Any]]) -> list[str]:
    """Return every way a list of global command payloads breaks Discord's documented limits."""
    problems: list[str] = []
    for payload in payloads:
        problems.extend(_command_problems(payload)[0])
    for kind, limit in MAX_GLOBAL.items():
        of_kind = [p for p in payloads if p.get("type", CHAT_INPUT) == kind]
        if len(of_kind) > limit:
            problems.append(f"{len(of_kind)} global commands of type {kind}, at most {limit}")
        names = [p.get("name") for p in of_kind]
        if len(set(names)) != len(names):
            problems.append(f"command names of type {kind} must be unique")
    return problems
