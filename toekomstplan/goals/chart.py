"""A goal's progress over time as a small SVG chart, drawn on the server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..models import ProgressEvent

WIDTH, HEIGHT, PAD = 320, 120, 10


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    progress: int
    at: datetime


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    line: str  # SVG path: a step line, flat until the next change
    area: str  # the same line closed down to 0%, for a soft fill
    points: list[Point]
    start: datetime
    end: datetime

    @property
    def first(self) -> int:
        return self.points[0].progress

    @property
    def last(self) -> int:
        return self.points[-1].progress

    @property
    def grid(self) -> list[float]:
        """The heights of the 0%, 50% and 100% lines."""
        return [y_of(level) for level in (0, 50, 100)]


def y_of(progress: int) -> float:
    return round(PAD + (HEIGHT - 2 * PAD) * (1 - progress / 100), 1)


def progress_chart(events: list[ProgressEvent], now: datetime) -> Chart | None:
    """Turn a goal's events (any order) into chart data: x is time, y is progress."""
    if not events:
        return None
    ordered = sorted(events, key=lambda e: (e.at, e.id or 0))
    start = ordered[0].at
    end = max(now, ordered[-1].at)
    span = (end - start).total_seconds() or 1.0

    def x_of(moment: datetime) -> float:
        return round(PAD + (WIDTH - 2 * PAD) * (moment - start).total_seconds() / span, 1)

    points = [Point(x_of(e.at), y_of(e.progress), e.progress, e.at) for e in ordered]
    line = [f"M{points[0].x},{points[0].y}"]
    for point in points[1:]:
        line.append(f"H{point.x}V{point.y}")
    line.append(f"H{x_of(end)}")
    path = "".join(line)
    area = f"{path}V{y_of(0)}H{points[0].x}Z"
    return Chart(WIDTH, HEIGHT, path, area, points, start, end)
