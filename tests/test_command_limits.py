"""The whole synced command payload stays within every limit Discord documents."""

from __future__ import annotations

from typing import Any

import pytest

from bot.db.database import Database
from bot.discord_limits import (
    COMMAND_CHARACTER_LIMIT,
    chat_input_name_problem,
    command_characters,
    payload_problems,
)
from bot.settings import Settings
from tests.test_cogs import load_all


async def synced_payloads(settings: Settings, db: Database) -> list[dict[str, Any]]:
    """Return the global command payloads exactly as ``tree.sync()`` sends them."""
    bot = await load_all(settings, db)
    assert bot.tree.translator is None, "with a translator, sync sends the translated payloads"
    return [command.to_dict(bot.tree) for command in bot.tree.get_commands()]


async def test_synced_commands_are_within_discord_limits(settings: Settings, db: Database) -> None:
    """Names, descriptions, options, choices, bounds, per-command totals and command counts."""
    payloads = await synced_payloads(settings, db)
    assert payloads
    assert payload_problems(payloads) == []


async def test_every_command_keeps_room_under_the_character_total(settings: Settings, db: Database) -> None:
    """The largest command is named in the failure, so growth towards 4,000 is visible."""
    payloads = await synced_payloads(settings, db)
    largest = max(payloads, key=command_characters)
    assert command_characters(largest) <= COMMAND_CHARACTER_LIMIT, largest["name"]


def option(**fields: Any) -> dict[str, Any]:
    """Return an option payload with a valid name and description unless given."""
    return {"name": "value", "description": "A value", "type": 4, **fields}


def command(*options: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """Return a chat-input command payload."""
    return {"type": 1, "name": "demo", "description": "A demo", "options": list(options), **fields}


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (command(option(max_value=2**53)), "outside ±9007199254740991"),
        (command(option(min_value=-(2**53))), "outside ±9007199254740991"),
        (command(option(type=3, max_length=6001)), "max_length 6001 is outside 1..6000"),
        (command(option(type=3, min_length=-1)), "min_length -1 is outside 0..6000"),
        (command(option(min_length=1)), "only for STRING"),
        (command(option(description="")), "must be 1-100 characters"),
        (command(option(description="x" * 101)), "must be 1-100 characters"),
        (command(name="Demo"), "lowercase"),
        (command(name="de mo"), "has characters outside"),
        (command(name="x" * 33), "1-32 characters"),
        (command(option(name="a", required=False), option(name="b", required=True)), "before optional"),
        (command(*[option(name=f"o{i}") for i in range(26)]), "at most 25"),
        (
            command(option(type=3, choices=[{"name": str(i), "value": str(i)} for i in range(26)])),
            "26 choices",
        ),
        (command(option(type=3, choices=[{"name": "x" * 101, "value": "x"}])), "must be 1-100"),
        (command(option(type=3, choices=[{"name": "x", "value": "x" * 101}])), "at most 100 characters"),
        (command(option(choices=[{"name": "x", "value": 2**53}])), "not an integer within"),
        (command(option(type=3, autocomplete=True, choices=[{"name": "x", "value": "x"}])), "autocomplete"),
        (command(option(name="value"), option(name="value")), "unique"),
        ({"type": 2, "name": "x" * 33, "description": ""}, "1-32 characters"),
        ({"type": 3, "name": "Look", "description": "not empty"}, "no description"),
    ],
)
def test_checker_names_each_broken_rule(payload: dict[str, Any], expected: str) -> None:
    """Every documented rule is checked: a payload breaking one is reported."""
    problems = payload_problems([payload])
    assert any(expected in problem for problem in problems), problems


def test_checker_counts_nested_subcommands_towards_the_total() -> None:
    """Names, descriptions and choices of nested subcommands all count, localizations by their longest."""
    leaf = option(type=3, description="d" * 100, choices=[{"name": "n" * 100, "value": "v" * 100}] * 5)
    sub = {"type": 1, "name": "sub", "description": "s" * 100, "options": [leaf]}
    group = {"type": 2, "name": "group", "description": "g" * 100, "options": [sub] * 2}
    payload = command(*[dict(group, name=f"g{i}") for i in range(2)])
    assert command_characters(payload) > COMMAND_CHARACTER_LIMIT
    assert any("characters in all" in problem for problem in payload_problems([payload]))
    localized = command(description_localizations={"de": "x" * 99})
    assert command_characters(localized) == len("demo") + 99


def test_checker_limits_command_counts() -> None:
    """At most 100 chat-input commands, 5 user and 5 message context menus."""
    many = [command(name=f"c{i}") for i in range(101)]
    users = [{"type": 2, "name": f"User {i}", "description": ""} for i in range(6)]
    messages = [{"type": 3, "name": f"Message {i}", "description": ""} for i in range(5)]
    problems = payload_problems([*many, *users, *messages])
    assert "101 global commands of type 1, at most 100" in problems
    assert "6 global commands of type 2, at most 5" in problems
    assert not any("of type 3" in problem for problem in problems)


def test_names_allow_other_scripts_but_not_uppercase() -> None:
    """Letters of any script, digits, Devanagari and Thai marks pass; cased letters must be lowercase."""
    assert chat_input_name_problem("grüße_1") is None
    assert chat_input_name_problem("नमस्ते") is None
    assert chat_input_name_problem("สวัสดี") is None
    assert chat_input_name_problem("Grüße") is not None
    assert chat_input_name_problem("a.b") is not None
