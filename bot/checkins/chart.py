"""Drawing the score-over-time chart as a PNG, with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo

import matplotlib as mpl

# No display: draw into memory only. (The canvas below is Agg as well; this covers any pyplot import.)
mpl.use("Agg")
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure

LINE_COLOUR = "#E07A5F"
AVERAGE_COLOUR = "#3D405B"
SIZE_INCHES = (8.0, 3.6)
DPI = 100
# matplotlib's default date epoch: an x value is days since this moment.
_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 - local wall time of the chart, deliberately naive


def render_score_chart(
    points: Sequence[tuple[datetime, int]],
    zone: tzinfo,
    *,
    title: str,
    average_label: str | None = None,
    average: float | None = None,
) -> bytes:
    """Return a PNG of scores (1-5) over time, in ``zone``'s local time, with an optional average line.

    Uses a bare Figure on an Agg canvas (no pyplot state), so it is safe to call from a worker thread.
    """
    if not points:
        raise ValueError("a chart needs at least one check-in")
    ordered = sorted(points, key=lambda point: point[0])
    # Days since the epoch in local wall time, which the date axis shows as local dates.
    times = [
        (moment.astimezone(zone).replace(tzinfo=None) - _EPOCH) / timedelta(days=1) for moment, _ in ordered
    ]
    scores = [score for _, score in ordered]
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot(times, scores, color=LINE_COLOUR, linewidth=2, marker="o", markersize=6)
    if average is not None:
        axes.axhline(average, color=AVERAGE_COLOUR, linestyle="--", linewidth=1, label=average_label)
        if average_label:
            axes.legend(loc="upper left", frameon=False)
    axes.set_ylim(0.5, 5.5)
    axes.set_yticks([1, 2, 3, 4, 5])
    axes.set_title(title)
    axes.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.xaxis_date()
    locator = AutoDateLocator(minticks=2, maxticks=7)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    if len(times) == 1:
        # One point has no width of its own: give it a day either side.
        axes.set_xlim(times[0] - 1, times[0] + 1)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
