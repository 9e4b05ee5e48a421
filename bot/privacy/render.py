"""Turning privacy results into the words people read."""

from __future__ import annotations

from collections.abc import Mapping

from bot.content.privacy import PrivacyTexts
from bot.privacy.retention import FOREVER


def period_text(texts: PrivacyTexts, days: int) -> str:
    """Return how long things are kept, as a phrase ("for 90 days", "until you delete them")."""
    if days == FOREVER:
        return texts("retention.period_forever")
    return texts("retention.period_days", days=days)


def choice_label(texts: PrivacyTexts, days: int) -> str:
    """Return the button label of a retention choice."""
    return texts("retention.choice_forever" if days == FOREVER else f"retention.choice_{days}")


def erasure_summary(texts: PrivacyTexts, counts: Mapping[str, int]) -> str:
    """Return the final message of an erasure, listing each kind of record that went with its number."""
    lines = [
        texts("delete.count_line", label=texts.label(kind), count=count)
        for kind, count in counts.items()
        if count > 0
    ]
    if not lines:
        return texts("delete.done_nothing")
    return texts("delete.done", counts="\n".join(lines))
