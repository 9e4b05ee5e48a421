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
