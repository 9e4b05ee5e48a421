from typing import Any

import discord
from discord import app_commands

from bot.command_sync import CommandDirectory, command_tree_hash, sync_commands_if_changed
from bot.db.database import Database


class CountingTree(app_commands.CommandTree[Any]):
    """A command tree whose sync is counted instead of sent to Discord."""

    syncs = 0

    async def sync(self, *, guild: Any = None) -> list[app_commands.AppCommand]:
        self.syncs += 1
        return []


def make_tree(description: str) -> CountingTree:
    tree = CountingTree(discord.Client(intents=discord.Intents.none()))

    @tree.command(name="ping", description=description)
    async def ping(interaction: Any) -> None:
        return None

    return tree


def test_command_tree_hash_changes_with_payload() -> None:
    """Any change in a command's payload (or the application) changes the hash."""
    assert command_tree_hash(make_tree("a"), 1) == command_tree_hash(make_tree("a"), 1)
    assert command_tree_hash(make_tree("a"), 1) != command_tree_hash(make_tree("b"), 1)
    assert command_tree_hash(make_tree("a"), 1) != command_tree_hash(make_tree("a"), 2)


async def test_sync_commands_only_when_changed(db: Database) -> None:
    """The tree is synced on first start, not again when unchanged, and again when forced or changed."""
    tree = make_tree("a")
    await sync_commands_if_changed(tree, db, 1, force=False)
    await sync_commands_if_changed(tree, db, 1, force=False)
    assert tree.syncs == 1
    await sync_commands_if_changed(tree, db, 1, force=True)
    assert tree.syncs == 2
    changed = make_tree("b")
    await sync_commands_if_changed(changed, db, 1, force=False)
    assert changed.syncs == 1


def test_command_directory_mentions() -> None:
    """Known commands become clickable mentions, unknown ones plain text."""
    directory = CommandDirectory({"setup": 5})
    assert directory.mention("setup show") == "</setup show:5>"
    assert directory.mention("help") == "/help"
