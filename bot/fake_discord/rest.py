"""The REST API under /api/v10: users, gateway, commands, interactions, webhooks, channels and guilds."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from bot.discord_limits import COMMAND_CHARACTER_LIMIT, INTEGER_BOUND, command_characters
from bot.fake_discord import errors
from bot.fake_discord.errors import ApiError, form_error
from bot.fake_discord.interactions import (
    ALLOWED_CALLBACKS,
    APPLICATION_COMMAND,
    MODAL_SUBMIT,
    RESPONSE_DEADLINE,
    TOKEN_LIFETIME,
    CallbackAttempt,
    InteractionRecord,
    WebhookCall,
    interaction_message_metadata,
)
from bot.fake_discord.messages import (
    MessageFields,
    UploadedFile,
    extract,
    require_body,
    validate_choices,
    validate_modal,
)
from bot.fake_discord.permissions import P
from bot.fake_discord.snowflake import iso_now, snowflake_time
from bot.fake_discord.world import (
    DM,
    FLAG_EPHEMERAL,
    FLAG_LOADING,
    GUILD_FORUM,
    GUILD_TEXT,
    JSON,
    MESSAGEABLE_TYPES,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    Channel,
    Command,
    Message,
)

if TYPE_CHECKING:
    from bot.fake_discord.server import FakeDiscord

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

API = "/api/v10"
_COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")
MESSAGE_TYPE_CHAT_INPUT = 20
MESSAGE_TYPE_CONTEXT_MENU = 23
MAX_CHAT_INPUT_COMMANDS = 100
# Discord documents 5 global USER and 5 global MESSAGE commands.
MAX_CONTEXT_MENU_COMMANDS = 5
# Discord remembers an enforce_nonce nonce for "a few minutes".
NONCE_WINDOW_SECONDS = 5 * 60


def json_response(data: Any, status: int = 200) -> web.Response:
    """Answer JSON with exactly ``Content-Type: application/json`` (discord.py compares it literally)."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def no_content() -> web.Response:
    """Answer 204 No Content."""
    return web.Response(status=204)


async def read_body(request: web.Request) -> tuple[JSON, list[UploadedFile]]:
    """Return the JSON payload and uploaded files of a JSON or multipart (payload_json + files[n]) body."""
    if request.content_type == "multipart/form-data":
        payload: JSON = {}
        files: list[UploadedFile] = []
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                raise ApiError(400, 50035, "Invalid Form Body")
            name = part.name or ""
            if name == "payload_json":
                payload = json.loads(await part.text())
            else:
                data = await part.read()
                content_type = part.headers.get("Content-Type")
                files.append(UploadedFile(name, part.filename or name, content_type, bytes(data)))
        return payload, files
    if not request.can_read_body:
        return {}, []
    raw = await request.read()
    if not raw:
        return {}, []
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiError(400, 50109, "The request body contains invalid JSON.") from None
    if not isinstance(body, dict | list):
        raise ApiError(400, 50109, "The request body contains invalid JSON.")
    return body if isinstance(body, dict) else {"__list__": body}, []


def _snowflake(request: web.Request, key: str, error: Callable[[], ApiError]) -> int:
    """Return a path snowflake or raise the given not-found error."""
    try:
        return int(request.match_info[key])
    except ValueError:
        raise error() from None


def _truthy(value: str | None) -> bool:
    """Return True for query flags like ``wait=1``/``true``."""
    return (value or "").lower() in ("1", "true")


class RestApi:
    """Route handlers; every one works on the server's world."""

    def __init__(self, server: FakeDiscord) -> None:
        self.server = server
        self.world = server.world

    # ----- routing --------------------------------------------------------------------------

    def routes(self) -> list[tuple[str, str, Handler, bool]]:
        """Return (method, path, handler, needs_bot_auth); more specific paths come first."""
        b = True
        ch = "/channels/{channel_id}"
        msg = ch + "/messages/{message_id}"
        wh = "/webhooks/{webhook_id}/{webhook_token}"
        app = "/applications/{application_id}"
        return [
            ("GET", "/gateway", self.get_gateway, False),
            ("GET", "/gateway/bot", self.get_gateway_bot, b),
            ("GET", "/users/@me", self.get_me, b),
            ("POST", "/users/@me/channels", self.open_dm, b),
            ("DELETE", "/users/@me/guilds/{guild_id}", self.leave_guild, b),
            ("GET", "/users/{user_id}", self.get_user, b),
            ("GET", "/oauth2/applications/@me", self.get_app, b),
            ("GET", "/applications/@me", self.get_app, b),
            ("PATCH", "/applications/@me", self.edit_app, b),
            ("GET", app + "/commands", self.list_commands, b),
            ("PUT", app + "/commands", self.bulk_commands, b),
            ("POST", app + "/commands", self.upsert_command, b),
            ("GET", app + "/commands/{command_id}", self.get_command, b),
            ("PATCH", app + "/commands/{command_id}", self.edit_command, b),
            ("DELETE", app + "/commands/{command_id}", self.delete_command, b),
            ("GET", app + "/guilds/{guild_id}/commands", self.list_commands, b),
            ("PUT", app + "/guilds/{guild_id}/commands", self.bulk_commands, b),
            ("POST", app + "/guilds/{guild_id}/commands", self.upsert_command, b),
            ("GET", app + "/guilds/{guild_id}/commands/{command_id}", self.get_command, b),
            ("PATCH", app + "/guilds/{guild_id}/commands/{command_id}", self.edit_command, b),
            ("DELETE", app + "/guilds/{guild_id}/commands/{command_id}", self.delete_command, b),
            ("POST", "/interactions/{interaction_id}/{interaction_token}/callback", self.callback, False),
            ("POST", wh, self.followup, False),
            ("GET", wh + "/messages/{message_id}", self.get_webhook_message, False),
            ("PATCH", wh + "/messages/{message_id}", self.edit_webhook_message, False),
            ("DELETE", wh + "/messages/{message_id}", self.delete_webhook_message, False),
            ("GET", ch, self.get_channel, b),
            ("PATCH", ch, self.edit_channel, b),
            ("GET", ch + "/messages/pins", self.list_pins, b),
            ("PUT", ch + "/messages/pins/{message_id}", self.pin, b),
            ("DELETE", ch + "/messages/pins/{message_id}", self.unpin, b),
            ("GET", ch + "/messages", self.list_messages, b),
            ("POST", ch + "/messages", self.create_message, b),
            ("GET", msg, self.get_message, b),
            ("PATCH", msg, self.edit_message, b),
            ("DELETE", msg, self.delete_message, b),
            ("POST", ch + "/typing", self.typing, b),
            ("POST", msg + "/threads", self.thread_from_message, b),
            ("POST", ch + "/threads", self.thread_without_message, b),
            ("PUT", ch + "/thread-members/{user_id}", self.join_thread, b),
            ("DELETE", ch + "/thread-members/{user_id}", self.leave_thread, b),
            ("DELETE", msg + "/reactions", self.clear_reactions, b),
            ("GET", msg + "/reactions/{emoji}", self.reaction_users, b),
            ("DELETE", msg + "/reactions/{emoji}", self.clear_emoji, b),
            ("PUT", msg + "/reactions/{emoji}/{user_id}", self.add_reaction, b),
            ("DELETE", msg + "/reactions/{emoji}/{user_id}", self.remove_reaction, b),
            ("GET", "/guilds/{guild_id}", self.get_guild, b),
            ("GET", "/guilds/{guild_id}/channels", self.guild_channels, b),
            ("GET", "/guilds/{guild_id}/roles", self.guild_roles, b),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self.get_member, b),
        ]

    # ----- users, gateway, application ------------------------------------------------------

    async def get_gateway(self, request: web.Request) -> web.Response:
        """GET /gateway."""
        return json_response({"url": self.server.gateway_url})

    async def get_gateway_bot(self, request: web.Request) -> web.Response:
        """GET /gateway/bot."""
        limit = self.server.gateway.session_start_limit()
        shards = self.server.gateway.recommended_shards
        return json_response({"url": self.server.gateway_url, "shards": shards, "session_start_limit": limit})

    async def get_me(self, request: web.Request) -> web.Response:
        """GET /users/@me."""
        return json_response({**self.world.bot_user.payload(), "verified": True, "mfa_enabled": False})

    async def get_user(self, request: web.Request) -> web.Response:
        """GET /users/{id}."""
        user = self.world.users.get(_snowflake(request, "user_id", errors.unknown_user))
        if user is None:
            raise errors.unknown_user()
        return json_response(user.payload())

    async def get_app(self, request: web.Request) -> web.Response:
        """GET /oauth2/applications/@me and /applications/@me."""
        return json_response(self.world.app_info_payload())

    async def edit_app(self, request: web.Request) -> web.Response:
        """PATCH /applications/@me (accepted and recorded)."""
        body, _ = await read_body(request)
        self.server.app_edits.append(body)
        return json_response(self.world.app_info_payload())

    async def open_dm(self, request: web.Request) -> web.Response:
        """POST /users/@me/channels: open (or return) the DM channel with a user."""
        body, _ = await read_body(request)
        try:
            user = self.world.users.get(int(body.get("recipient_id", 0)))
        except (TypeError, ValueError):
            user = None
        if user is None or user.id == self.world.bot_user.id:
            raise ApiError(400, 50033, "Invalid Recipient(s)")
        self.server.dm_opens.append(user.id)
        return json_response(self.world.channel_payload(self.world.dm_channel(user)))

    async def leave_guild(self, request: web.Request) -> web.Response:
        """DELETE /users/@me/guilds/{id}: the bot leaves a guild."""
        guild = self.world.guilds.get(_snowflake(request, "guild_id", errors.unknown_guild))
        if guild is None or self.world.bot_user.id not in guild.members:
            raise errors.unknown_guild()
        del guild.members[self.world.bot_user.id]
        await self.server.gateway.dispatch("GUILD_DELETE", {"id": str(guild.id)})
        return no_content()

    # ----- application commands -------------------------------------------------------------

    def _command_scope(self, request: web.Request) -> int | None:
        """Check the application id and return the guild id (None for global commands)."""
        app_id = _snowflake(request, "application_id", errors.not_found)
        if app_id != self.world.application.id:
            raise ApiError(403, 50001, "Missing Access")
        if "guild_id" not in request.match_info:
            return None
        guild_id = _snowflake(request, "guild_id", errors.unknown_guild)
        if guild_id not in self.world.guilds:
            raise errors.unknown_guild()
        if self.world.bot_user.id not in self.world.guilds[guild_id].members:
            raise ApiError(403, 50001, "Missing Access")
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
        command_id = _snowflake(request, "command_id", _unknown_command)
        command = self.world.commands.get(scope, {}).get(command_id)
        if command is None:
            raise _unknown_command()
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

    # ----- interactions ---------------------------------------------------------------------

    async def callback(self, request: web.Request) -> web.Response:
        """POST /interactions/{id}/{token}/callback: the initial response (exactly one, within 3 s)."""
        interaction_id = _snowflake(request, "interaction_id", errors.unknown_interaction)
        record = self.server.interactions.get(interaction_id)
        if record is None or record.token != request.match_info["interaction_token"]:
            raise errors.unknown_interaction()
        body, files = await read_body(request)
        ctype = body.get("type")
        data = body.get("data") or {}
        attempt = CallbackAttempt(ctype if isinstance(ctype, int) else -1, data, files, record.elapsed(), 0)
        try:
            if record.initial is not None:
                raise errors.already_acknowledged()
            if attempt.elapsed > RESPONSE_DEADLINE:
                self.server.late_callbacks.append(
                    f"{record.describe()} answered after {attempt.elapsed:.2f} s"
                )
                raise errors.unknown_interaction()
            allowed = set(ALLOWED_CALLBACKS.get(record.type, set()))
            if record.type == MODAL_SUBMIT and record.source_message_id is None:
                allowed -= {6, 7}
            if ctype not in allowed:
                raise form_error(
                    "type", "INTERACTION_RESPONSE_TYPE_INVALID", f"Callback type {ctype} is invalid here."
                )
            result = self._apply_callback(record, int(ctype), data, files)
        except ApiError as exc:
            attempt.status, attempt.error_code = exc.status, exc.code
            record.attempts.append(attempt)
            record.notify()
            raise
        with_response = _truthy(request.query.get("with_response"))
        attempt.status = 200 if with_response else 204
        record.initial = attempt
        record.attempts.append(attempt)
        record.notify()
        await self._dispatch_message_event(record, "MESSAGE_CREATE", ctype in (4, 5))
        await self._dispatch_message_event(record, "MESSAGE_UPDATE", ctype == 7)
        return json_response(result) if with_response else no_content()

    async def _dispatch_message_event(self, record: InteractionRecord, event: str, applies: bool) -> None:
        """Send MESSAGE_CREATE/UPDATE for the original response when it is public."""
        if not applies or record.original_message_id is None:
            return
        message = self.world.messages[record.original_message_id]
        if not message.ephemeral:
            await self.server.gateway.dispatch(event, self.world.message_payload(message, for_gateway=True))

    def _apply_callback(
        self, record: InteractionRecord, ctype: int, data: JSON, files: list[UploadedFile]
    ) -> JSON:
        """Carry out an accepted callback and return the with_response body."""
        info: JSON = {"id": str(record.id), "type": record.type}
        result: JSON = {"interaction": info}
        if ctype in (4, 5):
            if ctype == 4:
                fields = extract(
                    self.world,
                    data,
                    files,
                    channel_id=record.channel_id,
                    prefix="data.",
                    allow_ephemeral=True,
                )
                require_body(fields)
            else:
                fields = MessageFields(content="", flags=(int(data.get("flags") or 0) & FLAG_EPHEMERAL))
            message = self._interaction_message(record, fields, loading=ctype == 5)
            record.original_message_id = message.id
            record.loading = ctype == 5
            info.update(
                response_message_id=str(message.id),
                response_message_loading=ctype == 5,
                response_message_ephemeral=message.ephemeral,
            )
            result["resource"] = {"type": ctype, "message": self.world.message_payload(message)}
        elif ctype in (6, 7):
            source = self._source_message(record)
            record.original_message_id = source.id
            info.update(response_message_id=str(source.id), response_message_ephemeral=source.ephemeral)
            if ctype == 7:
                fields = extract(
                    self.world,
                    data,
                    files,
                    channel_id=source.channel_id,
                    prefix="data.",
                    existing=source.attachments,
                )
                self._apply_edit(source, fields)
                result["resource"] = {"type": 7, "message": self.world.message_payload(source)}
        elif ctype == 8:
            validate_choices(data)
        elif ctype == 9:
            validate_modal(data)
        return result

    def _source_message(self, record: InteractionRecord) -> Message:
        """Return the message a component (or modal-from-component) interaction came from."""
        if record.source_message_id is None or record.source_message_id not in self.world.messages:
            raise errors.unknown_message()
        return self.world.messages[record.source_message_id]

    def _interaction_message(
        self, record: InteractionRecord, fields: MessageFields, *, loading: bool
    ) -> Message:
        """Create a message authored by the app in the interaction's channel."""
        world = self.world
        flags = fields.flags or 0
        if loading:
            flags |= FLAG_LOADING
        if record.type == APPLICATION_COMMAND:
            mtype = MESSAGE_TYPE_CHAT_INPUT if record.command_type == 1 else MESSAGE_TYPE_CONTEXT_MENU
        else:
            mtype = 0
        message = Message(
            id=world.ids.next(),
            channel_id=record.channel_id,
            guild_id=record.guild_id,
            author_id=world.bot_user.id,
            flags=flags,
            type=mtype,
            webhook_id=world.application.id,
            application_id=world.application.id,
            interaction_id=record.id,
            visible_to=record.user_id if flags & FLAG_EPHEMERAL else None,
        )
        self._fill(message, fields)
        message.interaction_metadata, message.interaction = interaction_message_metadata(world, record)
        world.add_message(message)
        return message

    def _fill(self, message: Message, fields: MessageFields) -> None:
        """Set content, embeds, components, attachments and pings on a new message."""
        message.content = fields.content or ""
        message.embeds = fields.embeds or []
        message.components = fields.components or []
        message.attachments = fields.attachments or []
        message.allowed_mentions = fields.allowed_mentions if fields.allowed_mentions_given else None
        message.nonce = fields.nonce
        message.tts = fields.tts
        message.message_reference = fields.message_reference
        self._pings(message)

    def _pings(self, message: Message) -> None:
        """Compute who the message pings under its allowed_mentions."""
        channel = self.world.channels.get(message.channel_id)
        guild = self.world.guild_of(channel) if channel else None
        perms = self.world.bot_permissions_in(channel) if channel and guild else 0
        users, roles, everyone = self.world.resolve_mentions(
            message.content, message.allowed_mentions, guild, perms
        )
        message.mentions, message.mention_roles, message.mention_everyone = users, roles, everyone

    def _apply_edit(self, message: Message, fields: MessageFields) -> None:
        """Apply an edit: only given fields change; flags keep ephemeral and drop loading."""
        if fields.content is not None:
            message.content = fields.content
        if fields.embeds is not None:
            message.embeds = fields.embeds
        if fields.components is not None:
            message.components = fields.components
        if fields.attachments is not None:
            message.attachments = fields.attachments
        if fields.allowed_mentions_given:
            message.allowed_mentions = fields.allowed_mentions
        if fields.flags is not None:
            message.flags = (message.flags & FLAG_EPHEMERAL) | (fields.flags & ~FLAG_EPHEMERAL)
        message.flags &= ~FLAG_LOADING
        message.edited_timestamp = iso_now()
        message.edits += 1
        self._pings(message)

    def _webhook_record(self, request: web.Request) -> InteractionRecord:
        """Return the interaction behind a /webhooks/{app_id}/{token} route, with Discord's errors."""
        record = self.server.interactions_by_token.get(request.match_info["webhook_token"])
        webhook_id = request.match_info["webhook_id"]
        if record is None or webhook_id != str(self.world.application.id):
            raise errors.unknown_webhook()
        if record.elapsed() > TOKEN_LIFETIME:
            raise errors.invalid_webhook_token()
        if record.initial is None or record.initial.type in (8, 9):
            raise errors.unknown_webhook()
        return record

    def _webhook_target(self, request: web.Request, record: InteractionRecord) -> Message:
        """Return @original or a followup of this interaction."""
        raw = request.match_info["message_id"]
        if raw == "@original":
            message_id = record.original_message_id
        else:
            message_id = _snowflake(request, "message_id", errors.unknown_message)
            if message_id not in (record.original_message_id, *record.followup_message_ids):
                message_id = None
        message = self.world.messages.get(message_id) if message_id is not None else None
        if message is None or message.deleted:
            raise errors.unknown_message()
        return message

    async def followup(self, request: web.Request) -> web.Response:
        """POST /webhooks/{app_id}/{token}: a followup (the first after a defer fills the loading message)."""
        record = self._webhook_record(request)
        body, files = await read_body(request)
        fields = extract(self.world, body, files, channel_id=record.channel_id, allow_ephemeral=True)
        require_body(fields)
        original = self.world.messages.get(record.original_message_id or 0)
        if record.loading and original is not None and not original.deleted:
            fields.flags = (fields.flags or 0) & ~FLAG_EPHEMERAL
            self._apply_edit(original, fields)
            original.edited_timestamp = None
            record.loading = False
            message = original
            event = "MESSAGE_UPDATE"
        else:
            message = self._interaction_message(record, fields, loading=False)
            message.type = 0 if record.type != APPLICATION_COMMAND else message.type
            event = "MESSAGE_CREATE"
        record.followup_message_ids.append(message.id)
        record.calls.append(WebhookCall("followup", message.id, body, files, record.elapsed()))
        record.notify()
        if not message.ephemeral:
            await self.server.gateway.dispatch(event, self.world.message_payload(message, for_gateway=True))
        if _truthy(request.query.get("wait")):
            return json_response(self.world.message_payload(message))
        return no_content()

    async def get_webhook_message(self, request: web.Request) -> web.Response:
        """GET @original or a followup."""
        record = self._webhook_record(request)
        return json_response(self.world.message_payload(self._webhook_target(request, record)))

    async def edit_webhook_message(self, request: web.Request) -> web.Response:
        """PATCH @original or a followup."""
        record = self._webhook_record(request)
        message = self._webhook_target(request, record)
        body, files = await read_body(request)
        fields = extract(
            self.world,
            body,
            files,
            channel_id=message.channel_id,
            existing=message.attachments,
        )
        self._apply_edit(message, fields)
        if message.id == record.original_message_id:
            record.loading = False
        record.calls.append(WebhookCall("edit", message.id, body, files, record.elapsed()))
        record.notify()
        if not message.ephemeral:
            await self.server.gateway.dispatch(
                "MESSAGE_UPDATE", self.world.message_payload(message, for_gateway=True)
            )
        return json_response(self.world.message_payload(message))

    async def delete_webhook_message(self, request: web.Request) -> web.Response:
        """DELETE @original or a followup."""
        record = self._webhook_record(request)
        message = self._webhook_target(request, record)
        message.deleted = True
        record.calls.append(WebhookCall("delete", message.id, {}, [], record.elapsed()))
        record.notify()
        await self._dispatch_delete(message)
        return no_content()

    async def _dispatch_delete(self, message: Message) -> None:
        """Send MESSAGE_DELETE for a public message."""
        if message.ephemeral:
            return
        data: JSON = {"id": str(message.id), "channel_id": str(message.channel_id)}
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
        await self.server.gateway.dispatch("MESSAGE_DELETE", data)

    # ----- channels and messages ------------------------------------------------------------

    def _channel(self, request: web.Request, *, need: int = P.VIEW_CHANNEL) -> Channel:
        """Return the channel of the route, checking the bot can see it and has ``need``."""
        channel = self.world.live_channel(_snowflake(request, "channel_id", errors.unknown_channel))
        if channel is None:
            raise errors.unknown_channel()
        if channel.guild_id is not None:
            guild = self.world.guilds[channel.guild_id]
            if self.world.bot_user.id not in guild.members:
                raise errors.missing_access()
            perms = self.world.bot_permissions_in(channel)
            if not perms & P.VIEW_CHANNEL:
                raise errors.missing_access()
            hidden = channel.type == PRIVATE_THREAD and self.world.bot_user.id not in channel.thread_members
            if hidden and not perms & P.MANAGE_THREADS:
                raise errors.missing_access()
            if perms & need != need:
                raise errors.missing_permissions()
        return channel

    def _message(self, request: web.Request, channel: Channel) -> Message:
        """Return a message of the channel (ephemeral ones are not reachable here)."""
        message_id = _snowflake(request, "message_id", errors.unknown_message)
        message = self.world.messages.get(message_id)
        if message is None or message.deleted or message.channel_id != channel.id or message.ephemeral:
            raise errors.unknown_message()
        return message

    async def get_channel(self, request: web.Request) -> web.Response:
        """GET /channels/{id}."""
        return json_response(self.world.channel_payload(self._channel(request)))

    async def edit_channel(self, request: web.Request) -> web.Response:
        """PATCH /channels/{id}: name/topic, or archive/lock a thread."""
        channel = self._channel(request)
        body, _ = await read_body(request)
        perms = self.world.bot_permissions_in(channel) if channel.guild_id else 0
        if channel.is_thread:
            if channel.owner_id != self.world.bot_user.id and not perms & P.MANAGE_THREADS:
                raise errors.missing_permissions()
            channel.archived = bool(body.get("archived", channel.archived))
            channel.locked = bool(body.get("locked", channel.locked))
            event = "THREAD_UPDATE"
        else:
            if not perms & P.MANAGE_CHANNELS:
                raise errors.missing_permissions()
            channel.topic = body.get("topic", channel.topic)
            event = "CHANNEL_UPDATE"
        channel.name = body.get("name", channel.name)
        await self.server.gateway.dispatch(event, self.world.channel_payload(channel))
        return json_response(self.world.channel_payload(channel))

    async def list_messages(self, request: web.Request) -> web.Response:
        """GET /channels/{id}/messages: newest first, with before/after/limit."""
        channel = self._channel(request, need=P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY)
        messages = [m for m in self.world.messages_in(channel.id) if not m.ephemeral]
        limit = min(int(request.query.get("limit", 50)), 100)
        if "before" in request.query:
            messages = [m for m in messages if m.id < int(request.query["before"])]
        if "after" in request.query:
            messages = [m for m in messages if m.id > int(request.query["after"])][:limit]
        result = list(reversed(messages))[:limit]
        return json_response([self.world.message_payload(m) for m in result])

    async def create_message(self, request: web.Request) -> web.Response:
        """POST /channels/{id}/messages with DM, permission and content checks."""
        channel = self.world.live_channel(_snowflake(request, "channel_id", errors.unknown_channel))
        if channel is None:
            raise errors.unknown_channel()
        body, files = await read_body(request)
        if channel.type == DM:
            recipient = self.world.users[channel.recipients[0]]
            if not recipient.dms_open:
                raise errors.cannot_dm()
            if not self.world.mutual_guild(recipient.id):
                raise errors.no_mutual_guilds()
            perms = 0
        else:
            send = P.SEND_MESSAGES_IN_THREADS if channel.is_thread else P.SEND_MESSAGES
            channel = self._channel(request, need=P.VIEW_CHANNEL | send)
            perms = self.world.bot_permissions_in(channel)
            if channel.type not in MESSAGEABLE_TYPES:
                raise ApiError(400, 50008, "Cannot send messages in a non-text channel")
            if channel.is_thread and channel.locked and not perms & P.MANAGE_THREADS:
                raise ApiError(400, 50083, "Thread is archived")
            if files and not perms & P.ATTACH_FILES:
                raise errors.missing_permissions()
        if channel.type not in MESSAGEABLE_TYPES:
            raise ApiError(400, 50008, "Cannot send messages in a non-text channel")
        fields = extract(self.world, body, files, channel_id=channel.id)
        require_body(fields)
        if fields.enforce_nonce and fields.nonce is not None:
            earlier = self._nonce_duplicate(fields.nonce)
            if earlier is not None:
                self.server.nonce_duplicates.append(earlier.id)
                return json_response(self.world.message_payload(earlier))
        if fields.message_reference is not None:
            self._check_reference(channel, fields.message_reference, perms)
        message = Message(
            id=self.world.ids.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author_id=self.world.bot_user.id,
            flags=fields.flags or 0,
            type=19 if fields.message_reference else 0,
        )
        self._fill(message, fields)
        if channel.guild_id is not None and message.embeds and not perms & P.EMBED_LINKS:
            message.dropped_embeds, message.embeds = message.embeds, []
        if channel.is_thread and channel.archived:
            channel.archived = False
        self.world.add_message(message)
        await self.server.gateway.dispatch(
            "MESSAGE_CREATE", self.world.message_payload(message, for_gateway=True)
        )
        return json_response(self.world.message_payload(message))

    def _nonce_duplicate(self, nonce: str | int) -> Message | None:
        """Return the bot's message with this nonce from the last few minutes (enforce_nonce)."""
        horizon = time.time() - NONCE_WINDOW_SECONDS
        # Newest first, like Discord; only messages stored with this nonce can match.
        for message_id in reversed(self.world.message_ids_by_nonce.get(nonce, [])):
            message = self.world.messages[message_id]
            if snowflake_time(message.id).timestamp() < horizon:
                break
            if message.nonce == nonce and message.author_id == self.world.bot_user.id and not message.deleted:
                return message
        return None

    def _check_reference(self, channel: Channel, reference: JSON, perms: int) -> None:
        """Replies need Read Message History and (unless told otherwise) an existing message."""
        if channel.guild_id is not None and not perms & P.READ_MESSAGE_HISTORY:
            raise errors.missing_permissions()
        target = self.world.messages.get(int(reference.get("message_id", 0)))
        if (target is None or target.deleted) and reference.get("fail_if_not_exists", True):
            raise form_error("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")

    async def get_message(self, request: web.Request) -> web.Response:
        """GET one message."""
        channel = self._channel(request, need=P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY)
        return json_response(self.world.message_payload(self._message(request, channel)))

    async def edit_message(self, request: web.Request) -> web.Response:
        """PATCH one message (only the bot's own)."""
        channel = self._channel(request)
        message = self._message(request, channel)
        if message.author_id != self.world.bot_user.id:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        body, files = await read_body(request)
        fields = extract(self.world, body, files, channel_id=channel.id, existing=message.attachments)
        self._apply_edit(message, fields)
        await self.server.gateway.dispatch(
            "MESSAGE_UPDATE", self.world.message_payload(message, for_gateway=True)
        )
        return json_response(self.world.message_payload(message))

    async def delete_message(self, request: web.Request) -> web.Response:
        """DELETE one message (own, or anyone's with Manage Messages in a guild)."""
        channel = self._channel(request)
        message = self._message(request, channel)
        moderator = (
            channel.guild_id is not None and self.world.bot_permissions_in(channel) & P.MANAGE_MESSAGES
        )
        if message.author_id != self.world.bot_user.id and not moderator:
            raise errors.missing_permissions()
        message.deleted = True
        await self._dispatch_delete(message)
        return no_content()

    async def typing(self, request: web.Request) -> web.Response:
        """POST /channels/{id}/typing."""
        self._channel(request)
        return no_content()

    async def list_pins(self, request: web.Request) -> web.Response:
        """GET pinned messages."""
        channel = self._channel(request, need=P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY)
        pinned = [m for m in self.world.messages_in(channel.id) if m.pinned]
        items = [
            {"pinned_at": m.timestamp, "message": self.world.message_payload(m)} for m in reversed(pinned)
        ]
        return json_response({"items": items, "has_more": False})

    async def pin(self, request: web.Request) -> web.Response:
        """PUT a pin."""
        return await self._set_pin(request, pinned=True)

    async def unpin(self, request: web.Request) -> web.Response:
        """DELETE a pin."""
        return await self._set_pin(request, pinned=False)

    async def _set_pin(self, request: web.Request, *, pinned: bool) -> web.Response:
        """Pin or unpin (Manage Messages or Pin Messages in guilds)."""
        channel = self._channel(request)
        if channel.guild_id is not None and not self.world.bot_permissions_in(channel) & (
            P.MANAGE_MESSAGES | P.PIN_MESSAGES
        ):
            raise errors.missing_permissions()
        self._message(request, channel).pinned = pinned
        return no_content()

    # ----- threads --------------------------------------------------------------------------

    async def thread_from_message(self, request: web.Request) -> web.Response:
        """POST /channels/{id}/messages/{id}/threads: a public thread whose id is the message id."""
        channel = self._channel(request, need=P.VIEW_CHANNEL | P.CREATE_PUBLIC_THREADS)
        message = self._message(request, channel)
        if channel.is_thread or channel.type == DM:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        if message.thread_id is not None:
            raise ApiError(400, 160004, "A thread has already been created for this message")
        body, _ = await read_body(request)
        name = _thread_name(body)
        thread = self.world.add_thread(
            channel,
            name,
            type=PUBLIC_THREAD if channel.type == GUILD_TEXT else 10,
            owner_id=self.world.bot_user.id,
            thread_id=message.id,
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
        )
        message.thread_id = thread.id
        return await self._thread_created(thread)

    async def thread_without_message(self, request: web.Request) -> web.Response:
        """POST /channels/{id}/threads: a public/private thread, or a forum post with its first message."""
        channel = self._channel(request)
        body, files = await read_body(request)
        perms = self.world.bot_permissions_in(channel)
        name = _thread_name(body)
        if channel.type == GUILD_FORUM:
            if not perms & P.SEND_MESSAGES:
                raise errors.missing_permissions()
            fields = extract(
                self.world, body.get("message") or {}, files, channel_id=channel.id, prefix="message."
            )
            require_body(fields)
            thread = self.world.add_thread(channel, name, type=PUBLIC_THREAD, owner_id=self.world.bot_user.id)
            starter = Message(
                id=thread.id, channel_id=thread.id, guild_id=thread.guild_id, author_id=self.world.bot_user.id
            )
            self._fill(starter, fields)
            self.world.add_message(starter)
            return await self._thread_created(thread)
        kind = int(body.get("type") or PRIVATE_THREAD)
        need = P.CREATE_PRIVATE_THREADS if kind == PRIVATE_THREAD else P.CREATE_PUBLIC_THREADS
        if not perms & need:
            raise errors.missing_permissions()
        if channel.is_thread or channel.type == DM:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        thread = self.world.add_thread(
            channel,
            name,
            type=kind,
            owner_id=self.world.bot_user.id,
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
            invitable=bool(body.get("invitable", True)),
        )
        return await self._thread_created(thread)

    async def _thread_created(self, thread: Channel) -> web.Response:
        """Dispatch THREAD_CREATE and answer with the thread."""
        data = self.world.channel_payload(thread)
        await self.server.gateway.dispatch("THREAD_CREATE", {**data, "newly_created": True})
        return json_response(data, status=201)

    async def join_thread(self, request: web.Request) -> web.Response:
        """PUT thread-members/@me or /{user_id}."""
        thread = self._channel(request)
        if not thread.is_thread:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        raw = request.match_info["user_id"]
        user_id = (
            self.world.bot_user.id if raw == "@me" else _snowflake(request, "user_id", errors.unknown_user)
        )
        guild = self.world.guilds[thread.guild_id or 0]
        if user_id not in guild.members:
            raise errors.unknown_member()
        if thread.archived:
            raise ApiError(400, 50083, "Thread is archived")
        thread.thread_members.add(user_id)
        return no_content()

    async def leave_thread(self, request: web.Request) -> web.Response:
        """DELETE thread-members/@me or /{user_id}."""
        thread = self._channel(request)
        raw = request.match_info["user_id"]
        user_id = (
            self.world.bot_user.id if raw == "@me" else _snowflake(request, "user_id", errors.unknown_user)
        )
        thread.thread_members.discard(user_id)
        return no_content()

    # ----- reactions ------------------------------------------------------------------------

    def _emoji(self, request: web.Request) -> tuple[str, JSON]:
        """Parse the emoji path segment: a unicode emoji or name:id (a:name:id for animated)."""
        raw = request.match_info["emoji"]
        parts = raw.split(":")
        if len(parts) == 1:
            if not raw or raw.isascii():
                raise ApiError(400, 10014, "Unknown Emoji")
            return raw, {"id": None, "name": raw}
        name, emoji_id = parts[-2], parts[-1]
        if not emoji_id.isdigit():
            raise ApiError(400, 10014, "Unknown Emoji")
        return f"{name}:{emoji_id}", {"id": emoji_id, "name": name, "animated": parts[0] == "a"}

    async def add_reaction(self, request: web.Request) -> web.Response:
        """PUT reactions/{emoji}/@me."""
        channel = self._channel(request, need=P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY)
        message = self._message(request, channel)
        if request.match_info["user_id"] != "@me":
            raise errors.not_found()
        key, emoji = self._emoji(request)
        users = message.reactions.get(key)
        if (
            not users
            and channel.guild_id is not None
            and not self.world.bot_permissions_in(channel) & P.ADD_REACTIONS
        ):
            raise errors.missing_permissions()
        message.reaction_emojis[key] = emoji
        users = message.reactions.setdefault(key, [])
        if self.world.bot_user.id not in users:
            users.append(self.world.bot_user.id)
            await self._reaction_event("MESSAGE_REACTION_ADD", message, self.world.bot_user.id, emoji)
        return no_content()

    async def remove_reaction(self, request: web.Request) -> web.Response:
        """DELETE reactions/{emoji}/@me or /{user_id} (the latter needs Manage Messages)."""
        channel = self._channel(request, need=P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY)
        message = self._message(request, channel)
        key, emoji = self._emoji(request)
        raw = request.match_info["user_id"]
        user_id = (
            self.world.bot_user.id if raw == "@me" else _snowflake(request, "user_id", errors.unknown_user)
        )
        if (
            user_id != self.world.bot_user.id
            and not self.world.bot_permissions_in(channel) & P.MANAGE_MESSAGES
        ):
            raise errors.missing_permissions()
        users = message.reactions.get(key, [])
        if user_id in users:
            users.remove(user_id)
            await self._reaction_event("MESSAGE_REACTION_REMOVE", message, user_id, emoji)
        return no_content()

    async def reaction_users(self, request: web.Request) -> web.Response:
        """GET reactions/{emoji}: who reacted."""
        channel = self._channel(request, need=P.VIEW_CHANNEL | P.READ_MESSAGE_HISTORY)
        message = self._message(request, channel)
        key, _ = self._emoji(request)
        users = message.reactions.get(key, [])
        return json_response([self.world.users[u].payload() for u in users])

    async def clear_reactions(self, request: web.Request) -> web.Response:
        """DELETE all reactions (Manage Messages)."""
        channel = self._channel(request, need=P.VIEW_CHANNEL | P.MANAGE_MESSAGES)
        self._message(request, channel).reactions.clear()
        return no_content()

    async def clear_emoji(self, request: web.Request) -> web.Response:
        """DELETE all reactions of one emoji (Manage Messages)."""
        channel = self._channel(request, need=P.VIEW_CHANNEL | P.MANAGE_MESSAGES)
        message = self._message(request, channel)
        key, _ = self._emoji(request)
        message.reactions.pop(key, None)
        return no_content()

    async def _reaction_event(self, event: str, message: Message, user_id: int, emoji: JSON) -> None:
        """Dispatch a reaction event."""
        data: JSON = {
            "user_id": str(user_id),
            "channel_id": str(message.channel_id),
            "message_id": str(message.id),
            "emoji": emoji,
            "burst": False,
            "type": 0,
        }
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
        await self.server.gateway.dispatch(event, data)

    # ----- guilds ---------------------------------------------------------------------------

    def _guild(self, request: web.Request) -> Any:
        """Return the route's guild if the bot is in it."""
        guild = self.world.guilds.get(_snowflake(request, "guild_id", errors.unknown_guild))
        if guild is None:
            raise errors.unknown_guild()
        if self.world.bot_user.id not in guild.members:
            raise errors.missing_access()
        return guild

    async def get_guild(self, request: web.Request) -> web.Response:
        """GET /guilds/{id}."""
        guild = self._guild(request)
        data = self.world.guild_payload(guild)
        if _truthy(request.query.get("with_counts")):
            data.update(approximate_member_count=len(guild.members), approximate_presence_count=0)
        return json_response(data)

    async def guild_channels(self, request: web.Request) -> web.Response:
        """GET /guilds/{id}/channels."""
        guild = self._guild(request)
        channels = [self.world.channels[c] for c in guild.channel_ids if not self.world.channels[c].deleted]
        return json_response([self.world.channel_payload(c) for c in channels])

    async def guild_roles(self, request: web.Request) -> web.Response:
        """GET /guilds/{id}/roles."""
        return json_response(self.world.role_payloads(self._guild(request)))

    async def get_member(self, request: web.Request) -> web.Response:
        """GET /guilds/{id}/members/{user_id}."""
        guild = self._guild(request)
        member = guild.members.get(_snowflake(request, "user_id", errors.unknown_member))
        if member is None:
            raise errors.unknown_member()
        return json_response(self.world.member_payload(member))


def _unknown_command() -> ApiError:
    """404 10063."""
    return ApiError(404, 10063, "Unknown application command")


def _thread_name(body: JSON) -> str:
    """Return a valid thread name or raise 50035."""
    name = str(body.get("name") or "")
    if not 1 <= len(name) <= 100:
        raise form_error("name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    return name


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
