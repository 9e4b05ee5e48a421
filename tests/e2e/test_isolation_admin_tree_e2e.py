"""Every admin command, found by walking the command tree, checks Manage Server when it runs.

Discord's ``default_member_permissions`` is only a default that a server's admins
can override, so a member may be shown an admin command. Each one must then
refuse privately and change nothing. The admin commands are derived from the
tree and compared to an explicit list, so a new admin command (or a new marker
on an old one) makes this test fail until it is added here, and is then
invoked like the others.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.app import HearthBot
from bot.db.database import Database
from bot.db.repos import gratitude, prompt_config
from bot.fake_discord.driver import Driver
from bot.fake_discord.world import JSON
from tests.backends import table_columns
from tests.e2e.conftest import StandardWorld
from tests.e2e.test_reminders_e2e import reply_of

pytestmark = pytest.mark.e2e

# How a command in a group open to everyone says it needs Manage Server: in its description.
MANAGE_SERVER_MARK = "Manage Server"
ADMIN_COMMANDS = frozenset(
    {
        "setup prompts",
        "setup depth",
        "setup days",
        "setup show",
        "setup check",
        "setup gratitude",
        "prompt now",
        "prompt pause",
        "prompt resume",
        "prompt review",
        "prompt skip",
        "circle remove",
    }
)
# Option values that differ from the configuration the test saves, so an unchecked run would show.
STRING_VALUES = {"time": "21:15", "digest_time": "21:15", "timezone": "Asia/Tokyo", "days": "sun"}

AnyCommand = app_commands.Command[Any, ..., Any] | app_commands.ContextMenu


def leaf_commands(items: list[Any]) -> Iterator[AnyCommand]:
    """Yield every runnable command under ``items`` (slash subcommands and context menus)."""
    for item in items:
        if isinstance(item, app_commands.Group):
            yield from leaf_commands(item.commands)
        else:
            yield item


def is_admin_command(command: AnyCommand) -> bool:
    """Return True when the tree marks ``command`` as needing Manage Server."""
    root = command if isinstance(command, app_commands.ContextMenu) else (command.root_parent or command)
    permissions: discord.Permissions | None = root.default_permissions
    if permissions is not None and permissions.manage_guild:
        return True
    description = "" if isinstance(command, app_commands.ContextMenu) else command.description
    return MANAGE_SERVER_MARK in description


def admin_commands(bot: HearthBot) -> list[str]:
    """Return the qualified names of the tree's admin commands, sorted."""
    return sorted(c.qualified_name for c in leaf_commands(bot.tree.get_commands()) if is_admin_command(c))


def option_values(driver: Driver, world: StandardWorld, qualified_name: str) -> dict[str, Any]:
    """Return a value for every option of a synced slash command, chosen to differ from what is saved."""
    name, *path = qualified_name.split()
    specs: list[JSON] = list(driver.find_command(name).data.get("options") or [])
    for part in path:
        specs = list(next(s for s in specs if s["name"] == part).get("options") or [])
    by_type: dict[int, Any] = {5: True, 6: world.bob, 7: world.checkins, 8: world.admin_role}
    values: dict[str, Any] = {}
    for spec in specs:
        if spec.get("choices"):
            values[spec["name"]] = spec["choices"][0]["value"]
        elif spec["type"] == 3:
            values[spec["name"]] = STRING_VALUES.get(spec["name"], "not an admin")
        elif spec["type"] in (4, 10):
            values[spec["name"]] = spec.get("min_value", 1)
        else:
            values[spec["name"]] = by_type[spec["type"]]
    return values


async def dump_tables(db: Database) -> dict[str, list[str]]:
    """Return every row of every table, as sorted text, to compare before and after."""
    dump: dict[str, list[str]] = {}
    for table in sorted(await table_columns(db)):
        # Table names come from the database's catalogue, never from a user.
        rows = await db.fetch_all(f'SELECT * FROM "{table}"')  # noqa: S608
        dump[table] = sorted(repr(dict(row)) for row in rows)
    return dump


def public_messages(driver: Driver) -> list[str]:
    """Return every non-ephemeral message, with its content, embeds and edits."""
    return [
        f"{m.id} {m.deleted} {m.edits} {m.content} {json.dumps(m.embeds)}"
        for m in driver.world.messages.values()
        if not m.ephemeral
    ]


async def admin_reply(driver: Driver, world: StandardWorld, command: str, options: dict[str, Any]) -> str:
    """Run an admin command as the admin and return the private reply."""
    return await reply_of(await driver.invoke_slash(world.general, world.admin, command, options))


async def test_the_admin_list_matches_the_tree(running_bot: HearthBot) -> None:
    """The tree's Manage Server commands are exactly the listed ones."""
    assert admin_commands(running_bot) == sorted(ADMIN_COMMANDS)


async def test_every_admin_command_refuses_a_member_at_run_time(
    running_bot: HearthBot, driver: Driver, standard_world: StandardWorld
) -> None:
    """With Discord's default overridden, Alice gets a private Manage Server refusal and nothing changes.

    Each command runs twice: with prompts active (so /prompt pause or now would act) and
    paused (so /prompt resume would act).
    """
    world = standard_world
    db = running_bot.db
    await admin_reply(
        driver, world, "setup prompts", {"channel": world.general, "time": "09:00", "timezone": "UTC"}
    )
    await admin_reply(driver, world, "setup gratitude", {"channel": world.general})
    suggested = {"text": "What small thing made today lighter?"}
    await reply_of(await driver.invoke_slash(world.general, world.bob, "prompt suggest", suggested))
    commands = admin_commands(running_bot)
    for phase in ("active", "paused"):
        if phase == "paused":
            assert "paused" in await admin_reply(driver, world, "prompt pause", {})
        tables, messages = await dump_tables(db), public_messages(driver)
        for command in commands:
            options = option_values(driver, world, command)
            handle = await driver.invoke_slash(
                world.general, world.alice, command, options, enforce_permissions=False
            )
            reply = await reply_of(handle)
            assert "Manage Server" in reply, (command, phase, reply)
            assert await dump_tables(db) == tables, (command, phase)
            assert public_messages(driver) == messages, (command, phase)
            assert driver.dms_to(world.alice) == []
    saved = await prompt_config.get(db, world.guild.id)
    assert (
        saved is not None and saved.channel_id == world.general.id and saved.configured_by == world.admin.id
    )
    saved_gratitude = await gratitude.get_config(db, world.guild.id)
    assert saved_gratitude is not None and saved_gratitude.channel_id == world.general.id
