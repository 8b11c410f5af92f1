"""An organisation's own pages: members, teams, invitations, ending a member's place.

Only an active admin of the organisation reaches them (everyone else gets a 404), and only
with two-step log-in turned on. No page here shows or opens a plan.
"""

from flask import (
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from .. import mail, once
from ..access import organisations as org_access
from ..extensions import db
from . import admin, audit, services
from .forms import (
    DeleteOrganisationForm,
    MemberForm,
    MemberInviteForm,
    SettingsForm,
    SsoForm,
    TeamForm,
)
from .views import bp

PROBLEMS = {
    "no_name": lambda: _("Give the team a name."),
    "taken": lambda: _("There is a team with this name already."),
    "full": lambda: _("This organisation has the most teams it can have."),
    "no_role": lambda: _("Choose a role."),
    "no_email": lambda: _("This e-mail address is not complete."),
    "last_admin": lambda: _(
        "This is the last admin. Make someone else admin first, so the organisation keeps one."
    ),
}


def managed_org(org_id: int):
    """The organisation the current user administers (else 404), once they log in with two
    steps (else the page asking them to turn it on, 403)."""
    org = org_access.get_admin_org(org_id)
    _two_step_first()
    return org


def _managed_member(membership_id: int):
    membership = org_access.get_member(membership_id)
    _two_step_first()
    return membership


def _two_step_first() -> None:
    if not current_user.has_two_step:
        abort(make_response(render_template("orgs/two_step_first.html"), 403))


def _invite_form(org) -> MemberInviteForm:
    form = MemberInviteForm(prefix="invite")
    form.team.choices = [(0, _("No team yet"))] + [(t.id, t.name) for t in org.teams]
    return form


@bp.get("/org/<int:org_id>")
@login_required
def manage(org_id: int):
    org = managed_org(org_id)
    return page(org)


def page(org, *, team_form=None, invite_form=None, sso_form=None, status: int = 200):
    """The organisation's page; a form sent back with its problems is shown as it was."""
    sso_data = {
        "issuer": org.oidc_issuer,
        "client_id": org.oidc_client_id,
        "requires_sso": org.requires_sso,
    }
    return render_template(
        "orgs/manage.html",
        org=org,
        members=admin.members(org),
        team_form=team_form or TeamForm(prefix="team"),
        invite_form=invite_form or _invite_form(org),
        settings_form=SettingsForm(data={"requires_two_step": org.requires_two_step}),
        sso_form=sso_form
        or SsoForm(prefix="sso", data={**sso_data, "requires_sso": org.requires_sso}),
    ), status


@bp.get("/org/<int:org_id>/audit.csv")
@login_required
def audit_export(org_id: int):
    org = managed_org(org_id)
    org_id = org.id
    services.audit(org_id, "audit_exported", actor_id=current_user.id)
    db.session.commit()
    response = Response(stream_with_context(audit.csv_lines(org_id)), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="audit.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/org/<int:org_id>/settings")
@login_required
def settings(org_id: int):
    org = managed_org(org_id)
    form = SettingsForm()
    if form.validate_on_submit():
        admin.change_settings(org, bool(form.requires_two_step.data), current_user)
        flash(_("Saved."), "success")
    return redirect(url_for("orgs.manage", org_id=org_id))


@bp.route("/org/<int:org_id>/delete", methods=["GET", "POST"])
@login_required
def delete(org_id: int):
    org = managed_org(org_id)
    form = DeleteOrganisationForm()
    if form.validate_on_submit():
        if form.name.data.strip() != org.name:
            form.name.errors.append(_("That is not the name. Type it exactly as it is written."))
        else:
            name = org.name
            admin.delete_organisation(org, current_user)
            flash(_("%(org)s is deleted. The young people keep their plans.", org=name), "success")
            return redirect(url_for("plan.start"))
    counts = admin.counts(org)
    page = render_template("orgs/delete.html", org=org, form=form, counts=counts)
    return page, (400 if form.errors else 200)


@bp.post("/org/<int:org_id>/teams")
@login_required
@once.creates
def new_team(org_id: int):
    org = managed_org(org_id)
    form = TeamForm(prefix="team")
    if not form.validate_on_submit():
        return page(org, team_form=form, status=400)
    try:
        team = admin.create_team(org, form.name.data, current_user)
    except services.OrgProblem as problem:
        form.name.errors.append(PROBLEMS[problem.reason]())
        return page(org, team_form=form, status=400)
    flash(_("Team %(name)s is made.", name=team.name), "success")
    return redirect(url_for("orgs.manage", org_id=org.id))


@bp.post("/org/<int:org_id>/invite")
@login_required
@once.creates
def invite(org_id: int):
    org = managed_org(org_id)
    form = _invite_form(org)
    if not form.validate_on_submit():
        return page(org, invite_form=form, status=400)
    team = next((t for t in org.teams if t.id == form.team.data), None)
    try:
        services.invite_member(
            org, form.email.data, form.role.data, team=team, actor_id=current_user.id
        )
    except services.OrgProblem as problem:
        form.email.errors.append(PROBLEMS[problem.reason]())
        return page(org, invite_form=form, status=400)
    except mail.NotSent:
        flash(_("The e-mail could not be sent right now. Try again later."), "error")
        return page(org, invite_form=form, status=503)
    flash(_("Invitation sent to %(email)s.", email=form.email.data.strip()), "success")
    return redirect(url_for("orgs.manage", org_id=org.id))


@bp.route("/org/members/<int:membership_id>", methods=["GET", "POST"])
@login_required
def member(membership_id: int):
    membership = _managed_member(membership_id)
    org = membership.organisation
    form = (
        MemberForm()
        if request.method == "POST"
        else MemberForm(data={"role": membership.role, "teams": [t.id for t in membership.teams]})
    )
    form.teams.choices = [(t.id, t.name) for t in org.teams]
    if form.validate_on_submit():
        try:
            admin.change(membership, form.role.data, set(form.teams.data or []), current_user)
        except services.OrgProblem as problem:
            flash(PROBLEMS[problem.reason](), "error")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("orgs.manage", org_id=org.id))
    return render_template("orgs/member.html", org=org, membership=membership, form=form), (
        400 if form.errors else 200
    )


@bp.post("/org/members/<int:membership_id>/deactivate")
@login_required
def deactivate(membership_id: int):
    membership = _managed_member(membership_id)
    org_id, name = membership.organisation_id, membership.user.name
    if not membership.active:
        flash(_("%(name)s was not active anymore.", name=name), "success")
        return redirect(url_for("orgs.manage", org_id=org_id))
    try:
        plans = admin.deactivate(membership, current_user)
    except services.OrgProblem as problem:
        flash(PROBLEMS[problem.reason](), "error")
        return redirect(url_for("orgs.member", membership_id=membership_id))
    flash(
        ngettext(
            "%(name)s is no longer a member. Their access to %(num)d plan has ended and the "
            "young person is told.",
            "%(name)s is no longer a member. Their access to %(num)d plans has ended and the "
            "young people are told.",
            plans,
            name=name,
        ),
        "success",
    )
    return redirect(url_for("orgs.manage", org_id=org_id))


@bp.post("/notices/<int:notice_id>/seen")
@login_required
def notice_seen(notice_id: int):
    notice = org_access.get_notice(notice_id)
    admin.dismiss(notice)
    return redirect(url_for("plan.start"))
