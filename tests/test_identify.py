import asyncio

import pytest

from bot.db.database import Database
from bot.identify import (
    IDENTIFY_MARGIN_SECONDS,
    IDENTIFY_SPACING_SECONDS,
    IdentifyGate,
    SessionStartLimit,
    wait_for_session_starts,
)

SPACING = IDENTIFY_SPACING_SECONDS + IDENTIFY_MARGIN_SECONDS


class SteppingClock:
    """A wall clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1_000_000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> SteppingClock:
    stepping = SteppingClock()
    monkeypatch.setattr(asyncio, "sleep", stepping.sleep)
    return stepping


def test_session_start_limit_reads_discords_payload() -> None:
    limit = SessionStartLimit.from_payload(
        {"total": 1000, "remaining": 3, "reset_after": 14_400_000, "max_concurrency": 16}
    )
    assert (limit.remaining, limit.reset_after_seconds, limit.max_concurrency) == (3, 14_400.0, 16)
    assert SessionStartLimit.from_payload(None).max_concurrency == 1


async def test_identifies_of_one_bucket_are_spaced_and_other_buckets_are_not(
    db: Database, clock: SteppingClock
) -> None:
    gate = IdentifyGate(lambda: db, max_concurrency=2, clock=clock)
    assert await gate.wait_turn(0) == 0
    assert await gate.wait_turn(1) == 0, "shard 1 is in bucket 1"
    assert await gate.wait_turn(2) == pytest.approx(SPACING), "shard 2 shares bucket 0 with shard 0"
    clock.now += 60
    assert await gate.wait_turn(0) == 0


async def test_a_second_process_waits_for_the_first_ones_identify(db: Database, clock: SteppingClock) -> None:
    """Two gates on one database (two processes, or a restart) share the bucket's last IDENTIFY time."""
    first = IdentifyGate(lambda: db, clock=clock)
    second = IdentifyGate(lambda: db, clock=clock)
    await first.wait_turn(0)
    clock.now += 2
    assert await second.wait_turn(1) == pytest.approx(SPACING - 2)


async def test_without_a_database_the_gate_spaces_identifies_in_the_process(clock: SteppingClock) -> None:
    gate = IdentifyGate(lambda: None, clock=clock)
    await gate.wait_turn(None)
    assert await gate.wait_turn(None) == pytest.approx(SPACING)


async def test_too_few_session_starts_wait_for_the_reset(clock: SteppingClock) -> None:
    plenty = SessionStartLimit(total=1000, remaining=10, reset_after_seconds=50.0, max_concurrency=1)
    assert await wait_for_session_starts(plenty, 2) == 0
    none_left = SessionStartLimit(total=1000, remaining=1, reset_after_seconds=900.0, max_concurrency=1)
    assert await wait_for_session_starts(none_left, 2) == 900.0
    assert sum(clock.slept) == pytest.approx(900.0)


async def test_processes_identifying_at_once_on_postgresql_go_one_after_the_other(
    db: Database, backend: str
) -> None:
    """Real time and real locks: the second of two simultaneous gates waits the spacing out."""
    if backend != "postgresql":
        pytest.skip("several processes share PostgreSQL only")
    waited = await asyncio.gather(
        IdentifyGate(lambda: db).wait_turn(0), IdentifyGate(lambda: db).wait_turn(0)
    )
    assert sorted(waited)[0] == 0
    assert sorted(waited)[1] > IDENTIFY_SPACING_SECONDS
