"""Schedule kinds, owner keys and payloads: typed, and stored exactly as the text rows already hold."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.db.database import Database
from bot.db.repos import schedules
from bot.db.repos.schedule_rows import decode_payload, encode_payload
from bot.schedule.kinds import (
    OwnerKey,
    OwnerScope,
    OwnerVariant,
    ReminderPayload,
    RepairPayload,
    ScheduleKind,
    owner_text,
)
from bot.schedule.recurrence import Recurrence

ids = st.integers(min_value=0, max_value=2**63 - 1)


@st.composite
def owner_keys(draw: st.DrawFn) -> OwnerKey:
    """Any owner key a feature can build: each kind with its own scope and variants."""
    kind = draw(st.sampled_from(ScheduleKind))
    if kind is ScheduleKind.PRIVACY_HOUSEKEEPING:
        return OwnerKey.singleton(kind)
    if kind in {ScheduleKind.DAILY_PROMPT, ScheduleKind.GRATITUDE_DIGEST, ScheduleKind.GRATITUDE_ROTATION}:
        return OwnerKey.guild(kind, draw(ids))
    if kind is ScheduleKind.DM_CHECKIN:
        return OwnerKey.user(kind, draw(ids), draw(st.sampled_from([None, OwnerVariant.LATER])))
    if kind is ScheduleKind.APPRECIATION:
        return OwnerKey.record(kind, draw(ids), draw(st.sampled_from([None, OwnerVariant.SNOOZE])))
    return OwnerKey.record(kind, draw(ids))


@given(owner_keys())
def test_owner_keys_round_trip(key: OwnerKey) -> None:
    """parse(build(key)) is the key, and the text it builds reads back to the same text."""
    text = key.build()
    assert OwnerKey.parse(text) == key
    assert OwnerKey.parse(text).build() == text
    assert owner_text(key) == str(key) == text


@given(st.text(alphabet=st.sampled_from("adgilpruy_:0123456789-+ "), max_size=40))
def test_parse_accepts_only_what_build_writes(text: str) -> None:
    """Text that parses is exactly the text its key builds: no second spelling of one owner."""
    try:
        key = OwnerKey.parse(text)
    except ValueError:
        return
    assert key.build() == text


@pytest.mark.parametrize(
    ("key", "stored"),
    [
        (OwnerKey.guild(ScheduleKind.DAILY_PROMPT, 42), "daily_prompt:guild:42"),
        (OwnerKey.guild(ScheduleKind.GRATITUDE_DIGEST, 42), "gratitude_digest:guild:42"),
        (OwnerKey.guild(ScheduleKind.GRATITUDE_ROTATION, 42), "gratitude_rotation:guild:42"),
        (OwnerKey.user(ScheduleKind.DM_CHECKIN, 7), "dm_checkin:user:7"),
        (OwnerKey.user(ScheduleKind.DM_CHECKIN, 7, OwnerVariant.LATER), "dm_checkin:user:7:later"),
        (OwnerKey.record(ScheduleKind.APPRECIATION, 5), "appreciation:5"),
        (OwnerKey.record(ScheduleKind.APPRECIATION, 5, OwnerVariant.SNOOZE), "appreciation:5:snooze"),
        (OwnerKey.record(ScheduleKind.REPAIR_PAUSE, 9), "repair_pause:9"),
        (OwnerKey.record(ScheduleKind.REPAIR_FOLLOW_UP, 9), "repair_follow_up:9"),
        (OwnerKey.singleton(ScheduleKind.PRIVACY_HOUSEKEEPING), "privacy:housekeeping"),
    ],
)
def test_owner_keys_are_the_text_rows_already_hold(key: OwnerKey, stored: str) -> None:
    """Each feature's key builds to the exact text earlier versions stored, and parses back."""
    assert key.build() == stored
    assert OwnerKey.parse(stored) == key


@pytest.mark.parametrize(
    "text",
    [
        "",
        "daily_prompt",
        "daily_prompt:42",
        "daily_prompt:guild:",
        "daily_prompt:guild:042",
        "daily_prompt:guild:+4",
        "daily_prompt:guild:-4",
        "daily_prompt:guild:42:later",
        "dm_checkin:user:7:snooze",
        "appreciation:guild:5",
        "appreciation:5:snooze:again",
        "privacy_housekeeping:1",
        "unknown:guild:1",
    ],
)
def test_parse_refuses_text_no_feature_builds(text: str) -> None:
    """Wrong scope tag, variant, number spelling or kind is refused, not read as something else."""
    with pytest.raises(ValueError):
        OwnerKey.parse(text)


def test_owner_keys_check_their_shape() -> None:
    """A key cannot be built with a scope or variant its kind does not use."""
    with pytest.raises(ValueError):
        OwnerKey(ScheduleKind.DAILY_PROMPT, OwnerScope.USER, 1)
    with pytest.raises(ValueError):
        OwnerKey.user(ScheduleKind.DM_CHECKIN, 1, OwnerVariant.SNOOZE)
    with pytest.raises(ValueError):
        OwnerKey(ScheduleKind.PRIVACY_HOUSEKEEPING, OwnerScope.SINGLETON, 1)
    with pytest.raises(ValueError):
        OwnerKey.guild(ScheduleKind.DAILY_PROMPT, -1)


@given(ids, st.one_of(st.none(), ids))
def test_reminder_payloads_round_trip_through_storage(reminder_id: int, nudge_id: int | None) -> None:
    """A reminder payload survives the JSON column; an absent nudge stays absent."""
    payload = ReminderPayload(reminder_id, nudge_id=nudge_id)
    stored = encode_payload(payload.encode())
    assert ReminderPayload.decode(decode_payload(stored)) == payload
    assert ("nudge_id" in json.loads(stored)) == (nudge_id is not None)


@given(ids)
def test_repair_payloads_round_trip_through_storage(request_id: int) -> None:
    """A repair payload survives the JSON column."""
    payload = RepairPayload(request_id)
    assert RepairPayload.decode(decode_payload(encode_payload(payload.encode()))) == payload


def test_payloads_are_the_json_rows_already_hold() -> None:
    """The stored JSON is byte for byte what the hand-built dictionaries gave."""
    assert encode_payload(ReminderPayload(3).encode()) == '{"reminder_id":3}'
    assert encode_payload(ReminderPayload(3, nudge_id=8).encode()) == '{"nudge_id":8,"reminder_id":3}'
    assert encode_payload(RepairPayload(4).encode()) == '{"request_id":4}'


@pytest.mark.parametrize("stored", [{}, {"reminder_id": "3"}, {"reminder_id": True}, {"reminder_id": 3.0}])
def test_payload_decode_refuses_what_a_feature_never_wrote(stored: dict[str, object]) -> None:
    """A missing or non-integer field is an error, not a guess."""
    with pytest.raises(ValueError):
        ReminderPayload.decode(stored)


async def test_rows_stored_as_text_are_found_by_their_typed_key(db: Database) -> None:
    """A row written before the types (plain text) is read, replaced and deleted through them."""
    now = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    rule = Recurrence("Europe/London", time(9, 0))
    old = await schedules.upsert_recurring(
        db, kind="daily_prompt", owner_key="daily_prompt:guild:42", rule=rule, now=now, guild_id=42
    )
    key = OwnerKey.guild(ScheduleKind.DAILY_PROMPT, 42)
    found = await schedules.get_by_owner_key(db, key)
    assert found is not None and found.id == old.id
    again = await schedules.upsert_recurring(
        db, kind=ScheduleKind.DAILY_PROMPT, owner_key=key, rule=rule, now=now, guild_id=42
    )
    assert again.id == old.id and (again.kind, again.owner_key) == ("daily_prompt", "daily_prompt:guild:42")
    assert type(again.kind) is str
    assert await schedules.delete_by_owner_key(db, key)
