"""Syncing application commands only when they changed, and mentioning them."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from discord import app_commands

from bot.db.database import Database
from bot.db.repos import bot_state

log = logging.getLogger(__name__)

HASH_KEY = "command_tree_hash"
IDS_KEY = "command_ids"


def command_tree_hash(tree: app_commands.CommandTree[Any], application_id: int | None) -> str:
    """Return a stable hash of the global command payloads for one application."""
    payloads = sorted(
        (command.to_dict(tree) for command in tree.get_commands()),
        key=lambda payload: (payload.get("type", 1), payload["name"]),
    )
    blob = json.dumps({"application_id": application_id, "commands": payloads}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


class CommandDirectory:
    """Maps top-level command names to their Discord ids, for clickable mentions."""

    def __init__(self, ids: dict[str, int] | None = None) -> None:
        self._ids = dict(ids or {})

    def mention(self, qualified_name: str) -> str:
        """Return ``</name:id>`` for a command (or its subcommand), or ``/name`` if the id is unknown."""
        root = qualified_name.split(" ", 1)[0]
        command_id = self._ids.get(root)
        if command_id is None:
            return f"/{qualified_name}"
        return f"</{qualified_name}:{command_id}>"

    def as_json(self) -> str:
        """Return the mapping as JSON for storage."""
        return json.dumps(self._ids, sort_keys=True)


async def sync_commands_if_changed(
    tree: app_commands.CommandTree[Any], db: Database, application_id: int | None, *, force: bool
) -> CommandDirectory:
    """Sync global commands when their hash changed (or ``force``), and return their ids.

    Discord allows 200 command creations a day per application, so syncing on
    every start would burn through it during a crash loop.
    """
    current = command_tree_hash(tree, application_id)
    stored_hash = await bot_state.get_value(db, HASH_KEY)
    stored_ids = await bot_state.get_value(db, IDS_KEY)
    if not force and stored_hash == current and stored_ids is not None:
        log.info("Application commands unchanged; not syncing")
        return CommandDirectory({name: int(value) for name, value in json.loads(stored_ids).items()})
    synced = await tree.sync()
    directory = CommandDirectory({command.name: command.id for command in synced})
    await bot_state.set_value(db, IDS_KEY, directory.as_json())
    await bot_state.set_value(db, HASH_KEY, current)
    log.info("Synced %d application commands", len(synced))
    return directory
