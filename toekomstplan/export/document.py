"""The printed plan as plain data: what the PDF template is given, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from markupsafe import Markup

from ..goals import chart as goal_chart
from ..models import Goal, Media, Plan, User
from ..plan import themes
from . import meetings, render


@dataclass
class PdfMedia:
    media: Media
    width: int
    height: int
    caption: str
    is_video: bool
    link: str | None = None  # the video's page in the app
    qr: Markup | None = None  # an inline SVG QR code of `link`
    new: bool = False

    def src(self, size: str = "medium") -> str:
        """Return the photo's URL for the size it is printed at (see render.SCALES)."""
        return render.media_url(self.media, {"large": 1, "medium": 2, "small": 4}[size])


@dataclass
class PdfStep:
    text: str
    done: bool
    new: bool  # done since the previous meeting
    media: list[PdfMedia]


@dataclass
class PdfComment:
    author: str
    body: str
    at: datetime
    new: bool
    replies: list[PdfComment] = field(default_factory=list)


@dataclass
class PdfGoal:
    goal: Goal
    progress: int
    steps: list[PdfStep]
    evidence: list[PdfMedia]
    chart: goal_chart.Chart | None
    comments: list[PdfComment]
    change: meetings.GoalChange | None


@dataclass
class PdfPlan:
    plan: Plan
    viewer: User
    meeting_version: bool
    made_on: date
    colours: themes.Colours
    heading_colour: str
    layout: str
    sections: dict[str, bool]
    frame: meetings.MeetingFrame | None = None
    cover: PdfMedia | None = None
    intro_media: list[PdfMedia] = field(default_factory=list)
    about: dict[str, list] = field(default_factory=dict)
    about_media: dict[int, list[PdfMedia]] = field(default_factory=dict)
    goals: list[PdfGoal] = field(default_factory=list)
    overall: int = 0
    gallery: list[PdfMedia] = field(default_factory=list)
    talking_points: list[str] = field(default_factory=list)
    summary: meetings.ChangeSummary | None = None
    left_out_images: int = 0
