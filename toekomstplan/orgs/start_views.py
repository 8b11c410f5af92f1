"""The pages of a start link: the worker makes it, the young person confirms what they share."""

import segno
from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import workers
from ..extensions import limiter
from . import start
from .forms import StartConfirmForm
from .services import OrgProblem
from .views import _problem, bp

LINKS_PER_HOUR = "30 per hour"


@bp.post("/start-links")
@login_required
@limiter.limit(LINKS_PER_HOUR, key_func=lambda: f"start-link|{current_user.id}")
def new_start_link():
    membership = workers.get_start_link_place()
    link = start.make_link(membership)
    # A QR code the young person scans from the worker's screen, drawn here (segno).
    qr = segno.make(link, error="m")
    html = render_template(
        "orgs/start_made.html",
        link=link,
        membership=membership,
        qr_src=qr.svg_data_uri(scale=5),
        qr_size=int(qr.symbol_size(scale=5)[0]),
    )
    return html, 200, {"Cache-Control": "no-store"}


def _link_or_problem(start_token: str):
    try:
        return start.find_link(start_token), None
    except OrgProblem as problem:
        ask = _("Ask your support worker for a new link.")
        return None, (
            render_template("sharing/invite_problem.html", reason=problem.reason, ask=ask),
            404,
        )


@bp.route("/start/<start_token>", methods=["GET", "POST"])
def start_page(start_token: str):
    link, problem = _link_or_problem(start_token)
    if link is None:
        return problem
    here = url_for("orgs.start_page", start_token=start_token)
    if not current_user.is_authenticated:
        session["after_confirm"] = here  # an e-mail address is confirmed first, then back here
        return render_template("orgs/start.html", link=link, here=here, form=None)
    if not current_user.is_youth:
        return render_template("orgs/start.html", link=link, here=here, form=None, not_youth=True)
    existing = start.existing_share(link, current_user)
    form = (
        StartConfirmForm(obj=existing)  # what the worker sees now is where the form starts
        if existing is not None and request.method == "GET"
        else StartConfirmForm()
    )
    if form.validate_on_submit():
        sees = {
            "intro": form.sees_intro.data,
            "about": form.sees_about.data,
            "media": form.sees_media.data,
        }
        try:
            start.use_link(link, current_user, sees)
        except OrgProblem as used:
            return _problem(used.reason), 404
        name = link.membership.user.name
        flash(
            _(
                "%(name)s can now see your plan. You can change what %(name)s sees at any "
                "time, under “Who can see it?”.",
                name=name,
            ),
            "success",
        )
        return redirect(url_for("plan.start"))
    return render_template("orgs/start.html", link=link, here=here, form=form), (
        400 if request.method == "POST" else 200
    )
