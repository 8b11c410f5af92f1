"""What a PDF of a plan holds for one person: plain data for the template.

Everything is decided for the one exporting (`viewer`): the sections and goals access.py lets
them see, narrowed by their choices and, for someone other than the young person, by what the
young person chose for the meeting. Photos go through `_Images`: only ready ones the viewer may
load, each as the print variant, at most render.MAX_IMAGES.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import segno
import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup

from .. import access
from ..extensions import db
from ..goals import chart as goal_chart
from ..goals import evidence as goal_evidence
from ..goals import services as goal_services
from ..media import services as media_services
from ..models import Comment, Goal, Media, MediaKind, MediaStatus, Plan, User
from ..plan import services as plan_services
from ..plan import themes
from . import meetings, render
from .document import PdfComment, PdfGoal, PdfMedia, PdfPlan, PdfStep

RECENT_DAYS = 30
# The newest reactions per goal, and in the whole PDF (the rest stay in the app): a long
# conversation should not make a meeting PDF of sixty pages.
COMMENTS_PER_GOAL_MAX = 30
COMMENTS_MAX = 120


class _Images:
    """Hand out photos for the PDF: only ready, visible ones, at most render.MAX_IMAGES."""

    def __init__(self, viewer: User, base_url: str):
        self.viewer = viewer
        self.base_url = base_url
        self.used: set[str] = set()
        self.left_out: set[str] = set()

    def take(self, media: Media | None, new: bool = False) -> PdfMedia | None:
        if media is None or media.status != MediaStatus.READY:
            return None
        stored = media.file(render.MEDIA_VARIANT)
        if stored is None or not access.can_see_media(self.viewer, media):
            return None
        if media.id not in self.used:
            if len(self.used) >= render.MAX_IMAGES:
                self.left_out.add(media.id)
                return None
            self.used.add(media.id)
        item = PdfMedia(
            media=media,
            width=stored.width or 1200,
            height=stored.height or 900,
            caption=media.caption,
            is_video=media.kind == MediaKind.VIDEO,
            new=new,
        )
        if item.is_video:
            item.link = f"{self.base_url}/media/{media.id}"
            item.qr = qr_svg(item.link)
        return item

    def take_all(self, items: list[Media], new_ids: set[str] | frozenset = frozenset()):
        return [m for m in (self.take(i, i.id in new_ids) for i in items) if m is not None]


def qr_svg(link: str) -> Markup:
    """Return a QR code of `link` as inline SVG (no URL to fetch, sized by the stylesheet)."""
    code = segno.make(link, error="m", micro=False)
    # segno writes only rectangles as path data: no text of the link reaches the SVG.
    svg = code.svg_inline(border=2, omitsize=True, svgclass="qr", lineclass=None)
    return Markup(svg)  # noqa: S704


def heading_colour(colours: themes.Colours) -> str:
    """Pick the cover colour that reads on white paper (headings, bars), else dark ink."""
    for candidate in (colours.background, colours.accent):
        if themes.contrast(candidate, "#ffffff") >= 3:
            return candidate
    return themes.INK_DARK


def _included_goals(viewer: User, plan: Plan, choices: meetings.Choices) -> list[Goal]:
    goals = access.visible_goals(viewer, plan, goal_services.load_goals(plan))
    if choices.goal_ids is not None:
        goals = [g for g in goals if g.id in choices.goal_ids]
    summary = goal_services.overview(goals)
    return summary.active + summary.achieved + summary.paused


def _comment_cutoff(choices: meetings.Choices, now: datetime) -> datetime | None:
    if choices.comments == "recent":
        return now - timedelta(days=RECENT_DAYS)
    if choices.comments == "since" and choices.since:
        return datetime.combine(choices.since, time.min, UTC)
    return None


def _comments(goal: Goal, cutoff: datetime, since: datetime | None, limit: int) -> list[PdfComment]:
    rows = list(
        db.session.scalars(
            sa.select(Comment)
            .where(Comment.goal_id == goal.id, Comment.created_at >= cutoff)
            .order_by(Comment.created_at.desc(), Comment.id.desc())
            .limit(limit)
        )
    )
    rows.reverse()

    def as_pdf(comment: Comment) -> PdfComment:
        return PdfComment(
            author=comment.author.name if comment.author else "",
            body=comment.body,
            at=comment.created_at,
            new=since is not None and comment.created_at >= since,
        )

    threads: dict[int, PdfComment] = {}
    result: list[PdfComment] = []
    for comment in rows:
        item = as_pdf(comment)
        parent = threads.get(comment.parent_id) if comment.parent_id else None
        if parent is not None:
            parent.replies.append(item)
        else:
            threads[comment.id] = item
            result.append(item)
    return result


def _pdf_goal(
    goal: Goal,
    images: _Images,
    comment_cutoff: datetime | None,
    since: datetime | None,
    comments_max: int,
) -> PdfGoal:
    progress = goal_services.progress(goal)
    change = meetings.goal_change(goal, since, progress) if since else None
    new_media = meetings.evidence_since(goal, since) if since else set()
    shown = goal_evidence.shown_on(goal)
    new_steps = meetings.steps_done_since(goal, since) if since else set()
    steps = [
        PdfStep(
            text=step.text,
            done=step.done,
            new=step.id in new_steps,
            media=images.take_all(shown.steps.get(step.id, []), new_media),
        )
        for step in goal.steps
    ]
    events = list(goal.events)
    return PdfGoal(
        goal=goal,
        progress=progress,
        steps=steps,
        evidence=images.take_all(shown.goal, new_media),
        chart=goal_chart.progress_chart(events, datetime.now(UTC)) if len(events) > 1 else None,
        comments=_comments(goal, comment_cutoff, since, comments_max) if comment_cutoff else [],
        change=change,
    )


def _choices_for(
    viewer: User, plan: Plan, choices: meetings.Choices, frame: meetings.MeetingFrame | None
) -> meetings.Choices:
    """Narrow someone else's choices by what the young person chose for this meeting."""
    if frame and frame.current and not access.is_owner(viewer, plan):
        return choices.narrowed_by(meetings.Choices.from_json(frame.current.choices))
    return choices


def _front(plan: Plan, images: _Images, sections: dict[str, bool], result: PdfPlan) -> None:
    """Add the cover photo, the introduction's media and "about me"."""
    shown = media_services.attached(plan)
    cover = shown.cover if shown.cover and shown.cover.kind == MediaKind.PHOTO else None
    result.cover = images.take(cover)
    if sections["intro"]:
        result.intro_media = images.take_all(shown.intro)
    if sections["about"]:
        result.about = plan_services.group_about_items(plan.about_items)
        result.about_media = {i: images.take_all(items) for i, items in shown.about.items()}


def _add_goals(result: PdfPlan, images: _Images, choices: meetings.Choices, now: datetime) -> None:
    goals = _included_goals(result.viewer, result.plan, choices)
    cutoff = _comment_cutoff(choices, now) if result.meeting_version else None
    since = result.frame.since if result.frame else None
    per_goal = min(COMMENTS_PER_GOAL_MAX, COMMENTS_MAX // max(1, len(goals)))
    result.goals = [_pdf_goal(g, images, cutoff, since, per_goal) for g in goals]
    result.overall = goal_services.overview(goals).overall
    if since:
        result.summary = meetings.change_summary(
            [g.change for g in result.goals if g.change], since
        )


def collect(
    plan: Plan,
    viewer: User,
    choices: meetings.Choices = meetings.WHOLE_PLAN,
    *,
    meeting_version: bool = False,
    today: date | None = None,
) -> PdfPlan:
    """Gather what `viewer` gets in a PDF of `plan` with `choices`."""
    now = datetime.now(UTC)
    today = today or now.date()
    frame = meetings.meeting_frame(plan, today) if meeting_version else None
    choices = _choices_for(viewer, plan, choices, frame)
    visible = access.sections_for(viewer, plan)
    colours = themes.colours(plan.cover_theme, plan.cover_color)
    result = PdfPlan(
        plan=plan,
        viewer=viewer,
        meeting_version=meeting_version,
        made_on=today,
        colours=colours,
        heading_colour=heading_colour(colours),
        layout=plan.cover_layout if plan.cover_layout in themes.LAYOUTS else "classic",
        sections={s: s in choices.sections and visible[s] for s in meetings.SECTIONS},
        frame=frame,
    )
    images = _Images(viewer, current_app.config["BASE_URL"])
    _front(plan, images, result.sections, result)
    if result.sections["goals"]:
        _add_goals(result, images, choices, now)
    if result.sections["media"]:
        result.gallery = _gallery(plan, images)
    if frame and frame.current:
        result.talking_points = list(frame.current.talking_points or [])
    result.left_out_images = len(images.left_out)
    return result


def _gallery(plan: Plan, images: _Images) -> list[PdfMedia]:
    """The photos and videos not shown anywhere else in the PDF, newest first."""
    ready = media_services.ready_media(plan)
    return images.take_all([m for m in ready if m.id not in images.used])
