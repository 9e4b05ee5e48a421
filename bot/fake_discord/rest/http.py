"""HTTP plumbing shared by the REST routes: JSON answers, request bodies and path parameters."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import BodyPartReader, web

import bot.fake_discord.errors as errors
from bot.fake_discord.errors import ApiError
from bot.fake_discord.messages import UploadedFile
from bot.fake_discord.models import JSON

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# (method, path under API, handler, needs ``Authorization: Bot <token>``)
Route = tuple[str, str, Handler, bool]

API = "/api/v10"


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


def path_snowflake(request: web.Request, key: str, error: Callable[[], ApiError]) -> int:
    """Return a path snowflake or raise the given not-found error."""
    try:
        return int(request.match_info[key])
    except ValueError:
        raise error() from None


def path_user_id(request: web.Request, me: int) -> int:
    """Return the ``{user_id}`` of the path, where ``@me`` stands for the bot (``me``)."""
    if request.match_info["user_id"] == "@me":
        return me
    return path_snowflake(request, "user_id", errors.unknown_user)


def truthy(value: str | None) -> bool:
    """Return True for query flags like ``wait=1``/``true``."""
    return (value or "").lower() in ("1", "true")
