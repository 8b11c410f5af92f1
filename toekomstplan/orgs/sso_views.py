"""Log in through the organisation: the start, the provider's answer, linking, the settings."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import http
from ..access import organisations as org_access
from ..auth.entry import finish_login
from ..extensions import db, limiter
from ..models import Organisation
from . import admin_views, sso, sso_links
from .forms import SsoForm
from .views import bp

ATTEMPTS = "30 per hour"


def _problem(reason: str, org: Organisation | None = None, status: int = 400):
    return render_template("orgs/sso_problem.html", reason=reason, org=org), status


@bp.get("/login/org/<int:org_id>")
@limiter.limit(ATTEMPTS)
def sso_login(org_id: int):
    if current_user.is_authenticated:
        return redirect(url_for("plan.start"))
    org = db.session.get(Organisation, org_id)
    if org is None or not org.has_sso:
        return _problem("not_set_up", status=404)
    try:
        return redirect(sso.begin(org, link=False))
    except sso.SsoProblem as problem:
        return _problem(problem.reason, org, 503)


@bp.route("/login/org/<int:org_id>/link", methods=["GET", "POST"])
@login_required
def sso_link(org_id: int):
    place = org_access.get_own_place(org_id)
    org = place.organisation
    if not org.has_sso:
        return _problem("not_set_up", org, 404)
    if request.method == "GET":
        http.allow_form_target(sso.form_origin(org))
        return render_template("orgs/sso_link.html", org=org)
    try:
        return redirect(sso.begin(org, link=True))
    except sso.SsoProblem as problem:
        return _problem(problem.reason, org, 503)


@bp.get("/login/org/callback")
@limiter.limit(ATTEMPTS)
def sso_callback():
    try:
        org, claims, link = sso.finish(request.args)
        if link:
            if not current_user.is_authenticated:
                raise sso.SsoProblem("no_attempt")
            place = org_access.get_own_place(org.id)
            sso_links.link_account(org, claims, current_user, place)
            flash(_("Done. From now on you can log in with %(org)s.", org=org.name), "success")
            return redirect(url_for("plan.start"))
        user = sso_links.linked_user(org, claims)
    except sso.SsoProblem as problem:
        # For the operator: why (never a token or a claim), and what the library said.
        cause = problem.__cause__
        current_app.logger.info(
            "log-in through an organisation refused: %s (%r)", problem.reason, cause
        )
        return _problem(problem.reason)
    return finish_login(user)


@bp.post("/org/<int:org_id>/sso")
@login_required
def sso_settings(org_id: int):
    org = admin_views.managed_org(org_id)
    form = SsoForm(prefix="sso")
    if form.validate_on_submit():
        try:
            sso.configure(
                org,
                form.issuer.data,
                form.client_id.data,
                form.client_secret.data or "",
                bool(form.requires_sso.data),
                current_user,
            )
        except sso.SsoProblem as problem:
            form.issuer.errors.append(SETTINGS_PROBLEMS[problem.reason]())
        else:
            flash(_("Saved. Your members can log in with %(org)s.", org=org.name), "success")
            return redirect(url_for("orgs.manage", org_id=org_id))
    return admin_views.page(org, sso_form=form, status=400)


SETTINGS_PROBLEMS = {
    "not_https": lambda: _("The address of the provider must start with https://."),
    "incomplete": lambda: _(
        "Fill in the client id and the client secret (again, when the address or the client "
        "id changed)."
    ),
    "link_first": lambda: _(
        "Link your own work account first (log in with it once), then make it a must."
    ),
    "unreachable": lambda: _(
        "The provider does not answer at this address, or says it is another provider. "
        "Check the address (the issuer)."
    ),
}
