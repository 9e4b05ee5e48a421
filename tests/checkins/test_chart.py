"""The history chart is a PNG drawn with matplotlib's Agg backend."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import matplotlib as mpl
import pytest

from bot.checkins.chart import DPI, SIZE_INCHES, render_score_chart

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
START = datetime(2026, 3, 1, 21, 30, tzinfo=UTC)


def png_size(data: bytes) -> tuple[int, int]:
    """Return (width, height) from a PNG's IHDR chunk."""
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_render_score_chart_returns_a_png_of_the_expected_size() -> None:
    """A month of scores renders as an 800x360 PNG, without any display, on the Agg backend."""
    points = [(START + timedelta(days=i), 1 + i % 5) for i in range(30)]
    data = render_score_chart(
        points, ZoneInfo("Asia/Kolkata"), title="Scores", average=3.0, average_label="average 3"
    )
    assert data.startswith(PNG_MAGIC)
    assert png_size(data) == (int(SIZE_INCHES[0] * DPI), int(SIZE_INCHES[1] * DPI))
    assert mpl.get_backend().lower() == "agg"


def test_render_score_chart_handles_one_point_and_refuses_none() -> None:
    """A single check-in still draws; an empty history is the caller's to explain."""
    assert render_score_chart([(START, 4)], UTC, title="One").startswith(PNG_MAGIC)
    with pytest.raises(ValueError, match="at least one"):
        render_score_chart([], UTC, title="None")
