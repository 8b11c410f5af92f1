"""PDF export: make the whole plan or a meeting version as a PDF for one person.

contents.collect() gathers what that person gets (access.py decides, their choices narrow);
html() turns it into our own HTML; render.render_pdf() turns that into the PDF. Meetings and
what changed since the last one live in meetings.py.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from flask import render_template
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from .. import access, access_log
from ..extensions import db
from ..goals import services as goal_services
from ..models import Goal, Plan, User
from ..plan import themes
from . import contents, meetings, render
from .document import PdfPlan


def _rgba(hex_colour: str, alpha: float) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def theme_css(colours: themes.Colours, heading: str) -> Markup:
    """Return the cover's colours as CSS; every value is a checked #rrggbb colour."""
    for colour in (colours.background, colours.ink, colours.accent, heading):
        if not themes.HEX.match(colour):
            raise ValueError(colour)
    return Markup(  # noqa: S704 (checked #rrggbb values and our own rules only)
        f".cover{{background-color:{colours.background};color:{colours.ink};"
        "background-image:"
        f"radial-gradient(circle at 88% 10%,{_rgba(colours.accent, 0.45)} 18%,transparent 18.5%),"
        f"radial-gradient(circle at 6% 96%,{_rgba(colours.ink, 0.14)} 24%,transparent 24.5%)}}"
        f".cover__photo{{background-color:{_rgba(colours.accent, 0.55)};"
        f"border-color:{_rgba(colours.ink, 0.85)}}}"
        f".cover__initial{{color:{colours.ink}}}"
        f".cover--band .cover__text{{background-color:{colours.background};"
        f"border-top-color:{colours.accent}}}"
        f".part__title,.goal__title,.about-group h3{{color:{heading}}}"
        f".part__title{{border-bottom-color:{heading}}}"
        f".bar__fill,.step--done .step__box{{background-color:{heading}}}"
        f".step__box{{border-color:{heading}}}"
        f".talking-points{{border-left-color:{heading}}}"
    )


def html(pdf_plan: PdfPlan) -> str:
    """Return the PDF's HTML (our template; every user text escaped by Jinja)."""
    return render_template(
        "export/plan.html",
        pdf=pdf_plan,
        locale=str(get_locale() or "nl"),
        made_on=format_date(pdf_plan.made_on, "long"),
        theme_css=theme_css(pdf_plan.colours, pdf_plan.heading_colour),
    )


def make_pdf(
    plan: Plan,
    viewer: User,
    choices: meetings.Choices = meetings.WHOLE_PLAN,
    *,
    meeting_version: bool = False,
    today: date | None = None,
) -> bytes:
    """Return the PDF of `plan` as `viewer` may have it; log it when it is someone else's."""
    pdf_plan = contents.collect(plan, viewer, choices, meeting_version=meeting_version, today=today)
    pdf = render.render_pdf(html(pdf_plan), plan=plan, viewer=viewer)
    if not access.is_owner(viewer, plan):
        kind = "pdf:meeting" if meeting_version else "pdf:plan"
        access_log.record(plan.id, viewer.id, "export", kind)
        db.session.commit()
    return pdf


def file_name(plan: Plan, meeting_version: bool, today: date) -> str:
    """Name the download after the plan's title, plain ASCII for every browser."""
    title = unicodedata.normalize("NFKD", plan.cover_title or "")
    stem = "-".join(re.findall(r"[A-Za-z0-9]+", title.encode("ascii", "ignore").decode()))
    stem = stem[:40].strip("-") or "plan"
    kind = _("meeting") if meeting_version else _("future-plan")
    kind = unicodedata.normalize("NFKD", kind).encode("ascii", "ignore").decode()
    kind = "-".join(re.findall(r"[A-Za-z0-9]+", kind)) or "plan"
    return f"{stem}-{kind}-{today.isoformat()}.pdf"


# The form


def visible_goals(plan: Plan, viewer: User) -> list[Goal]:
    """Return the goals `viewer` may put in a PDF, in the plan's order."""
    return access.visible_goals(viewer, plan, goal_services.load_goals(plan))


def form_defaults(plan: Plan, viewer: User, today: date) -> dict:
    """Fill the meeting form with the current meeting's choices, else with everything."""
    frame = meetings.meeting_frame(plan, today)
    saved = meetings.Choices.from_json(frame.current.choices) if frame.current else None
    visible = access.sections_for(viewer, plan)
    sections = [
        s for s in meetings.SECTIONS if visible[s] and (saved is None or s in saved.sections)
    ]
    goal_ids = [
        g.id
        for g in visible_goals(plan, viewer)
        if saved is None or saved.goal_ids is None or g.id in saved.goal_ids
    ]
    points = list(frame.current.talking_points or []) if frame.current else []
    points += [""] * (meetings.TALKING_POINTS_MAX - len(points))
    since = saved.since if saved and saved.since else None
    if since is None and frame.previous:
        since = frame.previous.held_on
    return {
        "held_on": frame.current.held_on if frame.current else today,
        "point_1": points[0],
        "point_2": points[1],
        "point_3": points[2],
        "sections": sections,
        "goals": goal_ids,
        "comments": saved.comments if saved else "recent",
        "since": since,
    }
