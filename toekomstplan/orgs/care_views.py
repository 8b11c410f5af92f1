"""End of care: the worker marks the help finished; the young person renews or not."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import organisations as org_access
from ..access import workers
from . import care
from .views import bp


@bp.route("/plans/<int:plan_id>/end-of-care", methods=["GET", "POST"])
@login_required
def end_care(plan_id: int):
    plan, place = workers.get_plan_to_end_care(plan_id)
    if request.method == "POST":
        if care.end_care(plan, place, current_user._get_current_object()):
            flash(_("Done. %(name)s hears it and decides what happens with the plan.",
                    name=plan.owner.name), "success")  # fmt: skip
        else:
            flash(_("This was done already. %(name)s decides.", name=plan.owner.name), "info")
        return redirect(url_for("plan.start"))
    return render_template("orgs/end_care.html", plan=plan, place=place, days=care.GRACE_DAYS)


@bp.post("/notices/<int:notice_id>/renew")
@login_required
def renew_care(notice_id: int):
    notice = org_access.get_notice(notice_id)
    if notice.kind != "care_ended":
        return redirect(url_for("plan.start"))
    care.renew(notice)
    flash(_("You keep sharing. Nothing ends."), "success")
    return redirect(url_for("plan.start"))
