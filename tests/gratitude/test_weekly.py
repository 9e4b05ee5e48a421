"""Posting, removing, the digest and the rotation with a stand-in bot: failures and schedules."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from unittest.mock import AsyncMock, MagicMock

import discord
import pytest

from bot.clock import ManualClock
from bot.command_sync import CommandDirectory
from bot.content.library import Content, load_content
from bot.db.database import Database
from bot.db.repos import circles, gratitude, prompt_config, schedules
from bot.db.repos.gratitude import DmStatus, GratitudeConfig
from bot.db.repos.prompt_config import PromptConfig
from bot.delivery import ChannelUnavailableError, DmUndeliverableError
from bot.gratitude import weekly
from bot.gratitude.posting import (
    CardRemovalError,
    GratitudeNotConfiguredError,
    post_card,
    remove_card,
)
from bot.gratitude.weekly import (
    DIGEST_KIND,
    ROTATION_KIND,
    deliver_digest,
    deliver_rotation,
    digest_owner_key,
    rotation_owner_key,
    save_schedules,
    server_timezone,
)
from bot.schedule.engine import Occurrence, ScheduleEngine
from bot.schedule.errors import TransientDeliveryError
from bot.schedule.kinds import OwnerKey
from bot.settings import Settings

GUILD = 10
CHANNEL = 20
ADMIN = 40
START = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
WEEK = date(2026, 11, 29)
_ids = itertools.count(5000)


def http_error(cls: type[discord.HTTPException], status: int, code: int) -> discord.HTTPException:
    response = MagicMock(status=status, reason="error")
    return cls(response, {"code": code, "message": "error"})


@dataclass
class StandIn:
    """Just enough of HearthBot: real database, content and clock; Discord recorded or failing on demand."""

    db: Database
    content: Content
    clock: ManualClock
    settings: Settings
    command_directory: CommandDirectory = field(default_factory=lambda: CommandDirectory({"gratitude": 1}))
    sent: list[dict[str, Any]] = field(default_factory=list)
    fail_with: BaseException | None = None
    channel_gone: bool = False
    permissions: discord.Permissions = field(default_factory=discord.Permissions.all)

    def __post_init__(self) -> None:
        channel = MagicMock(spec=discord.TextChannel)
        channel.id = CHANNEL
        channel.guild = MagicMock()
        channel.permissions_for.side_effect = lambda _member: self.permissions
        channel.send = AsyncMock(side_effect=self._send)
        self.channel = channel
        guild = MagicMock(spec=discord.Guild)
        guild.id = GUILD
        guild.name = "Home"
        guild.get_member.return_value = None
        # Channels are looked up in their guild (bot/delivery.py text_channel).
        guild.get_channel.side_effect = self.get_channel
        self.guild = guild

    async def _send(self, **kwargs: Any) -> Any:
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append(kwargs)
        message = MagicMock(spec=discord.Message)
        message.id = next(_ids)
        return message

    def get_channel(self, channel_id: int) -> Any:
        return self.channel if channel_id == CHANNEL and not self.channel_gone else None

    async def fetch_channel(self, channel_id: int) -> Any:
        raise http_error(discord.NotFound, 404, 10003)

    def get_guild(self, guild_id: int) -> Any:
        return self.guild

    def get_user(self, user_id: int) -> Any:
        return None


@pytest.fixture
async def bot(db: Database, settings: Settings) -> AsyncIterator[StandIn]:
    yield StandIn(db, load_content(), ManualClock(START), settings)


def as_bot(stand_in: StandIn) -> Any:
    """Return the stand-in typed loosely, as the feature functions take a HearthBot."""
    return stand_in


async def configure(bot: StandIn, **overrides: Any) -> GratitudeConfig:
    values: dict[str, Any] = {
        "guild_id": GUILD,
        "channel_id": CHANNEL,
        "digest_weekday": 6,
        "digest_time": "18:00",
        "timezone": "UTC",
        "rotation": False,
        "configured_by": ADMIN,
    }
    values.update(overrides)
    config = await gratitude.save_config(bot.db, GratitudeConfig(**values), bot.clock.now())
    await save_schedules(bot.db, config, bot.clock.now())
    return config


async def occurrence_of(bot: StandIn, owner_key: OwnerKey, local_date: date = WEEK) -> Occurrence:
    schedule = await schedules.get_by_owner_key(bot.db, owner_key)
    assert schedule is not None
    due = datetime(local_date.year, local_date.month, local_date.day, 18, 0, tzinfo=UTC)
    return Occurrence(schedule=schedule, key="k", local_date=local_date, due_at=due, late_by=timedelta(0))


async def test_post_card_needs_a_channel(bot: StandIn) -> None:
    """Without a gratitude channel nothing is posted or stored."""
    with pytest.raises(GratitudeNotConfiguredError):
        await post_card(as_bot(bot), GUILD, sender_id=1, recipient_id=2, text="hi", anonymous=False)
    assert bot.sent == []


async def test_post_card_failure_keeps_nothing(bot: StandIn) -> None:
    """If Discord refuses the card, its record is removed again: no half-made cards."""
    await configure(bot)
    bot.fail_with = http_error(discord.Forbidden, 403, 50013)
    with pytest.raises(ChannelUnavailableError):
        await post_card(as_bot(bot), GUILD, sender_id=1, recipient_id=2, text="hi", anonymous=False)
    bot.fail_with = http_error(discord.DiscordServerError, 503, 0)
    with pytest.raises(TransientDeliveryError):
        await post_card(as_bot(bot), GUILD, sender_id=1, recipient_id=2, text="hi", anonymous=False)
    rows = await bot.db.fetch_all("SELECT id FROM gratitude_cards")
    assert rows == []


async def test_post_card_checks_permissions_first(bot: StandIn) -> None:
    """A channel where the bot lost Embed Links is reported with what is missing; nothing is sent."""
    await configure(bot)
    bot.permissions = discord.Permissions(view_channel=True, send_messages=True)
    with pytest.raises(ChannelUnavailableError) as raised:
        await post_card(as_bot(bot), GUILD, sender_id=1, recipient_id=2, text="hi", anonymous=False)
    assert raised.value.missing == ["embed_links"]
    assert bot.sent == []


async def test_post_card_sends_with_recipient_only_mentions(bot: StandIn) -> None:
    """The card is sent with allowed mentions for the recipient alone, and recorded with its message."""
    await configure(bot)
    card = await post_card(
        as_bot(bot), GUILD, sender_id=1, recipient_id=2, text="hi @everyone", anonymous=False
    )
    [sent] = bot.sent
    assert sent["allowed_mentions"].to_dict() == {"parse": [], "users": [2], "replied_user": True}
    assert card.posted and card.text == "hi @everyone"


async def test_remove_card_outcomes(bot: StandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    """A vanished message still removes the card; a failed delete keeps it; a deleted one removes both."""
    await configure(bot)
    cards = [
        await post_card(as_bot(bot), GUILD, sender_id=1, recipient_id=2, text=f"c{n}", anonymous=False)
        for n in range(3)
    ]
    outcomes: list[BaseException | None] = [
        http_error(discord.NotFound, 404, 10008),
        http_error(discord.DiscordServerError, 500, 0),
        None,
    ]

    def partial_messageable(channel_id: int) -> Any:
        holder = MagicMock()
        message = MagicMock()
        outcome = outcomes.pop(0)
        message.delete = AsyncMock(side_effect=outcome) if outcome else AsyncMock()
        holder.get_partial_message.return_value = message
        return holder

    bot.get_partial_messageable = partial_messageable  # type: ignore[attr-defined]
    assert await remove_card(as_bot(bot), cards[0]) is False
    with pytest.raises(CardRemovalError):
        await remove_card(as_bot(bot), cards[1])
    assert await remove_card(as_bot(bot), cards[2]) is True
    left = [c.id for c in await gratitude.recent_cards(bot.db, GUILD)]
    assert left == [cards[1].id]


async def test_server_timezone_precedence(bot: StandIn) -> None:
    """The timezone given wins; else the earlier one; else the daily prompts' one; else DEFAULT_TIMEZONE."""
    assert await server_timezone(as_bot(bot), GUILD, None) == bot.settings.default_timezone
    await prompt_config.save(
        bot.db,
        PromptConfig(GUILD, CHANNEL, "09:00", "Asia/Kolkata", None, False, "any", False, None, ADMIN),
        START,
    )
    assert await server_timezone(as_bot(bot), GUILD, None) == "Asia/Kolkata"
    assert await server_timezone(as_bot(bot), GUILD, " Europe/Paris ") == "Europe/Paris"
    earlier = await configure(bot, timezone="America/Chicago")
    assert await server_timezone(as_bot(bot), GUILD, None, earlier) == "America/Chicago"
    assert await server_timezone(as_bot(bot), GUILD, "UTC", earlier) == "UTC"


async def test_schedules_follow_the_configuration(bot: StandIn) -> None:
    """The digest runs weekly on the local day and time; the rotation's schedule exists only while on."""
    await configure(bot, digest_weekday=4, digest_time="02:00", timezone="Asia/Kolkata", rotation=True)
    digest = await schedules.get_by_owner_key(bot.db, digest_owner_key(GUILD))
    rotation = await schedules.get_by_owner_key(bot.db, rotation_owner_key(GUILD))
    assert digest is not None and rotation is not None
    assert digest.kind == DIGEST_KIND and rotation.kind == ROTATION_KIND
    # Friday 02:00 in Kolkata is Thursday 20:30 UTC.
    assert digest.next_run_at == datetime(2026, 11, 26, 20, 30, tzinfo=UTC)
    assert rotation.next_run_at == digest.next_run_at
    await configure(bot, rotation=False)
    assert await schedules.get_by_owner_key(bot.db, rotation_owner_key(GUILD)) is None


async def test_digest_pauses_and_tells_the_admin_once_then_setup_resumes(
    bot: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A gone channel pauses the digest and DMs the admin; saving the configuration again resumes it."""
    notices: list[tuple[int, str]] = []

    async def fake_send_dm(client: Any, db: Any, user_id: int, now: Any, **send: Any) -> Any:
        notices.append((user_id, send["content"]))

    monkeypatch.setattr(weekly, "send_dm", fake_send_dm)
    engine = ScheduleEngine(bot.db, bot.clock, grace=timedelta(hours=6), tick_seconds=15)
    engine.register(DIGEST_KIND, lambda occurrence: deliver_digest(as_bot(bot), occurrence))
    await configure(bot)
    bot.channel_gone = True
    bot.clock.set(datetime(2026, 11, 29, 18, 0, tzinfo=UTC))
    report = await engine.tick()
    assert report.failed == 1 and report.paused == 1
    [(user_id, notice)] = notices
    assert user_id == ADMIN and "paused" in notice and "setup gratitude" in notice
    bot.clock.advance(timedelta(days=7))
    await engine.tick()
    assert len(notices) == 1 and bot.sent == []
    bot.channel_gone = False
    await configure(bot)
    bot.clock.advance(timedelta(days=7))
    await engine.tick()
    [digest] = bot.sent
    assert digest["allowed_mentions"].to_dict() == {"parse": []}
    assert digest["nonce"]


async def test_digest_transient_failure_retries(bot: StandIn) -> None:
    """A 5xx leaves the digest due again (retried by the engine), without telling anyone."""
    await configure(bot)
    bot.fail_with = http_error(discord.DiscordServerError, 503, 0)
    with pytest.raises(TransientDeliveryError):
        await deliver_digest(as_bot(bot), await occurrence_of(bot, digest_owner_key(GUILD)))


async def test_rotation_needs_two_present_members(bot: StandIn) -> None:
    """With one circle member still in the server, nothing is drawn and nobody is DMed."""
    await configure(bot, rotation=True)
    for user_id in (1, 2):
        await circles.join(bot.db, GUILD, user_id, START)
    present = MagicMock(spec=discord.Member)
    present.bot = False
    present.display_name = "One"

    async def fetch_member(user_id: int) -> Any:
        if user_id == 1:
            return present
        raise http_error(discord.NotFound, 404, 10007)

    bot.guild.fetch_member = fetch_member
    await deliver_rotation(as_bot(bot), await occurrence_of(bot, rotation_owner_key(GUILD)))
    assert await gratitude.get_draw(bot.db, GUILD, WEEK) == []


async def test_rotation_off_draws_nothing(bot: StandIn) -> None:
    """A rotation occurrence after the rotation was turned off does nothing."""
    await configure(bot, rotation=True)
    occurrence = await occurrence_of(bot, rotation_owner_key(GUILD))
    await configure(bot, rotation=False)
    await deliver_rotation(as_bot(bot), occurrence)
    assert await gratitude.get_draw(bot.db, GUILD, WEEK) == []


async def test_rotation_retry_sends_only_the_missing_dms(
    bot: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed DM makes the delivery retry; the retry keeps the draw and DMs only who wasn't reached."""
    await configure(bot, rotation=True)
    members = {1: "Ana", 2: "Ben", 3: "Cy"}
    for user_id in members:
        await circles.join(bot.db, GUILD, user_id, START)

    async def fetch_member(user_id: int) -> Any:
        member = MagicMock(spec=discord.Member)
        member.bot = False
        member.display_name = members[user_id]
        return member

    bot.guild.fetch_member = fetch_member
    attempts: list[int] = []
    failing = {2}

    async def fake_send_dm(client: Any, db: Any, user_id: int, now: Any, **send: Any) -> Any:
        attempts.append(user_id)
        if user_id == 3:
            raise DmUndeliverableError(user_id)
        if user_id in failing:
            raise http_error(discord.DiscordServerError, 500, 0)
        return MagicMock()

    monkeypatch.setattr(weekly, "send_dm", fake_send_dm)
    occurrence = await occurrence_of(bot, rotation_owner_key(GUILD))
    with pytest.raises(TransientDeliveryError):
        await deliver_rotation(as_bot(bot), occurrence)
    draw = await gratitude.get_draw(bot.db, GUILD, WEEK)
    assert {d.giver_id: d.dm_status for d in draw} == {1: DmStatus.SENT, 2: None, 3: DmStatus.UNDELIVERABLE}
    assert sorted(attempts) == [1, 2, 3]
    failing.clear()
    await circles.leave(bot.db, GUILD, 1)  # a changed circle must not change a drawn week
    await deliver_rotation(as_bot(bot), occurrence)
    assert attempts[3:] == [2]
    again = await gratitude.get_draw(bot.db, GUILD, WEEK)
    assert [(d.giver_id, d.receiver_id) for d in again] == [(d.giver_id, d.receiver_id) for d in draw]
    assert {d.giver_id: d.dm_status for d in again}[2] is DmStatus.SENT
