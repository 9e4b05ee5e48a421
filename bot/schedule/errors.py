"""Errors a schedule handler raises to tell the engine how a delivery failed."""

from __future__ import annotations

from datetime import timedelta


class DeliveryError(Exception):
    """A handler could not deliver an occurrence.

    ``reason`` is stored and logged, so keep it short and free of user
    content, e.g. ``"channel missing (10003)"``.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PermanentDeliveryError(DeliveryError):
    """Delivery cannot succeed until someone fixes the target: the engine pauses the schedule."""


class TransientDeliveryError(DeliveryError):
    """Delivery may succeed later (5xx, network, rate limit): the engine retries within its grace window."""

    def __init__(self, reason: str, *, retry_after: timedelta | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


def rate_limit_retry_after(error: BaseException) -> float | None:
    """Return the ``retry_after`` of a 429 behind ``error`` (0 if unknown), or None if it is no 429.

    Duck-typed (``status``, ``retry_after``) so the engine need not import discord.py: a
    ``discord.HTTPException`` with status 429 or a ``discord.RateLimited``, raised as such or as the
    cause of a delivery error.
    """
    seen: BaseException | None = error
    for _ in range(5):
        if seen is None:
            return None
        if getattr(seen, "status", None) == 429 or type(seen).__name__ == "RateLimited":
            retry_after = getattr(seen, "retry_after", None)
            return float(retry_after) if isinstance(retry_after, int | float) else 0.0
        seen = seen.__cause__
    return None
