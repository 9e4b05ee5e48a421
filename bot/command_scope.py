"""Where each command may run: personal commands everywhere, server administration in servers only.

Discord reads install types and contexts from top-level commands and groups only, so a group's
subcommands share its scope. Both are set explicitly on every command: ``@guild_only()`` alone
sends ``integration_types: null``, and with tree defaults it would send every context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from discord import app_commands

T = TypeVar("T")

# Installed to a server or to a person; runs in servers, the bot's DM and DMs between people.
PERSONAL_INSTALLS = app_commands.AppInstallationType(guild=True, user=True)
EVERYWHERE = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)

# Installed by a server admin, run in that server.
SERVER_INSTALL = app_commands.AppInstallationType(guild=True, user=False)
SERVER_ONLY = app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)

# Discord's numbers in the synced payload, for the checks that read it.
USER_INSTALL_TYPE = 1
PRIVATE_CONTEXTS = frozenset({1, 2})


def personal() -> Callable[[T], T]:
    """Let a top-level command run wherever the person is, installed to them or to the server."""
    installs = app_commands.allowed_installs(guilds=True, users=True)
    contexts = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)
    return lambda command: installs(contexts(command))


def server_only() -> Callable[[T], T]:
    """Keep a top-level command (or context menu) to servers that installed Hearth."""
    installs = app_commands.allowed_installs(guilds=True, users=False)
    contexts = app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    return lambda command: installs(contexts(command))


def user_install_url(application_id: int) -> str:
    """Return the link that installs Hearth to a person's own account (no server needed)."""
    return (
        f"https://discord.com/oauth2/authorize?client_id={application_id}"
        "&integration_type=1&scope=applications.commands"
    )
