"""REST routes for application commands, global and per guild."""

from __future__ import annotations

from aiohttp import web

import bot.fake_discord.errors as errors
from bot.fake_discord.errors import ApiError, form_error
from bot.fake_discord.models import JSON, Command
from bot.fake_discord.rest.base import Routes
from bot.fake_discord.rest.command_schema import normalise_command
from bot.fake_discord.rest.http import Route, json_response, no_content, path_snowflake, read_body

MAX_CHAT_INPUT_COMMANDS = 100
# Discord documents 5 global USER and 5 global MESSAGE commands.
MAX_CONTEXT_MENU_COMMANDS = 5


class CommandRoutes(Routes):
    """GET/PUT/POST commands and GET/PATCH/DELETE one command, under an application (and a guild)."""

    def routes(self) -> list[Route]:
        """Return this group's routes."""
        app = "/applications/{application_id}"
        routes: list[Route] = []
        for scope in (app, app + "/guilds/{guild_id}"):
            routes += [
                ("GET", scope + "/commands", self.list_commands, True),
                ("PUT", scope + "/commands", self.bulk_commands, True),
                ("POST", scope + "/commands", self.upsert_command, True),
                ("GET", scope + "/commands/{command_id}", self.get_command, True),
                ("PATCH", scope + "/commands/{command_id}", self.edit_command, True),
                ("DELETE", scope + "/commands/{command_id}", self.delete_command, True),
            ]
        return routes

    def _command_scope(self, request: web.Request) -> int | None:
        """Check the application id and return the guild id (None for global commands)."""
        app_id = path_snowflake(request, "application_id", errors.not_found)
        if app_id != self.world.application.id:
            raise errors.missing_access()
        if "guild_id" not in request.match_info:
            return None
        guild_id = path_snowflake(request, "guild_id", errors.unknown_guild)
        if guild_id not in self.world.guilds:
            raise errors.unknown_guild()
        if self.world.bot_user.id not in self.world.guilds[guild_id].members:
            raise errors.missing_access()
        return guild_id

    async def list_commands(self, request: web.Request) -> web.Response:
        """GET commands."""
        scope = self._command_scope(request)
        return json_response([c.payload() for c in self.world.commands.get(scope, {}).values()])

    async def bulk_commands(self, request: web.Request) -> web.Response:
        """PUT commands: overwrite all, keeping ids of commands with the same name and type."""
        scope = self._command_scope(request)
        body, _ = await read_body(request)
        items = body.get("__list__")
        if not isinstance(items, list):
            raise form_error("_root", "BASE_TYPE_ARRAY", "Must be an array.")
        normalised = [normalise_command(item, f"{i}") for i, item in enumerate(items)]
        seen: set[tuple[str, int]] = set()
        for i, data in enumerate(normalised):
            key = (data["name"], data["type"])
            if key in seen:
                raise form_error(
                    f"{i}.name",
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    "Application command names must be unique",
                )
            seen.add(key)
        counts = {t: sum(1 for d in normalised if d["type"] == t) for t in (1, 2, 3)}
        if counts[1] > MAX_CHAT_INPUT_COMMANDS or max(counts[2], counts[3]) > MAX_CONTEXT_MENU_COMMANDS:
            raise ApiError(400, 30032, "Maximum number of application commands reached")
        old = {(c.name, c.type): c for c in self.world.commands.get(scope, {}).values()}
        new: dict[int, Command] = {}
        for item, data in zip(items, normalised, strict=True):
            existing = old.get((data["name"], data["type"]))
            new_command = self._store_command(scope, data, existing, item)
            new[new_command.id] = new_command
        self.world.commands[scope] = new
        self.server.command_syncs.append((scope, [dict(d) for d in normalised]))
        return json_response([c.payload() for c in new.values()])

    def _store_command(
        self, scope: int | None, data: JSON, existing: Command | None, submitted: JSON
    ) -> Command:
        """Create or update one command, counting creates."""
        if existing is not None:
            existing.submitted = dict(submitted)
            if existing.data != data:
                existing.data = data
                existing.version = self.world.ids.next()
            return existing
        self.world.command_creates[scope] = self.world.command_creates.get(scope, 0) + 1
        ids = self.world.ids
        return Command(ids.next(), self.world.application.id, scope, ids.next(), data, dict(submitted))

    async def upsert_command(self, request: web.Request) -> web.Response:
        """POST commands: create or overwrite one by name and type."""
        scope = self._command_scope(request)
        body, _ = await read_body(request)
        data = normalise_command(body, "")
        commands = self.world.commands.setdefault(scope, {})
        existing = next(
            (c for c in commands.values() if (c.name, c.type) == (data["name"], data["type"])), None
        )
        command = self._store_command(scope, data, existing, body)
        commands[command.id] = command
        return json_response(command.payload(), status=200 if existing else 201)

    def _command(self, request: web.Request) -> tuple[int | None, Command]:
        """Return (scope, command) for a command id route."""
        scope = self._command_scope(request)
        command_id = path_snowflake(request, "command_id", errors.unknown_command)
        command = self.world.commands.get(scope, {}).get(command_id)
        if command is None:
            raise errors.unknown_command()
        return scope, command

    async def get_command(self, request: web.Request) -> web.Response:
        """GET one command."""
        _, command = self._command(request)
        return json_response(command.payload())

    async def edit_command(self, request: web.Request) -> web.Response:
        """PATCH one command."""
        _, command = self._command(request)
        body, _ = await read_body(request)
        command.submitted = {**command.submitted, **body}
        data = normalise_command({**command.data, **body}, "")
        if data != command.data:
            command.data = data
            command.version = self.world.ids.next()
        return json_response(command.payload())

    async def delete_command(self, request: web.Request) -> web.Response:
        """DELETE one command."""
        scope, command = self._command(request)
        del self.world.commands[scope][command.id]
        return no_content()
