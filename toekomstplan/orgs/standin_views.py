"""A stand-in during leave: the worker asks (/leave), each young person answers."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired

from .. import ids, once
from ..access import organisations as org_access
from . import standins
from .views import bp

PROBLEMS = {
    "colleague": _l("Choose a colleague of your organisation."),
    "date": _l("Choose a day from today, within a year."),
    "nobody": _l("Nobody shares their plan with you through this organisation now."),
}


class LeaveForm(FlaskForm):
    colleague = SelectField(_l("Who stands in for you?"), coerce=int, validate_choice=False)
    until = DateField(
        _l("Until when are you away?"),
        validators=[InputRequired(message=_l("Choose a day."))],
        render_kw={"type": "date"},
    )


@bp.route("/leave", methods=["GET", "POST"])
@login_required
@once.creates  # a double tap asks the young people once
def leave():
    org_id = request.args.get("org", type=int)
    place = org_access.get_leave_place(org_id if org_id and ids.fits(org_id) else None)
    places = org_access.own_places(current_user)  # a worker in two organisations chooses
    if not standins.shared_through(place):  # nothing to ask: the page says so
        return render_template("orgs/leave.html", form=None, place=place, places=places)
    form = LeaveForm()
    form.colleague.choices = [(c.id, c.user.name) for c in standins.colleagues(place)]
    if form.validate_on_submit():
        try:
            asked = standins.ask(place, form.colleague.data, form.until.data)
        except standins.NotPossible as problem:
            form.until.errors = [*form.until.errors, str(PROBLEMS[problem.reason])]
        else:
            flash(
                ngettext("Asked. %(num)d young person decides whether %(name)s may look "
                         "along until %(date)s.",
                         "Asked. %(num)d young people decide themselves whether %(name)s may "
                         "look along until %(date)s.", asked,
                         name=dict(form.colleague.choices)[form.colleague.data],
                         date=format_date(form.until.data, "d MMMM")),
                "success",
            )  # fmt: skip
            return redirect(url_for("plan.start"))
    page = render_template("orgs/leave.html", form=form, place=place, places=places)
    return page, (400 if form.errors else 200)


@bp.post("/stand-in-asks/<int:ask_id>")
@login_required
def answer_stand_in(ask_id: int):
    ask = org_access.get_stand_in_ask(ask_id)
    yes = request.form.get("answer") == "yes"
    colleague = ask.stand_in.colleague.name
    if not standins.answer(ask, yes):
        flash(_("This question is no longer open."), "info")
    elif yes:
        flash(_("%(name)s may look along until %(date)s. You can change that on the sharing "
                "page.", name=colleague, date=format_date(ask.stand_in.until, "d MMMM")),
              "success")  # fmt: skip
    else:
        flash(_("OK. %(name)s does not look along.", name=colleague), "success")
    return redirect(url_for("plan.home", plan_id=ask.plan_id))
