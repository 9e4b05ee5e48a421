"""Recurrence maths: table tests for the DST corners, hypothesis properties for everything else."""

from __future__ import annotations

import functools
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.schedule.recurrence import (
    ALL_WEEKDAYS,
    Recurrence,
    format_local_time,
    is_valid_timezone,
    local_date_of,
    mask_to_weekdays,
    next_occurrence,
    occurrence_on,
    parse_local_time,
    previous_occurrence,
    weekdays_to_mask,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

EXPLICIT_ZONES = (
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "Australia/Adelaide",
)
# Drops host-specific keys such as "localtime" and the "Factory" placeholder.
ALL_ZONES = sorted(name for name in zoneinfo.available_timezones() if is_valid_timezone(name))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def daily(zone: str, hour: int, minute: int = 0) -> Recurrence:
    return Recurrence(zone, time(hour, minute))


# --- table tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "after", "expected"),
    [
        # An ordinary day, before and after the time.
        (daily("America/New_York", 9), utc(2026, 6, 1, 12), utc(2026, 6, 1, 13)),
        (daily("America/New_York", 9), utc(2026, 6, 1, 13), utc(2026, 6, 2, 13)),
        # Spring forward: 02:30 does not exist in New York on 2026-03-08, it fires at 03:30 EDT.
        (daily("America/New_York", 2, 30), utc(2026, 3, 8, 0), utc(2026, 3, 8, 7, 30)),
        (daily("America/New_York", 2, 30), utc(2026, 3, 8, 7, 30), utc(2026, 3, 9, 6, 30)),
        # Fall back: 01:30 happens twice in New York on 2026-11-01; only the first (EDT) counts.
        (daily("America/New_York", 1, 30), utc(2026, 10, 31, 12), utc(2026, 11, 1, 5, 30)),
        (daily("America/New_York", 1, 30), utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30)),
        # London: gap at 01:00 → 02:00, overlap at 02:00 → 01:00.
        (daily("Europe/London", 1, 30), utc(2026, 3, 28, 12), utc(2026, 3, 29, 1, 30)),
        (daily("Europe/London", 1, 30), utc(2026, 10, 24, 12), utc(2026, 10, 25, 0, 30)),
        # Lord Howe shifts by 30 minutes: 02:15 falls in the gap (→ 02:45 +11), 01:45 is ambiguous.
        (daily("Australia/Lord_Howe", 2, 15), utc(2026, 10, 3, 0), utc(2026, 10, 3, 15, 45)),
        (daily("Australia/Lord_Howe", 1, 45), utc(2026, 4, 4, 0), utc(2026, 4, 4, 14, 45)),
        (daily("Australia/Lord_Howe", 1, 45), utc(2026, 4, 4, 14, 45), utc(2026, 4, 5, 15, 15)),
        # Half-hour and 45-minute zones.
        (daily("Asia/Kolkata", 9), utc(2026, 10, 3, 0), utc(2026, 10, 3, 3, 30)),
        (daily("Australia/Adelaide", 2, 30), utc(2026, 10, 3, 0), utc(2026, 10, 3, 17, 0)),
        (daily("Pacific/Chatham", 2, 50), utc(2026, 9, 26, 0), utc(2026, 9, 26, 14, 5)),
        (daily("Pacific/Chatham", 3, 0), utc(2026, 4, 4, 0), utc(2026, 4, 4, 13, 15)),
        # Samoa skipped 2011-12-30 entirely: no fire that date, one on the 31st.
        (daily("Pacific/Apia", 10), utc(2011, 12, 29, 21), utc(2011, 12, 30, 20)),
        (daily("Pacific/Apia", 10), utc(2011, 12, 30, 20), utc(2011, 12, 31, 20)),
    ],
)
def test_next_occurrence_table(rule: Recurrence, after: datetime, expected: datetime) -> None:
    """Each rule fires at the expected UTC instant, DST corners included."""
    result = next_occurrence(rule, after)
    assert result == expected
    assert result.tzinfo is UTC


def test_next_occurrence_fall_back_night_fires_once_not_twice() -> None:
    """01:30 New York on fall-back night fires at 05:30Z only, not again at 06:30Z (the CronTrigger bug)."""
    rule = daily("America/New_York", 1, 30)
    first = next_occurrence(rule, utc(2026, 10, 31, 12))
    second = next_occurrence(rule, first)
    assert (first, second) == (utc(2026, 11, 1, 5, 30), utc(2026, 11, 2, 6, 30))


def test_next_occurrence_after_second_instance_is_not_in_the_past() -> None:
    """Asked just after the repeated 01:30, the answer is the next day, not a time already gone."""
    rule = daily("America/New_York", 1, 30)
    assert next_occurrence(rule, utc(2026, 11, 1, 6, 30, 1)) == utc(2026, 11, 2, 6, 30)


def test_next_occurrence_spring_forward_shifts_by_the_gap() -> None:
    """02:30 on the New York spring-forward day fires at 03:30 EDT, the fold=0 reading in UTC."""
    rule = daily("America/New_York", 2, 30)
    result = next_occurrence(rule, utc(2026, 3, 8, 0))
    assert result == utc(2026, 3, 8, 7, 30)
    local = result.astimezone(rule.zone)
    assert (local.date(), local.time(), local.utcoffset()) == (
        date(2026, 3, 8),
        time(3, 30),
        timedelta(hours=-4),
    )
    zone = ZoneInfo("America/New_York")
    assert result == datetime(2026, 3, 8, 2, 30, fold=0, tzinfo=zone).astimezone(UTC)


@pytest.mark.parametrize(
    ("weekdays", "after", "expected"),
    [
        # 2026-06-05 is a Friday; Mon/Wed/Fri at 09:00 New York (13:00Z).
        (frozenset({MON, WED, FRI}), utc(2026, 6, 5, 12), utc(2026, 6, 5, 13)),
        (frozenset({MON, WED, FRI}), utc(2026, 6, 5, 13), utc(2026, 6, 8, 13)),
        # Sunday only, asked on a Sunday after the time: a week later.
        (frozenset({SUN}), utc(2026, 6, 7, 14), utc(2026, 6, 14, 13)),
        (frozenset({SAT, SUN}), utc(2026, 6, 8, 0), utc(2026, 6, 13, 13)),
    ],
)
def test_next_occurrence_respects_weekday_mask(
    weekdays: frozenset[int], after: datetime, expected: datetime
) -> None:
    """Only allowed weekdays fire, and a single weekday recurs a week later."""
    rule = Recurrence("America/New_York", time(9), weekdays)
    assert next_occurrence(rule, after) == expected


def test_next_occurrence_weekday_is_the_local_weekday() -> None:
    """The weekday is judged in the rule's zone: Monday 08:00 in Tokyo is still Sunday in UTC."""
    rule = Recurrence("Asia/Tokyo", time(8), frozenset({MON}))
    assert next_occurrence(rule, utc(2026, 6, 6, 0)) == utc(2026, 6, 7, 23)


def test_previous_occurrence_is_inclusive_and_first_instance() -> None:
    """previous_occurrence returns a fire time at or before the moment, using the first instance."""
    rule = daily("America/New_York", 1, 30)
    assert previous_occurrence(rule, utc(2026, 11, 1, 5, 30)) == utc(2026, 11, 1, 5, 30)
    assert previous_occurrence(rule, utc(2026, 11, 1, 6, 45)) == utc(2026, 11, 1, 5, 30)
    assert previous_occurrence(rule, utc(2026, 11, 2, 6, 29)) == utc(2026, 11, 1, 5, 30)


def test_occurrence_on_returns_none_for_disallowed_or_missing_dates() -> None:
    """A date that is not an allowed weekday, or that the zone skipped, has no fire time."""
    weekdays_only = Recurrence("Europe/London", time(9), frozenset({MON, TUE, WED, THU, FRI}))
    assert occurrence_on(weekdays_only, date(2026, 6, 6)) is None
    assert occurrence_on(weekdays_only, date(2026, 6, 5)) == utc(2026, 6, 5, 8)
    assert occurrence_on(daily("Pacific/Apia", 10), date(2011, 12, 30)) is None


def test_local_date_of_uses_the_rule_zone() -> None:
    """local_date_of returns the calendar date in the rule's zone, not in UTC."""
    rule = daily("Pacific/Chatham", 9)
    assert local_date_of(rule, utc(2026, 6, 1, 20)) == date(2026, 6, 2)
    assert local_date_of(daily("America/New_York", 9), utc(2026, 6, 2, 3)) == date(2026, 6, 1)


def test_next_occurrence_rejects_naive_datetimes() -> None:
    """A naive 'after' is refused rather than guessed."""
    with pytest.raises(ValueError, match="aware"):
        next_occurrence(daily("UTC", 9), datetime(2026, 1, 1))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timezone": "UTC", "local_time": time(9), "weekdays": frozenset()}, "at least one weekday"),
        ({"timezone": "UTC", "local_time": time(9), "weekdays": frozenset({7})}, "0 \\(Monday\\)"),
        ({"timezone": "Mars/Olympus_Mons", "local_time": time(9)}, "unknown time zone"),
        ({"timezone": "UTC", "local_time": time(9, tzinfo=UTC)}, "wall-clock"),
    ],
)
def test_recurrence_validates_its_fields(kwargs: dict[str, object], message: str) -> None:
    """Empty or out-of-range weekdays, unknown zones and aware times are rejected."""
    with pytest.raises(ValueError, match=message):
        Recurrence(**kwargs)  # type: ignore[arg-type]


def test_recurrence_defaults_to_daily() -> None:
    """A rule without weekdays fires every day."""
    assert daily("UTC", 9).weekdays == ALL_WEEKDAYS


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("Europe/London", True),
        ("America/Argentina/Buenos_Aires", True),
        ("UTC", True),
        ("", False),
        (" Europe/London", False),
        ("Mars/Olympus_Mons", False),
        ("America", False),
        ("../etc/passwd", False),
        ("/etc/localtime", False),
        ("localtime", False),
    ],
)
def test_is_valid_timezone(name: str, valid: bool) -> None:
    """Only loadable IANA keys count as time zones."""
    assert is_valid_timezone(name) is valid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("07:30", time(7, 30)),
        ("7:05", time(7, 5)),
        (" 19:00 ", time(19)),
        ("00:00", time(0)),
        ("23:59", time(23, 59)),
        ("19.30", time(19, 30)),
        ("9am", time(9)),
        ("7:30 pm", time(19, 30)),
        ("7.30PM", time(19, 30)),
        ("12am", time(0)),
        ("12:15 pm", time(12, 15)),
        ("6 p.m.", time(18)),
    ],
)
def test_parse_local_time_accepts_24_hour_times(text: str, expected: time) -> None:
    """24-hour HH:MM or HH.MM, and 12-hour times with am or pm, parse to a wall-clock time."""
    assert parse_local_time(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("25:00", "hours go from 00 to 23"),
        ("24:00", "hours go from 00 to 23"),
        ("12:60", "minutes go from 00 to 59"),
        ("13pm", "with am or pm, hours go from 1 to 12"),
        ("0am", "with am or pm, hours go from 1 to 12"),
        ("7", "19:30, 19.30, 7:30 pm or 9am"),
        ("1230", "19:30, 19.30, 7:30 pm or 9am"),
        ("12:3", "19:30, 19.30, 7:30 pm or 9am"),
        ("7:30 pmx", "19:30, 19.30, 7:30 pm or 9am"),
        ("", "Please give a time"),
        ("   ", "Please give a time"),
    ],
)
def test_parse_local_time_explains_bad_input(text: str, message: str) -> None:
    """Bad times raise ValueError with a message a person can act on."""
    with pytest.raises(ValueError, match=message):
        parse_local_time(text)


def test_weekday_mask_round_trips() -> None:
    """Bit 0 is Monday, and every set of weekdays survives encoding."""
    assert weekdays_to_mask(frozenset({MON})) == 1
    assert weekdays_to_mask(ALL_WEEKDAYS) == 127
    for mask in range(128):
        assert weekdays_to_mask(mask_to_weekdays(mask)) == mask
    assert format_local_time(time(7, 5)) == "07:05"


def test_next_occurrence_sweep_around_transitions_never_doubles_a_date() -> None:
    """Around every 2026 transition of the named zones, quarter-hour rules fire once per local date."""
    for zone_name in EXPLICIT_ZONES:
        for transition in transitions(zone_name):
            if transition.year != 2026:
                continue
            for quarter in range(17):
                rule = Recurrence(zone_name, time(quarter // 4, 15 * (quarter % 4)))
                fires = iterate(rule, transition - timedelta(days=3), 6)
                dates = [local_date_of(rule, fire) for fire in fires]
                assert dates == sorted(set(dates)), (zone_name, rule.local_time, fires)


# --- properties ----------------------------------------------------------------------------------


@functools.cache
def transitions(zone_name: str) -> tuple[datetime, ...]:
    """Return the UTC instants in 2000-2037 at which ``zone_name`` changes its offset."""
    zone = ZoneInfo(zone_name)
    found: list[datetime] = []
    day = utc(2000, 1, 1)
    end = utc(2038, 1, 1)
    while day < end:
        nxt = day + timedelta(days=1)
        if day.astimezone(zone).utcoffset() != nxt.astimezone(zone).utcoffset():
            low, high = day, nxt
            while high - low > timedelta(seconds=1):
                mid = low + (high - low) / 2
                if mid.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = mid
                else:
                    high = mid
            found.append(high.replace(microsecond=0))
        day = nxt
    return tuple(found)


def iterate(rule: Recurrence, start: datetime, count: int) -> list[datetime]:
    """Return ``count`` successive fire times after ``start``."""
    fires: list[datetime] = []
    moment = start
    for _ in range(count):
        moment = next_occurrence(rule, moment)
        fires.append(moment)
    return fires


weekday_sets = st.frozensets(st.integers(0, 6), min_size=1)
minute_times = st.builds(time, hour=st.integers(0, 23), minute=st.integers(0, 59))
instants = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 (hypothesis bounds are naive; the values are aware)
    max_value=datetime(2037, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)


@st.composite
def random_cases(draw: st.DrawFn) -> tuple[Recurrence, datetime]:
    """A random zone (named ones favoured), local time, weekday set and moment."""
    zone = draw(st.one_of(st.sampled_from(EXPLICIT_ZONES), st.sampled_from(ALL_ZONES)))
    return Recurrence(zone, draw(minute_times), draw(weekday_sets)), draw(instants)


@st.composite
def transition_cases(draw: st.DrawFn) -> tuple[Recurrence, datetime]:
    """A named zone near one of its transitions, with a local time close to the transition's wall time."""
    zone_name = draw(st.sampled_from(EXPLICIT_ZONES))
    moments = transitions(zone_name)
    if not moments:
        # Kolkata has had no transitions since 1945: fall back to an ordinary case.
        return Recurrence(zone_name, draw(minute_times), draw(weekday_sets)), draw(instants)
    transition = draw(st.sampled_from(moments))
    before_offset = (transition - timedelta(seconds=1)).astimezone(ZoneInfo(zone_name)).utcoffset()
    assert before_offset is not None
    wall = (transition + before_offset).replace(tzinfo=None)
    shifted = wall + timedelta(minutes=draw(st.integers(-90, 90)))
    rule = Recurrence(zone_name, time(shifted.hour, shifted.minute), draw(weekday_sets))
    after = transition - timedelta(minutes=draw(st.integers(0, 60 * 48)))
    return rule, after


cases = st.one_of(random_cases(), transition_cases())


@settings(deadline=None, max_examples=300)
@given(cases)
def test_next_occurrence_is_strictly_after_and_utc(case: tuple[Recurrence, datetime]) -> None:
    """The result is an aware UTC instant strictly after 'after', on an allowed local weekday."""
    rule, after = case
    result = next_occurrence(rule, after)
    assert result > after
    assert result.tzinfo is UTC
    assert local_date_of(rule, result).weekday() in rule.weekdays


@settings(deadline=None, max_examples=300)
@given(cases)
def test_next_occurrence_lands_on_the_wall_time_or_shifts_by_the_gap(
    case: tuple[Recurrence, datetime],
) -> None:
    """The wall time is the requested one (first instance), or on a gap day shifted by the gap, same day."""
    rule, after = case
    result = next_occurrence(rule, after)
    local = result.astimezone(rule.zone)
    requested = datetime.combine(local.date(), rule.local_time)
    first_reading = requested.replace(tzinfo=rule.zone, fold=0)
    assert result == first_reading.astimezone(UTC)
    if local.time() == rule.local_time:
        second_reading = requested.replace(tzinfo=rule.zone, fold=1)
        assert result <= second_reading.astimezone(UTC)
    else:
        # The requested wall time does not exist that day: it falls in a gap.
        assert first_reading.astimezone(UTC).astimezone(rule.zone).replace(tzinfo=None) != requested
        offset_before = first_reading.utcoffset()
        offset_after = local.utcoffset()
        assert offset_before is not None
        assert offset_after is not None
        gap = offset_after - offset_before
        assert gap > timedelta(0)
        assert local.replace(tzinfo=None) - requested == gap


@settings(deadline=None, max_examples=200)
@given(cases)
def test_next_occurrence_never_fires_twice_on_a_local_date(case: tuple[Recurrence, datetime]) -> None:
    """Iterating next_occurrence yields strictly increasing instants on strictly increasing local dates."""
    rule, after = case
    fires = iterate(rule, after, 8)
    assert fires == sorted(set(fires))
    dates = [local_date_of(rule, fire) for fire in fires]
    assert dates == sorted(set(dates))


@settings(deadline=None, max_examples=200)
@given(cases, st.integers(0, 60 * 24 * 10))
def test_next_occurrence_is_monotonic(case: tuple[Recurrence, datetime], minutes_later: int) -> None:
    """A later 'after' never gives an earlier result."""
    rule, after = case
    later = after + timedelta(minutes=minutes_later)
    assert next_occurrence(rule, later) >= next_occurrence(rule, after)


@settings(deadline=None, max_examples=200)
@given(cases)
def test_next_occurrence_skips_no_fire_time(case: tuple[Recurrence, datetime]) -> None:
    """No fire time lies between 'after' and the result, and previous_occurrence agrees."""
    rule, after = case
    result = next_occurrence(rule, after)
    assert previous_occurrence(rule, result) == result
    just_before = result - timedelta(microseconds=1)
    if just_before > after:
        assert previous_occurrence(rule, just_before) <= after
