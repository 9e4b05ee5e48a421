"""The history summary: average, trend, and the feelings and needs named most."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.checkins.summary import Entry, Trend, format_average, summarise, summary_text, trend_of
from bot.content.checkins import CheckinContent

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def entries(scores: list[int], **extra: tuple[str, ...]) -> list[Entry]:
    return [Entry(START + timedelta(days=i), score, **extra) for i, score in enumerate(scores)]


@pytest.mark.parametrize(
    ("scores", "trend"),
    [
        ([3], Trend.UNKNOWN),
        ([1, 5, 1], Trend.UNKNOWN),
        ([2, 2, 4, 4], Trend.RISING),
        ([5, 4, 2, 2], Trend.FALLING),
        ([3, 4, 3, 4], Trend.STEADY),
        ([2, 3, 5, 3, 3], Trend.RISING),
    ],
)
def test_trend_compares_the_later_half_with_the_earlier(scores: list[int], trend: Trend) -> None:
    """Half a point of difference between the halves is a trend; fewer than four check-ins say nothing."""
    assert trend_of(scores) is trend


def test_summarise_sorts_by_time_and_counts_top_items() -> None:
    """Entries in any order are summarised chronologically; ties go to what was named first."""
    items = [
        Entry(START + timedelta(days=2), 5, ("hopeful",), ("fun",)),
        Entry(START, 2, ("tired", "anxious"), ("rest",)),
        Entry(START + timedelta(days=1), 3, ("tired", "hopeful"), ("rest", "fun")),
    ]
    summary = summarise(items)
    assert summary is not None
    assert summary.count == 3 and summary.average == pytest.approx(10 / 3)
    assert summary.top_feelings == (("tired", 2), ("hopeful", 2), ("anxious", 1))
    assert summary.top_needs == (("rest", 2), ("fun", 2))
    assert summarise([]) is None


@given(st.lists(st.integers(1, 5), min_size=1, max_size=60))
def test_summary_average_stays_on_the_scale(scores: list[int]) -> None:
    """The average lies between the lowest and highest score; equal scores are never a trend."""
    summary = summarise(entries(scores))
    assert summary is not None
    assert min(scores) <= summary.average <= max(scores)
    if len(set(scores)) == 1:
        assert summary.trend in (Trend.STEADY, Trend.UNKNOWN)


def test_format_average_drops_a_trailing_zero() -> None:
    """Averages read as people write them."""
    assert (format_average(3.5), format_average(4.0), format_average(10 / 3)) == ("3.5", "4", "3.3")


def test_summary_text_names_labels_not_ids(content: CheckinContent) -> None:
    """The reply says the average, the trend and the labels people chose, with counts."""
    summary = summarise(entries([2, 2, 4, 5], feelings=("hopeful",), needs=("listened",)))
    assert summary is not None
    text = summary_text(summary, 30, content)
    assert "Your last 30 days: 4 check-ins, on average **3.2/5**." in text
    assert "rising" in text
    assert "Hopeful (4)" in text and "To be listened to (4)" in text
    assert "hopeful" not in text.replace("Hopeful", "")
