import asyncio
import random
from dataclasses import dataclass
from typing import Any

import pytest

from bot.pacing import (
    TOKEN_HEADROOM,
    OutboundPacer,
    RequestBudget,
    is_exempt_path,
    process_share,
    scheduled_sending,
    shard_fraction,
)
from bot.ratelimits import (
    DISCORD_INVALID_LIMIT,
    SLOWEST_SHARE,
    WARN_INVALID,
    InvalidRequestCounter,
    ResponseGuard,
    retry_delay,
    scheduled_share,
)
from bot.schedule.errors import TransientDeliveryError, rate_limit_retry_after
from bot.schedule.shards import ShardScope


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class FakeRoute:
    method: str
    path: str


class FakeHttp:
    async def request(self, route: FakeRoute, **kwargs: Any) -> str:
        return "ok"


def test_each_process_paces_its_shards_share_of_the_token_total() -> None:
    assert process_share(46, None) == 46
    assert process_share(46, ShardScope(2, frozenset({0}))) == 23
    assert process_share(48, ShardScope(4, frozenset({1, 3}))) == 24
    assert process_share(46, ShardScope(2, frozenset({0, 1}))) == 46


def test_the_caps_of_every_process_add_up_to_the_total_plus_the_tokens_headroom() -> None:
    for processes in (1, 2, 3, 4, 8, 23):
        caps = 0
        for shard in range(processes):
            scope = ShardScope(processes, frozenset({shard}))
            caps += RequestBudget(
                process_share(46, scope), headroom=TOKEN_HEADROOM * shard_fraction(scope)
            ).cap
        assert caps <= 46 + TOKEN_HEADROOM, processes


def test_interaction_responses_and_followups_are_exempt() -> None:
    assert is_exempt_path("/interactions/{interaction_id}/{interaction_token}/callback")
    assert is_exempt_path("/webhooks/{webhook_id}/{webhook_token}")
    assert not is_exempt_path("/channels/{channel_id}/messages")
    assert not is_exempt_path("/users/@me")


def test_budget_spaces_slots_and_makes_up_for_a_short_stall() -> None:
    clock = FakeClock()
    budget = RequestBudget(10, catch_up_seconds=0.1, clock=clock)
    start = clock.now
    assert budget._take(0.1, start) == 0
    # Demand after a quiet spell starts at the pace, not in a burst.
    assert budget._take(0.1, start) == pytest.approx(0.1)
    clock.now += 0.1
    assert budget._take(0.1, start) == 0
    # Woken 80 ms late while waiting: the slot is still the planned one, and the next one is not lost.
    clock.now += 0.1 + 0.08
    assert budget._take(0.1, start) == 0
    assert budget._take(0.1, start) == pytest.approx(0.02)


def test_budget_never_lets_more_than_the_rate_plus_one_through_in_any_second() -> None:
    clock = FakeClock()
    budget = RequestBudget(23, headroom=1, clock=clock)
    taken: list[float] = []
    for step in range(100_000):
        # A stall of 200 ms every 7 s, then everything waiting at once.
        if step % 7_000 == 0:
            clock.now += 0.2
        if budget._take(1 / 23, 0.0) == 0:
            taken.append(clock.now)
        clock.now += 0.001
    most = max(sum(1 for t in taken if start <= t < start + 1) for start in taken)
    assert most <= 24
    # Stalls are made up for: close to 23 per second over the whole run.
    assert len(taken) / (taken[-1] - taken[0]) > 22.5


async def test_a_global_429_holds_every_slot() -> None:
    clock = FakeClock()
    budget = RequestBudget(10, clock=clock)
    budget.hold(2.0)
    assert budget._take(0.1, clock.now) == pytest.approx(2.0)


async def test_priority_requests_go_ahead_of_scheduled_ones_in_line() -> None:
    budget = RequestBudget(20)
    order: list[str] = []

    async def scheduled(n: int) -> None:
        with scheduled_sending():
            await budget.acquire()
        order.append(f"scheduled {n}")

    async def interactive() -> None:
        await budget.acquire()
        order.append("interactive")

    line = [asyncio.create_task(scheduled(n)) for n in range(12)]
    await asyncio.sleep(0.06)
    await interactive()
    await asyncio.gather(*line)
    assert order.index("interactive") < order.index("scheduled 11")
    assert budget.paced_requests == 13


async def test_pacer_takes_a_slot_for_every_counted_request_and_none_for_interactions() -> None:
    pacer = OutboundPacer(1000)
    http = FakeHttp()
    hooked: list[object] = []
    pacer.install(http, before=hooked.append)
    await http.request(FakeRoute("GET", "/users/@me"))
    assert hooked == [http]
    await pacer.wait_turn("/users/@me")
    with scheduled_sending():
        await pacer.wait_turn("/channels/1/messages")
    await pacer.wait_turn("/interactions/1/token/callback")
    await pacer.wait_turn("/webhooks/1/token")
    assert pacer.paced_requests == 2


def test_scheduled_sends_slow_down_on_the_way_to_discords_invalid_request_limit() -> None:
    assert scheduled_share(0) == 1.0
    assert scheduled_share(WARN_INVALID) == 1.0
    halfway = scheduled_share(5_000)
    assert SLOWEST_SHARE < halfway < 1.0
    assert scheduled_share(DISCORD_INVALID_LIMIT) == SLOWEST_SHARE


def test_invalid_requests_are_counted_over_ten_minutes_and_warned_about(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    budget = RequestBudget(10, clock=clock)
    counter = InvalidRequestCounter(budget, clock=clock)
    for _ in range(WARN_INVALID):
        counter.record(403)
    assert "invalid requests" in caplog.text
    assert budget.slowdown == 1.0
    for _ in range(2_000):
        counter.record(429)
    assert counter.in_window() == 3_000
    assert budget.slowdown > 1.0
    assert counter.by_status == {403: WARN_INVALID, 429: 2_000}
    clock.now += 601
    assert counter.in_window() == 0
    counter.refresh()
    assert budget.slowdown == 1.0


def test_retries_wait_at_least_retry_after_with_jitter_that_differs() -> None:
    rng = random.Random(7)
    delays = [retry_delay(2.0, rng) for _ in range(50)]
    assert all(2.0 <= delay <= 2.0 * 1.5 + 0.25 for delay in delays)
    assert len({round(delay, 3) for delay in delays}) > 40


def test_route_path_strips_the_api_base() -> None:
    guard = ResponseGuard(OutboundPacer(10), "http://127.0.0.1:1/api/v10")
    assert guard.route_path("http://127.0.0.1:1/api/v10/channels/5/messages?x=1") == "/channels/5/messages"
    other = ResponseGuard(OutboundPacer(10))
    assert (
        other.route_path("https://discord.com/api/v10/interactions/1/t/callback")
        == "/interactions/1/t/callback"
    )


class Fake429Error(Exception):
    status = 429


class FakeRateLimitedError(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


FakeRateLimitedError.__name__ = "RateLimited"


def test_a_429_behind_a_delivery_error_is_recognised() -> None:
    try:
        try:
            raise Fake429Error
        except Fake429Error as error:
            raise TransientDeliveryError("HTTP 429 (0)") from error
    except TransientDeliveryError as wrapped:
        assert rate_limit_retry_after(wrapped) == 0.0
    assert rate_limit_retry_after(FakeRateLimitedError(3.5)) == 3.5
    assert rate_limit_retry_after(TransientDeliveryError("HTTP 503 (0)")) is None
