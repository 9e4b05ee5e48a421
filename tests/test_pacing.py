from typing import Any

from bot.pacing import OutboundPacer, scheduled_sending


class CountingLimiter:
    def __init__(self) -> None:
        self.acquired = 0

    async def acquire(self, amount: float = 1) -> None:
        self.acquired += 1


class FakeHttp:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    async def request(self, *args: Any, **kwargs: Any) -> str:
        self.calls.append(args)
        return "ok"


async def test_pacer_paces_only_scheduled_requests() -> None:
    """Requests inside scheduled_sending wait for the limiter; interactive ones go straight through."""
    limiter = CountingLimiter()
    pacer = OutboundPacer(45, limiter=limiter)
    http = FakeHttp()
    pacer.install(http)
    assert await http.request("interactive") == "ok"
    assert limiter.acquired == 0
    with scheduled_sending():
        assert await http.request("scheduled") == "ok"
        assert await http.request("scheduled") == "ok"
    assert await http.request("interactive again") == "ok"
    assert limiter.acquired == 2
    assert pacer.paced_requests == 2
    assert [call[0] for call in http.calls] == ["interactive", "scheduled", "scheduled", "interactive again"]
