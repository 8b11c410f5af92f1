"""PDF export: the whole plan, or a version for a care meeting, and recording meetings."""

from datetime import UTC, datetime

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from .. import access
from ..access import Action, Section
from ..http import for_logged_in
from ..limits import LimitReached
from . import meetings, render, services
from .forms import SECTION_LABELS, MeetingForm

# Every page here is for someone logged in; access.py then decides what they may do.
bp = for_logged_in(Blueprint("export", __name__))


def _today():
    return datetime.now(UTC).date()


def _viewer():
    return current_user._get_current_object()


def _meeting_form(plan, data: dict | None = None) -> MeetingForm:
    form = MeetingForm(data=data)
    visible = access.sections_for(current_user, plan)
    form.sections.choices = [
        SelectChoice(s, SECTION_LABELS[s]) for s in meetings.SECTIONS if visible[s]
    ]
    form.goals.choices = [
        SelectChoice(g.id, g.title) for g in services.visible_goals(plan, _viewer())
    ]
    return form


def _page(plan, form: MeetingForm, status: int = 200):
    is_owner = access.is_owner(current_user, plan)
    return render_template(
        "export/form.html",
        plan=plan,
        form=form,
        is_owner=is_owner,
        meetings=meetings.meetings(plan) if is_owner else [],
    ), status


def _send(pdf: bytes, plan, meeting_version: bool) -> Response:
    name = services.file_name(plan, meeting_version, _today())
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/plans/<int:plan_id>/export")
def form(plan_id: int):
    plan = access.get_plan(plan_id)
    defaults = services.form_defaults(plan, _viewer(), _today())
    return _page(plan, _meeting_form(plan, defaults))


@bp.get("/plans/<int:plan_id>/plan.pdf")
def plan_pdf(plan_id: int):
    plan = access.get_plan(plan_id)
    try:
        pdf = services.make_pdf(plan, _viewer())
    except render.Busy:
        return _busy(plan)
    return _send(pdf, plan, meeting_version=False)


@bp.post("/plans/<int:plan_id>/meeting.pdf")
def meeting_pdf(plan_id: int):
    plan = access.get_plan(plan_id)
    form = _meeting_form(plan)
    if not form.validate_on_submit():
        return _page(plan, form, 400)
    # The young person's download also saves the meeting, so the PDF holds the points just
    # typed; it is made as on the meeting's day, so that meeting is the one it is for.
    day = _today()
    typed = form.held_on.data is not None or any(form.points())
    if typed and access.can(current_user, plan, Section.COVER, Action.EDIT):
        day = form.held_on.data or day
        try:
            meetings.record_meeting(plan, day, form.points(), form.choices())
        except LimitReached:
            flash(_("You have saved a lot of meetings. Ask for help to clean them up."), "error")
            return _page(plan, form, 409)
    try:
        pdf = services.make_pdf(plan, _viewer(), form.choices(), meeting_version=True, today=day)
    except render.Busy:
        return _busy(plan)
    return _send(pdf, plan, meeting_version=True)


@bp.post("/plans/<int:plan_id>/meetings")
def record_meeting(plan_id: int):
    plan = access.get_plan(plan_id, Section.COVER, Action.EDIT)
    form = _meeting_form(plan)
    if not form.validate_on_submit() or form.held_on.data is None:
        if form.held_on.data is None and not form.held_on.errors:
            form.held_on.errors = [_("Choose a date.")]
        return _page(plan, form, 400)
    try:
        choices = form.choices() if form.sent_choices() else None
        meetings.record_meeting(plan, form.held_on.data, form.points(), choices)
    except LimitReached:
        flash(_("You have saved a lot of meetings. Ask for help to clean them up."), "error")
    else:
        flash(_("Your meeting is saved."), "success")
    return redirect(url_for("export.form", plan_id=plan.id))


def _busy(plan):
    flash(_("Many PDFs are being made right now. Try again in a minute."), "error")
    return redirect(url_for("export.form", plan_id=plan.id))
