"""Joining an organisation: the membership invitation link."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import organisations as org_access
from ..auth import services as auth_services
from ..auth import sessions
from ..sharing import services as sharing_services
from ..sharing.forms import SupporterRegisterForm
from . import services

bp = Blueprint("orgs", __name__)


def _invite_or_problem(member_token: str):
    try:
        return services.find_invite(member_token), None
    except services.OrgProblem as problem:
        return None, (_problem(problem.reason), 404)


def _problem(reason: str) -> str:
    ask = _("Ask your organisation's administrator for a new link.")
    return render_template("sharing/invite_problem.html", reason=reason, ask=ask)


def _welcome(membership):
    flash(_("Welcome at %(org)s!", org=membership.organisation.name), "success")
    if membership.organisation.has_sso:  # link the work account now, while logged in
        return redirect(url_for("orgs.sso_link", org_id=membership.organisation_id))
    return redirect(url_for("plan.start"))


@bp.get("/join/<member_token>")
def join(member_token: str):
    invite, problem = _invite_or_problem(member_token)
    if invite is None:
        return problem
    return render_template("orgs/join.html", invite=invite, token=member_token)


@bp.post("/join/<member_token>/accept")
@login_required
def accept(member_token: str):
    invite, problem = _invite_or_problem(member_token)
    if invite is None:
        return problem
    if not org_access.may_join(current_user, invite):
        flash(
            _(
                "This invitation is for %(email)s. Log in with that address, "
                "or ask for an invitation to yours.",
                email=invite.email,
            ),
            "error",
        )
        return redirect(url_for("orgs.join", member_token=member_token))
    try:
        membership = services.accept_invite(invite, current_user)
    except services.OrgProblem as used:  # another tap was first
        return _problem(used.reason), 404
    return _welcome(membership)


@bp.route("/join/<member_token>/register", methods=["GET", "POST"])
def register(member_token: str):
    invite, problem = _invite_or_problem(member_token)
    if invite is None:
        return problem
    form = SupporterRegisterForm(data={"email": invite.email} if request.method == "GET" else None)
    if form.validate_on_submit():
        if form.email.data.strip().lower() != invite.email:
            form.email.errors.append(_("Use the address this invitation was sent to."))
        elif auth_services.find_by_login(form.email.data) is not None:
            form.email.errors.append(
                _("This address has an account. Log in to accept the invitation.")
            )
        else:
            user = sharing_services.register_supporter(
                form.name.data, form.email.data, form.password.data, str(get_locale())
            )
            user.email_confirmed = True  # the link came to this address
            try:
                membership = services.accept_invite(invite, user)
            except services.OrgProblem as used:  # the account goes with the link
                return _problem(used.reason), 404
            sessions.start(user)
            return _welcome(membership)
    intro = _(
        "With this account you work with Toekomstplan at %(org)s.", org=invite.organisation.name
    )
    landing = url_for("orgs.join", member_token=member_token)
    page = render_template("sharing/register.html", form=form, intro=intro, landing=landing)
    return page, (400 if form.errors else 200)


# The organisation's own pages, start links and log-in through it, on this blueprint.
from . import (  # noqa: E402, F401
    admin_views,
    care_views,
    sso_views,
    standin_views,
    start_views,
    team_views,
)
