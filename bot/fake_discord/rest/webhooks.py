"""REST routes for the interaction webhook: followups, and reading, editing or deleting its messages."""

from __future__ import annotations

from aiohttp import web

import bot.fake_discord.errors as errors
from bot.fake_discord.interactions import APPLICATION_COMMAND, TOKEN_LIFETIME, InteractionRecord, WebhookCall
from bot.fake_discord.messages import extract, require_body
from bot.fake_discord.models import FLAG_EPHEMERAL, Message
from bot.fake_discord.rest.authoring import apply_edit, interaction_message
from bot.fake_discord.rest.base import Routes
from bot.fake_discord.rest.http import Route, json_response, no_content, path_snowflake, read_body, truthy

# Interactions authorized only by a user install may post this many follow-up messages.
USER_INSTALL_FOLLOWUP_CAP = 5


class WebhookRoutes(Routes):
    """POST /webhooks/{app_id}/{token}; GET/PATCH/DELETE its @original and followup messages."""

    def routes(self) -> list[Route]:
        """Return this group's routes (no bot token: the interaction token authorises)."""
        webhook = "/webhooks/{webhook_id}/{webhook_token}"
        return [
            ("POST", webhook, self.followup, False),
            ("GET", webhook + "/messages/{message_id}", self.get_webhook_message, False),
            ("PATCH", webhook + "/messages/{message_id}", self.edit_webhook_message, False),
            ("DELETE", webhook + "/messages/{message_id}", self.delete_webhook_message, False),
        ]

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
            message_id = path_snowflake(request, "message_id", errors.unknown_message)
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
            apply_edit(self.world, original, fields)
            original.edited_timestamp = None
            record.loading = False
            message = original
            event = "MESSAGE_UPDATE"
        else:
            owners = record.payload.get("authorizing_integration_owners") or {}
            made = [m for m in record.followup_message_ids if m != record.original_message_id]
            if "1" in owners and "0" not in owners and len(made) >= USER_INSTALL_FOLLOWUP_CAP:
                raise errors.too_many_followups()
            message = interaction_message(self.world, record, fields, loading=False)
            message.type = 0 if record.type != APPLICATION_COMMAND else message.type
            event = "MESSAGE_CREATE"
        record.followup_message_ids.append(message.id)
        record.calls.append(WebhookCall("followup", message.id, body, files, record.elapsed()))
        record.notify()
        if not message.ephemeral:
            await self.dispatch(event, self.world.message_payload(message, for_gateway=True))
        if truthy(request.query.get("wait")):
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
        apply_edit(self.world, message, fields)
        if message.id == record.original_message_id:
            record.loading = False
        record.calls.append(WebhookCall("edit", message.id, body, files, record.elapsed()))
        record.notify()
        if not message.ephemeral:
            await self.dispatch("MESSAGE_UPDATE", self.world.message_payload(message, for_gateway=True))
        return json_response(self.world.message_payload(message))

    async def delete_webhook_message(self, request: web.Request) -> web.Response:
        """DELETE @original or a followup."""
        record = self._webhook_record(request)
        message = self._webhook_target(request, record)
        message.deleted = True
        record.calls.append(WebhookCall("delete", message.id, {}, [], record.elapsed()))
        record.notify()
        await self.dispatch_delete(message)
        return no_content()
