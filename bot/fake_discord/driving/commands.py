"""Invoking application commands as a user: slash commands, autocomplete and context menus."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.fake_discord.driving.base import CommandNotAvailableError, DriverBase
from bot.fake_discord.interactions import APPLICATION_COMMAND, AUTOCOMPLETE, InteractionHandle
from bot.fake_discord.invocation import Resolver, slash_command_data
from bot.fake_discord.models import DM, JSON, Channel, Command, Guild, Message, User
from bot.fake_discord.permissions import ALL_PERMISSIONS


class CommandActions(DriverBase):
    """Finds a synced command, checks Discord would offer it, and invokes it."""

    def find_command(self, name: str, *, type: int = 1, guild: Guild | None = None) -> Command:
        """Return a synced command by name (guild commands first), or fail naming what is synced."""
        scopes: list[int | None] = ([guild.id] if guild else []) + [None]
        for scope in scopes:
            for command in self.world.commands.get(scope, {}).values():
                if command.name == name and command.type == type:
                    return command
        synced = sorted(c.name for s in scopes for c in self.world.commands.get(s, {}).values())
        raise CommandNotAvailableError(
            f"command {name!r} (type {type}) was never synced with Discord; synced: {synced}"
        )

    def _check_available(self, command: Command, channel: Channel, user: User) -> None:
        """Raise if Discord would hide ``command`` from ``user`` in ``channel``."""
        self._check_context(command, channel, user)
        guild = self.world.guild_of(channel)
        required = command.data.get("default_member_permissions")
        if guild is None or required is None:
            return
        have = self.world.guild_permissions(guild, user.id)
        needed = int(required)
        if have != ALL_PERMISSIONS and (needed == 0 or have & needed != needed):
            raise CommandNotAvailableError(
                f"{user.username} lacks default_member_permissions {required} for /{command.name} "
                "(pass enforce_permissions=False to simulate a server admin's override)"
            )

    def _check_context(self, command: Command, channel: Channel, user: User) -> None:
        """Raise unless the command's install types and contexts let Discord offer it here."""
        context = 2 if self.world.is_private_channel(channel) else 1 if channel.type == DM else 0
        types = command.data.get("integration_types") or [0]
        installed = user.id in self.world.installed_users
        by_user = 1 in types and installed
        if context == 0:
            guild = self.world.guild_of(channel)
            by_guild = 0 in types and guild is not None and self.bot_user.id in guild.members
        elif context == 1:
            by_guild = 0 in types and self.world.mutual_guild(user.id)
        else:
            by_guild = False
        contexts = command.data.get("contexts")
        if contexts is None:
            contexts = [0, 1, 2] if 1 in types else [0, 1]
        name = f"/{command.name}"
        if context not in contexts:
            raise CommandNotAvailableError(
                f"{name} is not available in context {context} (contexts={contexts})"
            )
        if not (by_guild or by_user):
            why = "the user has not installed the app" if 1 in types else f"integration_types={types}"
            if 0 in types and context < 2:
                why += " and the app is not installed where the user is (no guild install here)"
            raise CommandNotAvailableError(
                f"{name} is not offered to {user.username} in context {context}: {why}"
            )

    async def invoke_slash(
        self,
        channel: Channel,
        user: User,
        command: str,
        options: Mapping[str, Any] | None = None,
        *,
        locale: str | None = None,
        enforce_permissions: bool = True,
    ) -> InteractionHandle:
        """Run ``/command [group] [sub]`` with typed options, as ``user`` in ``channel`` (DM or guild)."""
        name, *path = command.split()
        guild = self.world.guild_of(channel)
        cmd = self.find_command(name, guild=guild)
        if enforce_permissions:
            self._check_available(cmd, channel, user)
        data = slash_command_data(self.world, cmd, path, options or {}, invoker=user, channel=channel)
        if cmd.guild_id is not None:
            data["guild_id"] = str(cmd.guild_id)
        return await self._interact(
            APPLICATION_COMMAND,
            channel,
            user,
            data,
            label=command,
            locale=locale,
            command_type=1,
            integration_types=cmd.data.get("integration_types") or [0],
        )

    async def invoke_autocomplete(
        self,
        channel: Channel,
        user: User,
        command: str,
        options: Mapping[str, Any],
        *,
        focused: str,
    ) -> InteractionHandle:
        """Ask for autocomplete choices of option ``focused`` (its value is the user's partial text)."""
        name, *path = command.split()
        cmd = self.find_command(name, guild=self.world.guild_of(channel))
        data = slash_command_data(
            self.world, cmd, path, options, invoker=user, channel=channel, focused=focused
        )
        label = f"{command} (autocomplete {focused})"
        types = cmd.data.get("integration_types") or [0]
        return await self._interact(
            AUTOCOMPLETE, channel, user, data, label=label, command_type=1, integration_types=types
        )

    async def invoke_user_context_menu(
        self, channel: Channel, user: User, name: str, target: User, *, enforce_permissions: bool = True
    ) -> InteractionHandle:
        """Run a user context-menu command on ``target``."""
        return await self._invoke_context_menu(
            channel, user, name, 2, target.id, lambda resolver: resolver.user(target), enforce_permissions
        )

    async def invoke_message_context_menu(
        self, channel: Channel, user: User, name: str, message: Message, *, enforce_permissions: bool = True
    ) -> InteractionHandle:
        """Run a message context-menu command on ``message``."""
        return await self._invoke_context_menu(
            channel,
            user,
            name,
            3,
            message.id,
            lambda resolver: resolver.message(message),
            enforce_permissions,
        )

    async def _invoke_context_menu(
        self,
        channel: Channel,
        user: User,
        name: str,
        type: int,
        target_id: int,
        resolve: Callable[[Resolver], str],
        enforce_permissions: bool,
    ) -> InteractionHandle:
        """Run a user (type 2) or message (type 3) context-menu command on the target ``resolve`` adds."""
        cmd = self.find_command(name, type=type, guild=self.world.guild_of(channel))
        if enforce_permissions:
            self._check_available(cmd, channel, user)
        resolver = Resolver(self.world, channel)
        resolve(resolver)
        data: JSON = {
            "id": str(cmd.id),
            "name": cmd.name,
            "type": type,
            "target_id": str(target_id),
            "resolved": resolver.data,
        }
        if cmd.guild_id is not None:
            data["guild_id"] = str(cmd.guild_id)
        return await self._interact(
            APPLICATION_COMMAND,
            channel,
            user,
            data,
            label=name,
            command_type=cmd.type,
            integration_types=cmd.data.get("integration_types") or [0],
        )
