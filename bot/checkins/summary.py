"""The history summary: average, trend and the feelings and needs named most often."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.content.checkins import CheckinContent

# Fewer check-ins than this say nothing about a trend.
MIN_FOR_TREND = 4
# How far (in points of the 1-5 scale) the recent half must differ from the earlier half to count.
TREND_THRESHOLD = 0.5
TOP_ITEMS = 3


class Trend(StrEnum):
    """Which way the scores have been moving."""

    RISING = "rising"
    FALLING = "falling"
    STEADY = "steady"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Entry:
    """What the summary needs of one check-in (never its note)."""

    at: datetime
    score: int
    feelings: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class HistorySummary:
    """The numbers behind the history reply."""

    count: int
    average: float
    trend: Trend
    top_feelings: tuple[tuple[str, int], ...]
    top_needs: tuple[tuple[str, int], ...]


def trend_of(scores: Sequence[int]) -> Trend:
    """Compare the mean of the later half of the scores with the earlier half."""
    if len(scores) < MIN_FOR_TREND:
        return Trend.UNKNOWN
    half = len(scores) // 2
    earlier = sum(scores[:half]) / half
    later = sum(scores[-half:]) / half
    if later - earlier >= TREND_THRESHOLD:
        return Trend.RISING
    if earlier - later >= TREND_THRESHOLD:
        return Trend.FALLING
    return Trend.STEADY


def _top(groups: Sequence[Sequence[str]]) -> tuple[tuple[str, int], ...]:
    """Return the most often named ids with their counts; ties go to the one named first."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for group in groups:
        for item in group:
            counts[item] += 1
            first_seen.setdefault(item, len(first_seen))
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], first_seen[pair[0]]))
    return tuple(ranked[:TOP_ITEMS])


def summarise(entries: Sequence[Entry]) -> HistorySummary | None:
    """Summarise check-ins (any order); None when there are none."""
    if not entries:
        return None
    ordered = sorted(entries, key=lambda entry: entry.at)
    scores = [entry.score for entry in ordered]
    return HistorySummary(
        count=len(scores),
        average=sum(scores) / len(scores),
        trend=trend_of(scores),
        top_feelings=_top([entry.feelings for entry in ordered]),
        top_needs=_top([entry.needs for entry in ordered]),
    )


def format_average(average: float) -> str:
    """Return an average as people read it: "3.5", "4"."""
    return f"{average:.1f}".removesuffix(".0")


def _items(pairs: tuple[tuple[str, int], ...], labels: list[str]) -> str:
    """Return "Hopeful (3), Tired (2)"."""
    return ", ".join(f"{label} ({count})" for label, (_, count) in zip(labels, pairs, strict=True))


def summary_text(summary: HistorySummary, days: int, content: CheckinContent) -> str:
    """Return the history reply's text: count and average, the trend, then the top feelings and needs."""
    texts = content.texts
    lines = [
        texts("history.summary", days=days, count=summary.count, average=format_average(summary.average)),
        texts(f"history.trend_{summary.trend.value}"),
    ]
    feelings = [pair for pair in summary.top_feelings if content.feeling_labels([pair[0]])]
    if feelings:
        labels = content.feeling_labels([item for item, _ in feelings])
        lines.append(texts("history.feelings", items=_items(tuple(feelings), labels)))
    needs = [pair for pair in summary.top_needs if content.need_labels([pair[0]])]
    if needs:
        labels = content.need_labels([item for item, _ in needs])
        lines.append(texts("history.needs", items=_items(tuple(needs), labels)))
    return "\n".join(lines)
