"""Unit tests of the fake Discord itself: permissions, HTTP shape, rate limits, gateway protocol."""

from __future__ import annotations

import asyncio
import json
import socket
import zlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.fake_discord import ALL_PERMISSIONS, FakeDiscord, Overwrite, P
from bot.fake_discord.driver import Driver
from bot.fake_discord.permissions import base_permissions, channel_permissions

pytestmark = pytest.mark.e2e

GUILD = 100
ROLE_A = 200
ROLE_B = 201
USER = 300
OWNER = 301


def compute(
    everyone: int, roles: dict[int, int], member_roles: list[int], overwrites: list[Overwrite]
) -> int:
    base = base_permissions(
        guild_id=GUILD,
        owner_id=OWNER,
        user_id=USER,
        role_permissions={GUILD: everyone, **roles},
        member_roles=member_roles,
    )
    return channel_permissions(
        base, guild_id=GUILD, user_id=USER, member_roles=member_roles, overwrites=overwrites
    )


def test_permissions_owner_and_administrator_get_everything() -> None:
    assert (
        base_permissions(
            guild_id=GUILD, owner_id=USER, user_id=USER, role_permissions={GUILD: 0}, member_roles=[]
        )
        == ALL_PERMISSIONS
    )
    deny_all = [Overwrite(GUILD, 0, 0, ALL_PERMISSIONS), Overwrite(USER, 1, 0, ALL_PERMISSIONS)]
    assert compute(0, {ROLE_A: P.ADMINISTRATOR}, [ROLE_A], deny_all) == ALL_PERMISSIONS


def test_permissions_overwrite_order_everyone_then_roles_then_member() -> None:
    view_send = P.VIEW_CHANNEL | P.SEND_MESSAGES
    everyone_denies = [Overwrite(GUILD, 0, 0, P.SEND_MESSAGES)]
    assert not compute(view_send, {}, [], everyone_denies) & P.SEND_MESSAGES
    # A role allow beats the @everyone deny; role allows win over role denies of other roles.
    role_allows = [
        *everyone_denies,
        Overwrite(ROLE_A, 0, P.SEND_MESSAGES, 0),
        Overwrite(ROLE_B, 0, 0, P.SEND_MESSAGES),
    ]
    assert compute(view_send, {}, [ROLE_A, ROLE_B], role_allows) & P.SEND_MESSAGES
    # The member overwrite is applied last.
    member_denies = [*role_allows, Overwrite(USER, 1, 0, P.SEND_MESSAGES)]
    assert not compute(view_send, {}, [ROLE_A], member_denies) & P.SEND_MESSAGES


def test_permissions_implicit_rules() -> None:
    everything = P.VIEW_CHANNEL | P.SEND_MESSAGES | P.EMBED_LINKS | P.ATTACH_FILES | P.READ_MESSAGE_HISTORY
    no_view = [Overwrite(GUILD, 0, 0, P.VIEW_CHANNEL)]
    assert compute(everything, {}, [], no_view) == 0
    no_send = [Overwrite(GUILD, 0, 0, P.SEND_MESSAGES)]
    result = compute(everything, {}, [], no_send)
    assert result & P.READ_MESSAGE_HISTORY
    assert not result & (P.EMBED_LINKS | P.ATTACH_FILES)


@pytest.fixture
async def http(fake_discord: FakeDiscord) -> AsyncIterator[aiohttp.ClientSession]:
    headers = {"Authorization": f"Bot {fake_discord.world.token}"}
    async with aiohttp.ClientSession(base_url=fake_discord.base_url, headers=headers) as session:
        yield session


async def test_rest_answers_exact_json_content_type_and_ratelimit_headers(
    fake_discord: FakeDiscord, http: aiohttp.ClientSession
) -> None:
    async with http.get("/api/v10/users/@me") as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json"
        for header in ("Limit", "Remaining", "Reset", "Reset-After", "Bucket"):
            assert f"X-RateLimit-{header}" in response.headers
        assert response.headers["Via"] == "1.1 google"
        body = await response.json()
    assert body["id"] == str(fake_discord.world.bot_user.id)
    assert body["bot"] is True


async def test_errors_use_discord_json_shape(fake_discord: FakeDiscord, http: aiohttp.ClientSession) -> None:
    async with http.get("/api/v10/channels/123") as response:
        assert response.status == 404
        assert response.headers["Content-Type"] == "application/json"
        assert await response.json() == {"code": 10003, "message": "Unknown Channel"}
    async with (
        aiohttp.ClientSession(base_url=fake_discord.base_url) as anonymous,
        anonymous.get("/api/v10/users/@me") as response,
    ):
        assert response.status == 401
        assert (await response.json())["message"] == "401: Unauthorized"
    assert fake_discord.invalid_requests == 1


async def test_unknown_endpoint_is_404_and_recorded(
    fake_discord: FakeDiscord, http: aiohttp.ClientSession
) -> None:
    async with http.post("/api/v10/guilds/1/emojis", json={}) as response:
        assert response.status == 404
        assert await response.json() == {"code": 0, "message": "404: Not Found"}
    assert fake_discord.unknown_requests == ["POST /api/v10/guilds/1/emojis"]
    fake_discord.unknown_requests.clear()  # recorded as it should be; the fixture would fail otherwise


async def test_route_bucket_429_has_retry_after_via_and_scope(
    fake_discord: FakeDiscord, driver: Driver, http: aiohttp.ClientSession
) -> None:
    guild = await driver.add_guild()
    channel = driver.world.channels[guild.channel_ids[0]]
    fake_discord.enable_rate_limits(routes={"POST /channels/{channel_id}/messages": (2, 5.0)})
    url = f"/api/v10/channels/{channel.id}/messages"
    statuses = []
    for i in range(3):
        async with http.post(url, json={"content": f"m{i}"}) as response:
            statuses.append(response.status)
            headers, body = response.headers, await response.json()
    assert statuses == [200, 200, 429]
    assert headers["Via"] == "1.1 google"
    assert headers["X-RateLimit-Scope"] == "user"
    assert headers["X-RateLimit-Remaining"] == "0"
    assert body["message"] == "You are being rate limited."
    assert body["global"] is False
    assert 0 < body["retry_after"] <= 5.0
    assert [m.content for m in driver.messages_in(channel)] == ["m0", "m1"]
    assert len(fake_discord.rate_limit_hits) == 1


async def test_global_limit_spares_interaction_routes(
    fake_discord: FakeDiscord, http: aiohttp.ClientSession
) -> None:
    fake_discord.enable_rate_limits(global_limit=2, global_per=5.0)
    statuses = []
    for _ in range(3):
        async with http.get("/api/v10/users/@me") as response:
            statuses.append(response.status)
            body = await response.json()
    assert statuses == [200, 200, 429]
    assert body["global"] is True
    assert response.headers["X-RateLimit-Global"] == "true"
    async with http.post("/api/v10/interactions/1/x/callback", json={"type": 1}) as response:
        assert response.status == 404  # unknown interaction, but not rate limited
        assert (await response.json())["code"] == 10062


async def test_multipart_message_with_file_is_stored_and_served(
    fake_discord: FakeDiscord, driver: Driver, http: aiohttp.ClientSession
) -> None:
    guild = await driver.add_guild()
    channel = driver.world.channels[guild.channel_ids[0]]
    form = aiohttp.FormData(quote_fields=False)
    payload = {"content": "see file", "attachments": [{"id": 0, "filename": "notes.txt"}]}
    form.add_field("payload_json", json.dumps(payload))
    form.add_field("files[0]", b"hello", filename="notes.txt", content_type="application/octet-stream")
    async with http.post(f"/api/v10/channels/{channel.id}/messages", data=form) as response:
        assert response.status == 200
        body = await response.json()
    attachment = body["attachments"][0]
    assert attachment["filename"] == "notes.txt"
    assert attachment["size"] == 5
    async with http.get(attachment["url"]) as response:
        assert await response.read() == b"hello"


async def test_uploads_over_the_attachment_size_limit_are_refused_like_discord(
    fake_discord: FakeDiscord, driver: Driver, http: aiohttp.ClientSession
) -> None:
    """A file above attachment_size_limit gets 413 with code 40005, and no message is stored."""
    guild = await driver.add_guild()
    channel = driver.world.channels[guild.channel_ids[0]]
    fake_discord.world.attachment_size_limit = 4
    form = aiohttp.FormData(quote_fields=False)
    payload = {"content": "see file", "attachments": [{"id": 0, "filename": "notes.txt"}]}
    form.add_field("payload_json", json.dumps(payload))
    form.add_field("files[0]", b"hello", filename="notes.txt", content_type="application/octet-stream")
    async with http.post(f"/api/v10/channels/{channel.id}/messages", data=form) as response:
        assert response.status == 413
        assert (await response.json())["code"] == 40005
    assert driver.messages_in(channel) == []


@pytest.mark.parametrize(
    ("select", "field"),
    [
        ({"options": [{"label": "x" * 101, "value": "a"}]}, "options.0.label"),
        ({"options": [{"label": "a", "value": "x" * 101}]}, "options.0.value"),
        ({"options": [{"label": "a", "value": "a", "description": "x" * 101}]}, "options.0.description"),
        ({"options": [{"label": "a", "value": "a"}], "placeholder": "x" * 151}, "placeholder"),
    ],
)
async def test_select_option_and_placeholder_lengths_are_enforced(
    fake_discord: FakeDiscord, driver: Driver, http: aiohttp.ClientSession, select: dict[str, Any], field: str
) -> None:
    """Select option labels, values and descriptions hold 100 characters, placeholders 150."""
    guild = await driver.add_guild()
    channel = driver.world.channels[guild.channel_ids[0]]
    row = {"type": 1, "components": [{"type": 3, "custom_id": "pick", **select}]}
    async with http.post(
        f"/api/v10/channels/{channel.id}/messages", json={"content": "x", "components": [row]}
    ) as response:
        assert response.status == 400
        body = await response.json()
    assert body["code"] == 50035
    assert f'"{field.split(".")[-1]}": {{"_errors"' in json.dumps(body["errors"])


async def test_permission_errors_for_channel_posts(
    fake_discord: FakeDiscord, driver: Driver, http: aiohttp.ClientSession
) -> None:
    guild = await driver.add_guild()
    hidden = await driver.add_channel(guild, "hidden")
    await driver.set_overwrite(hidden, guild, deny=P.VIEW_CHANNEL)
    read_only = await driver.add_channel(guild, "read-only")
    await driver.deny_bot(read_only, P.SEND_MESSAGES)
    codes = []
    for channel in (hidden, read_only):
        async with http.post(f"/api/v10/channels/{channel.id}/messages", json={"content": "x"}) as response:
            codes.append((response.status, (await response.json())["code"]))
    assert codes == [(403, 50001), (403, 50013)]


async def test_command_names_are_validated(fake_discord: FakeDiscord, http: aiohttp.ClientSession) -> None:
    url = f"/api/v10/applications/{fake_discord.world.application.id}/commands"
    bad = [{"name": "Check In", "description": "x", "type": 1}]
    async with http.put(url, json=bad) as response:
        assert response.status == 400
        body = await response.json()
    assert body["code"] == 50035
    assert "name" in body["errors"]["0"]


class RawGateway:
    """A minimal zlib-stream gateway client for protocol tests."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.inflate = zlib.decompressobj()

    async def recv(self) -> dict[str, Any]:
        message = await asyncio.wait_for(self.ws.receive(), 5)
        assert message.type is aiohttp.WSMsgType.BINARY, message
        decoded: dict[str, Any] = json.loads(self.inflate.decompress(message.data))
        return decoded

    async def send(self, payload: dict[str, Any]) -> None:
        await self.ws.send_str(json.dumps(payload))


async def connect(session: aiohttp.ClientSession, server: FakeDiscord) -> RawGateway:
    url = server.gateway_url + "?v=10&encoding=json&compress=zlib-stream"
    return RawGateway(await session.ws_connect(url))


async def test_gateway_identify_ready_heartbeat_and_resume(fake_discord: FakeDiscord, driver: Driver) -> None:
    guild = await driver.add_guild("G")
    token = fake_discord.world.token
    async with aiohttp.ClientSession() as session:
        gw = await connect(session, fake_discord)
        hello = await gw.recv()
        assert hello["op"] == 10
        assert hello["d"]["heartbeat_interval"] == 1000
        await gw.send({"op": 2, "d": {"token": token, "intents": 1, "properties": {}}})
        ready = await gw.recv()
        assert (ready["t"], ready["s"]) == ("READY", 1)
        assert ready["d"]["guilds"] == [{"id": str(guild.id), "unavailable": True}]
        assert ready["d"]["resume_gateway_url"] == fake_discord.gateway_url
        created = await gw.recv()
        assert (created["t"], created["s"]) == ("GUILD_CREATE", 2)
        assert created["d"]["channels"][0]["name"] == "general"
        await gw.send({"op": 1, "d": 2})
        assert (await gw.recv())["op"] == 11
        session_id = ready["d"]["session_id"]
        await gw.ws.close(code=4000)  # 1000/1001 would end the session
        # Missed while disconnected: replayed on RESUME.
        await driver.add_role(guild, "Late")
        gw = await connect(session, fake_discord)
        await gw.recv()
        await gw.send({"op": 6, "d": {"token": token, "session_id": session_id, "seq": 2}})
        replayed = await gw.recv()
        assert (replayed["t"], replayed["s"]) == ("GUILD_ROLE_CREATE", 3)
        assert (await gw.recv())["t"] == "RESUMED"
        await gw.ws.close()
        # An unknown session is invalid: op 9 with d=false.
        gw = await connect(session, fake_discord)
        await gw.recv()
        await gw.send({"op": 6, "d": {"token": token, "session_id": "nope", "seq": 1}})
        assert await gw.recv() == {"op": 9, "d": False}
        await gw.ws.close()
    assert [h.kind for h in fake_discord.gateway.handshakes] == ["IDENTIFY", "RESUME", "RESUME"]


@pytest.mark.parametrize(
    ("identify", "close_code"),
    [({"token": "wrong", "intents": 1}, 4004), ({"token": "fake-token", "intents": 1 | (1 << 15)}, 4014)],
)
async def test_gateway_rejects_bad_token_and_privileged_intents(
    fake_discord: FakeDiscord, identify: dict[str, Any], close_code: int
) -> None:
    async with aiohttp.ClientSession() as session:
        gw = await connect(session, fake_discord)
        await gw.recv()
        await gw.send({"op": 2, "d": identify})
        closing = await asyncio.wait_for(gw.ws.receive(), 5)
        assert closing.type is aiohttp.WSMsgType.CLOSE
        assert gw.ws.close_code == close_code


async def test_clean_close_ends_the_session(fake_discord: FakeDiscord) -> None:
    token = fake_discord.world.token
    async with aiohttp.ClientSession() as session:
        gw = await connect(session, fake_discord)
        await gw.recv()
        await gw.send({"op": 2, "d": {"token": token, "intents": 1}})
        ready = await gw.recv()
        await gw.ws.close(code=1000)
        gw = await connect(session, fake_discord)
        await gw.recv()
        await gw.send({"op": 6, "d": {"token": token, "session_id": ready["d"]["session_id"], "seq": 1}})
        assert await gw.recv() == {"op": 9, "d": False}
        await gw.ws.close()


def test_network_guard_refuses_non_loopback_names(network_guard: list[str]) -> None:
    assert socket.getaddrinfo("127.0.0.1", 80)
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("discord.com", 443)
    assert network_guard == ["discord.com"]
