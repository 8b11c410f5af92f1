"""Sharing: who has access, invitations, what each person sees, the access log."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import access, clock, mail, once
from ..access import Action, Section
from ..auth import services as auth_services
from ..auth import sessions
from ..orgs import services as orgs
from . import ending, services, visits
from .forms import InviteForm, ShareForm, SupporterRegisterForm

bp = Blueprint("sharing", __name__)


@bp.route("/plans/<int:plan_id>/sharing", methods=["GET", "POST"])
@login_required
@once.creates
def manage(plan_id: int):
    plan = access.get_plan(plan_id, Section.COVER, Action.EDIT)
    form = InviteForm()
    link = None
    if form.validate_on_submit():
        if len(services.open_invites(plan)) >= services.INVITES_OPEN_MAX:
            flash(_("You have many open invitations. Take one back first."), "error")
        else:
            try:
                link = services.create_invite(
                    plan,
                    role=form.role.data,
                    label=form.label.data,
                    email=form.email.data,
                    last_day=form.last_day.data,
                )
                once.made(url_for("sharing.manage", plan_id=plan.id))
                form = InviteForm(formdata=None)
            except mail.NotSent:
                flash(
                    _(
                        "The e-mail could not be sent right now. Try again later, or leave the "
                        "e-mail address empty and send the link yourself."
                    ),
                    "error",
                )
    shares = services.shares_of(plan)
    return render_template(
        "sharing/manage.html",
        plan=plan,
        form=form,
        link=link,
        shares=shares,
        sees={share.id: access.shared_sections(share) for share in shares},
        places={share.id: orgs.verified_place(share) for share in shares},
        invites=services.open_invites(plan),
    ), (400 if form.errors else 200)


@bp.post("/invites/<int:invite_id>/revoke")
@login_required
def revoke_invite(invite_id: int):
    invite = access.get_invite(invite_id)
    plan_id = invite.plan_id
    services.revoke_invite(invite)
    flash(_("The invitation is taken back. The link does not work anymore."), "success")
    return redirect(url_for("sharing.manage", plan_id=plan_id))


@bp.route("/shares/<int:share_id>", methods=["GET", "POST"])
@login_required
def share(share_id: int):
    share = access.get_share(share_id)
    goals = share.plan.goals
    form = ShareForm() if request.method == "POST" else ShareForm.for_share(share)
    form.last_day_now = share.last_day
    form.goals.choices = [(g.id, g.title) for g in goals]
    if form.validate_on_submit():
        shown = set(form.goals.data or [])
        services.update_share(
            share,
            role=form.role.data,
            sees_intro=form.sees_intro.data,
            sees_about=form.sees_about.data,
            sees_media=form.sees_media.data,
            sees_reactions=form.sees_reactions.data,
            hidden_goal_ids={g.id for g in goals} - shown,
            last_day=form.last_day.data,
        )
        flash(_("Saved. This counts from their next click."), "success")
        return redirect(url_for("sharing.manage", plan_id=share.plan_id))
    return render_template(
        "sharing/share.html",
        share=share,
        plan=share.plan,
        form=form,
        place=orgs.verified_place(share),
    )


@bp.post("/shares/<int:share_id>/extend")
@login_required
def extend(share_id: int):
    share = access.get_share(share_id)
    try:
        seen = date.fromisoformat(request.form.get("last_day", ""))
    except ValueError:
        seen = None
    if ending.extend(share, seen):
        flash(_("Extended. %(name)s can look until %(date)s.", name=share.user.name,
                date=format_date(share.last_day, "d MMMM yyyy")), "success")  # fmt: skip
    elif share.last_day:
        flash(_("%(name)s can look until %(date)s.", name=share.user.name,
                date=format_date(share.last_day, "d MMMM yyyy")), "success")  # fmt: skip
    return redirect(url_for("sharing.manage", plan_id=share.plan_id))


@bp.post("/shares/<int:share_id>/revoke")
@login_required
def revoke(share_id: int):
    share = access.get_share(share_id)
    plan_id, name = share.plan_id, share.user.name
    services.revoke_share(share)
    flash(_("%(name)s cannot see your plan anymore.", name=name), "success")
    return redirect(url_for("sharing.manage", plan_id=plan_id))


@bp.get("/plans/<int:plan_id>/log")
@login_required
def log(plan_id: int):
    plan = access.get_plan(plan_id, Section.COVER, Action.EDIT)
    days = visits.readable(plan, services.access_events(plan))
    return render_template("sharing/log.html", plan=plan, days=days, today=clock.today())


def _invite_or_problem(token: str):
    try:
        return services.find_invite(token), None
    except services.InviteProblem as problem:
        return None, render_template("sharing/invite_problem.html", reason=problem.reason), 404


@bp.get("/invite/<token>")
def invite(token: str):
    invite, *problem = _invite_or_problem(token)
    if invite is None:
        return tuple(problem)
    return render_template("sharing/invite.html", invite=invite, token=token)


@bp.post("/invite/<token>/accept")
@login_required
def accept(token: str):
    invite, *problem = _invite_or_problem(token)
    if invite is None:
        return tuple(problem)
    if not access.may_accept_invite(current_user, invite):
        flash(
            _("This invitation is for someone else. Log out first, then open the link again."),
            "error",
        )
        return redirect(url_for("sharing.invite", token=token))
    try:
        share = services.accept_invite(invite, current_user)
    except services.InviteProblem as problem:  # another tap or person was first
        return render_template("sharing/invite_problem.html", reason=problem.reason), 404
    flash(
        _("Welcome! You can now see the plan of %(name)s.", name=share.plan.owner.name), "success"
    )
    return redirect(url_for("plan.home", plan_id=share.plan_id))


@bp.route("/invite/<token>/register", methods=["GET", "POST"])
def register(token: str):
    invite, *problem = _invite_or_problem(token)
    if invite is None:
        return tuple(problem)
    form = SupporterRegisterForm(data={"email": invite.email} if request.method == "GET" else None)
    if form.validate_on_submit():
        if auth_services.find_by_login(form.email.data) is not None:
            form.email.errors.append(
                _("This address has an account. Log in to accept the invitation.")
            )
        else:
            user = services.register_supporter(
                form.name.data, form.email.data, form.password.data, str(get_locale())
            )
            try:
                share = services.accept_invite(invite, user)
            except services.InviteProblem as problem:  # the account goes with the link
                return render_template("sharing/invite_problem.html", reason=problem.reason), 404
            auth_services.send_confirmation(user)
            sessions.start(user)
            flash(
                _("Welcome! You can now see the plan of %(name)s.", name=share.plan.owner.name),
                "success",
            )
            return redirect(url_for("plan.home", plan_id=share.plan_id))
    return render_template(
        "sharing/register.html",
        form=form,
        intro=_("With this account you see the plan of %(name)s.", name=invite.plan.owner.name),
        landing=url_for("sharing.invite", token=token),
    )
