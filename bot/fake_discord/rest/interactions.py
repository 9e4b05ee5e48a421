"""REST route for an interaction's initial response (the callback), with Discord's 3 s and type rules."""

from __future__ import annotations

from aiohttp import web

import bot.fake_discord.errors as errors
from bot.fake_discord.components import validate_choices, validate_modal
from bot.fake_discord.errors import ApiError, form_error
from bot.fake_discord.interactions import (
    ALLOWED_CALLBACKS,
    MODAL_SUBMIT,
    RESPONSE_DEADLINE,
    CallbackAttempt,
    InteractionRecord,
)
from bot.fake_discord.messages import MessageFields, UploadedFile, extract, require_body
from bot.fake_discord.models import FLAG_EPHEMERAL, JSON, Attachment, Message
from bot.fake_discord.rest.authoring import apply_edit, interaction_message
from bot.fake_discord.rest.base import Routes
from bot.fake_discord.rest.http import Route, json_response, no_content, path_snowflake, read_body, truthy


class InteractionRoutes(Routes):
    """POST /interactions/{id}/{token}/callback."""

    def routes(self) -> list[Route]:
        """Return this group's routes (no bot token: the interaction token authorises)."""
        return [("POST", "/interactions/{interaction_id}/{interaction_token}/callback", self.callback, False)]

    async def callback(self, request: web.Request) -> web.Response:
        """POST /interactions/{id}/{token}/callback: the initial response (exactly one, within 3 s)."""
        interaction_id = path_snowflake(request, "interaction_id", errors.unknown_interaction)
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
        with_response = truthy(request.query.get("with_response"))
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
            await self.dispatch(event, self.world.message_payload(message, for_gateway=True))

    def _apply_callback(
        self, record: InteractionRecord, ctype: int, data: JSON, files: list[UploadedFile]
    ) -> JSON:
        """Carry out an accepted callback and return the with_response body."""
        info: JSON = {"id": str(record.id), "type": record.type}
        result: JSON = {"interaction": info}
        if ctype in (4, 5):
            if ctype == 4:
                fields = self._callback_fields(data, files, record.channel_id, allow_ephemeral=True)
                require_body(fields)
            else:
                fields = MessageFields(content="", flags=(int(data.get("flags") or 0) & FLAG_EPHEMERAL))
            message = interaction_message(self.world, record, fields, loading=ctype == 5)
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
                fields = self._callback_fields(data, files, source.channel_id, existing=source.attachments)
                apply_edit(self.world, source, fields)
                result["resource"] = {"type": 7, "message": self.world.message_payload(source)}
        elif ctype == 8:
            validate_choices(data)
        elif ctype == 9:
            validate_modal(data)
        return result

    def _callback_fields(
        self,
        data: JSON,
        files: list[UploadedFile],
        channel_id: int,
        *,
        allow_ephemeral: bool = False,
        existing: list[Attachment] | None = None,
    ) -> MessageFields:
        """Validate the message in a callback's ``data`` (errors name the ``data.`` fields)."""
        return extract(
            self.world,
            data,
            files,
            channel_id=channel_id,
            prefix="data.",
            allow_ephemeral=allow_ephemeral,
            existing=existing,
        )

    def _source_message(self, record: InteractionRecord) -> Message:
        """Return the message a component (or modal-from-component) interaction came from."""
        if record.source_message_id is None or record.source_message_id not in self.world.messages:
            raise errors.unknown_message()
        return self.world.messages[record.source_message_id]
