"""An organisation's own pages: an admin (with two-step log-in) manages teams and members,
and ending a member's place ends their sessions and the shares they hold through it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from toekomstplan.extensions import db
from toekomstplan.models import (
    AuditRecord,
    MemberRole,
    Membership,
    Notice,
    Organisation,
    Share,
    ShareRole,
    Team,
    User,
)

from .factories import post_form


@dataclass
class Org:
    org: int
    other_org: int
    admin: User
    worker: User
    worker_place: int
    other_admin_place: int
    youth: User
    through_org: int  # Sam's share with Mo, given through Mo's membership
    personal: int  # Lina's share with Mo, given before Mo was a member


def _place(org_id: int, user: User, role: str) -> Membership:
    membership = Membership(organisation_id=org_id, user_id=user.id, role=role)
    db.session.add(membership)
    db.session.flush()
    return membership


@pytest.fixture
def world(app, make_user) -> Org:
    admin = make_user(kind="supporter", login="beheer@jeugdformaat.example", name="Anja")
    worker = make_user(kind="supporter", login="mo@jeugdformaat.example", name="Mo")
    other_admin = make_user(kind="supporter", login="beheer@kompaan.example", name="Kees")
    youth = make_user(name="Sam")
    lina = make_user(name="Lina")
    with app.app_context():
        org, other = Organisation(name="Jeugdformaat"), Organisation(name="Kompaan")
        org.teams = [Team(name="Noord"), Team(name="Zuid")]
        db.session.add_all([org, other])
        db.session.flush()
        _place(org.id, admin, MemberRole.ADMIN)
        mo = _place(org.id, worker, MemberRole.WORKER)
        kees = _place(other.id, other_admin, MemberRole.ADMIN)
        through = Share(
            plan_id=youth.plan.id, user_id=worker.id, role=ShareRole.WORKER, membership_id=mo.id
        )
        personal = Share(plan_id=lina.plan.id, user_id=worker.id, role=ShareRole.WORKER)
        db.session.add_all([through, personal])
        db.session.commit()
        return Org(org.id, other.id, admin, worker, mo.id, kees.id, youth, through.id, personal.id)


def two_step_on(app, *people: User) -> None:
    """Two-step log-in on, after the log-in (the code itself is tested in test_two_step)."""
    with app.app_context():
        for person in people:
            db.session.get(User, person.id).totp_enabled_at = datetime.now(UTC)
        db.session.commit()


@pytest.fixture
def admin_client(app, client, login, world):
    login(client, world.admin.email)
    two_step_on(app, world.admin)
    return client


def test_the_admin_sees_members_and_teams_but_no_plan(admin_client, world):
    page = admin_client.get(f"/org/{world.org}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "csrf" not in title  # only the name, no markup or token
    assert "Mo" in html and "mo@jeugdformaat.example" in html and "Noord" in html
    assert f"/plans/{world.youth.plan.id}" not in html  # no plan, not even a link


def test_an_admin_without_two_step_log_in_is_asked_to_turn_it_on(app, admin_client, world):
    with app.app_context():
        db.session.get(User, world.admin.id).totp_enabled_at = None
        db.session.commit()
    page = admin_client.get(f"/org/{world.org}")
    assert page.status_code == 403 and "Two-step log-in first" in page.get_data(as_text=True)
    assert (
        post_form(admin_client, f"/org/{world.org}/teams", {"team-name": "Oost"}).status_code == 403
    )


def test_nobody_but_its_admins_reaches_an_organisation(app, client, new_client, login, world):
    mo = new_client()
    login(mo, world.worker.email)
    sam = new_client()
    login(sam, world.youth.username)
    kees = new_client()
    login(kees, "beheer@kompaan.example")
    with app.app_context():
        two_step_on(app, db.session.scalar(sa.select(User).where(User.name == "Kees")))
    for browser in (client, mo, sam, kees):  # anonymous, a worker, a young person, admin of B
        assert browser.get(f"/org/{world.org}").status_code in (302, 404)
        assert browser.get(f"/org/members/{world.worker_place}").status_code in (302, 404)
        answer = post_form(browser, f"/org/members/{world.worker_place}/deactivate")
        assert answer.status_code in (302, 404)
        if browser is not client:
            assert answer.status_code == 404
    login(client, world.admin.email)  # and A's admin reaches nothing of B
    two_step_on(app, world.admin)
    assert client.get(f"/org/{world.other_org}").status_code == 404
    assert client.get(f"/org/members/{world.other_admin_place}").status_code == 404


def test_the_admin_makes_a_team_and_invites_a_colleague(app, admin_client, world, mails):
    made = post_form(admin_client, f"/org/{world.org}/teams", {"team-name": "Oost"})
    assert made.status_code == 302
    again = post_form(admin_client, f"/org/{world.org}/teams", {"team-name": "oost"})
    assert again.status_code == 400 and "team with this name" in again.get_data(as_text=True)
    with app.app_context():
        oost = db.session.scalar(sa.select(Team.id).where(Team.name == "Oost"))
    form = {"invite-email": "nieuw@jeugdformaat.example", "invite-role": "worker"}
    sent = post_form(admin_client, f"/org/{world.org}/invite", {**form, "invite-team": oost})
    assert sent.status_code == 302
    (message,) = mails.to("nieuw@jeugdformaat.example")
    assert mails.link(message).startswith("/join/")
    with app.app_context():
        events = db.session.scalars(sa.select(AuditRecord.event).order_by(AuditRecord.id)).all()
        actors = db.session.scalars(sa.select(AuditRecord.actor_id)).all()
    assert events == ["team_created", "member_invited"] and set(actors) == {world.admin.id}


def test_the_admin_changes_role_and_teams_and_the_last_admin_stays(app, admin_client, world):
    with app.app_context():
        noord = db.session.scalar(sa.select(Team.id).where(Team.name == "Noord"))
        own = db.session.scalar(
            sa.select(Membership.id).where(Membership.user_id == world.admin.id)
        )
    saved = post_form(
        admin_client,
        f"/org/members/{world.worker_place}",
        {"role": "team_lead", "teams": [noord, 999999]},  # another organisation's team: ignored
    )
    assert saved.status_code == 302
    with app.app_context():
        mo = db.session.get(Membership, world.worker_place)
        assert mo.role == "team_lead" and [t.name for t in mo.teams] == ["Noord"]
    refused = post_form(
        admin_client, f"/org/members/{own}", {"role": "worker"}, follow_redirects=True
    )
    assert "last admin" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Membership, own).role == "admin"


def test_ending_a_membership_ends_sessions_and_shares_and_tells_the_young_person(
    app, admin_client, world, new_client, login
):
    mo = new_client()
    login(mo, world.worker.email)
    assert mo.get(f"/plans/{world.youth.plan.id}").status_code == 200
    sam = new_client()
    login(sam, world.youth.username)
    ended = post_form(
        admin_client, f"/org/members/{world.worker_place}/deactivate", follow_redirects=True
    )
    assert "Mo is no longer a member. Their access to 1 plan has" in ended.get_data(as_text=True)
    assert mo.get(f"/plans/{world.youth.plan.id}").status_code == 302  # logged out at once
    login(mo, world.worker.email)
    assert mo.get(f"/plans/{world.youth.plan.id}").status_code == 404  # the share is gone
    with app.app_context():
        assert db.session.get(Share, world.through_org) is None
        assert db.session.get(Share, world.personal) is not None  # Lina shared herself
        assert db.session.get(Membership, world.worker_place).active is False
        notice = db.session.scalar(sa.select(Notice))
        assert notice.user_id == world.youth.id
    home = sam.get(f"/plans/{world.youth.plan.id}").get_data(as_text=True)
    assert "Mo no longer works at Jeugdformaat." in home
    assert "Mo cannot see your plan anymore." in home
    assert post_form(sam, f"/notices/{notice.id}/seen").status_code == 302
    assert "no longer works at" not in sam.get(f"/plans/{world.youth.plan.id}").get_data(
        as_text=True
    )
    assert post_form(mo, f"/notices/{notice.id}/seen").status_code == 404  # not Mo's notice
    again = post_form(
        admin_client, f"/org/members/{world.worker_place}/deactivate", follow_redirects=True
    )
    assert "was not active anymore" in again.get_data(as_text=True)
    with app.app_context():
        events = db.session.scalars(sa.select(AuditRecord.event).order_by(AuditRecord.id)).all()
        assert events == ["plan_opened", "share_ended", "member_deactivated"]
        assert db.session.scalar(sa.select(sa.func.count(Notice.id))) == 1


def test_the_last_admin_cannot_end_their_own_place(app, admin_client, world):
    with app.app_context():
        own = db.session.scalar(
            sa.select(Membership.id).where(Membership.user_id == world.admin.id)
        )
    answer = post_form(admin_client, f"/org/members/{own}/deactivate", follow_redirects=True)
    assert "last admin" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Membership, own).active is True


def test_pages_opened_through_the_organisation_are_in_its_audit_export(
    app, admin_client, world, new_client, login
):
    mo = new_client()
    login(mo, world.worker.email)
    assert mo.get(f"/plans/{world.youth.plan.id}").status_code == 200
    assert mo.get(f"/plans/{world.youth.plan.id}/goals").status_code == 200
    with app.app_context():
        lina = db.session.get(Share, world.personal).plan_id
        db.session.add(
            AuditRecord(
                organisation_id=world.org, event="=HYPERLINK(1)", on_behalf_of="organisation"
            )
        )
        db.session.commit()
    assert mo.get(f"/plans/{lina}").status_code == 200  # Lina shared herself: not the org's
    export = admin_client.get(f"/org/{world.org}/audit.csv")
    assert export.status_code == 200
    assert export.mimetype == "text/csv"
    assert export.headers["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    opened = [row for row in rows if row["event"] == "plan_opened"]
    assert [(r["actor_name"], r["plan_id"], r["on_behalf_of"]) for r in opened] == [
        ("Mo", str(world.youth.plan.id), "organisation")
    ] * 2  # the plan home and the goals, not Lina's plan
    assert str(lina) not in {row["plan_id"] for row in rows}
    assert "'=HYPERLINK(1)" in {row["event"] for row in rows}  # a formula is written as text
    assert "Sam" not in export.get_data(as_text=True)  # no young person's name, no content
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(AuditRecord.actor_id).where(AuditRecord.event == "audit_exported")
            )
            == world.admin.id
        )
    other = new_client()
    login(other, world.worker.email)
    assert other.get(f"/org/{world.org}/audit.csv").status_code == 404
    assert admin_client.get(f"/org/{world.other_org}/audit.csv").status_code == 404


def test_an_organisation_can_require_two_step_log_in_for_its_members(
    app, admin_client, world, new_client, login
):
    mo = new_client()
    login(mo, world.worker.email)
    assert mo.get(f"/plans/{world.youth.plan.id}").status_code == 200
    post_form(admin_client, f"/org/{world.org}/settings", {"requires_two_step": "y"})
    with app.app_context():
        assert db.session.get(Organisation, world.org).requires_two_step is True
    asked = mo.get(f"/plans/{world.youth.plan.id}")
    assert asked.status_code == 302 and asked.location.endswith("/account/two-step")
    sam = new_client()
    login(sam, world.youth.username)
    assert sam.get(f"/plans/{world.youth.plan.id}").status_code == 200  # not for young people
    two_step_on(app, world.worker)
    assert mo.get(f"/plans/{world.youth.plan.id}").status_code == 200
    post_form(admin_client, f"/org/{world.org}/settings", {})
    with app.app_context():
        assert db.session.get(Organisation, world.org).requires_two_step is False
        events = db.session.scalars(
            sa.select(AuditRecord.detail)
            .where(AuditRecord.event == "settings_changed")
            .order_by(AuditRecord.id)
        ).all()
        assert events == ["two_step:True", "two_step:False"]


def test_deleting_the_organisation_ends_every_place_and_keeps_every_plan(
    app, admin_client, world, new_client, login
):
    mo = new_client()
    login(mo, world.worker.email)
    sam = new_client()
    login(sam, world.youth.username)
    page = admin_client.get(f"/org/{world.org}/delete").get_data(as_text=True)
    assert "2 members lose their place" in page
    assert "1 young person shared their plan through Jeugdformaat" in page
    wrong = post_form(admin_client, f"/org/{world.org}/delete", {"name": "Jeugd"})
    assert wrong.status_code == 400
    assert "That is not the name" in wrong.get_data(as_text=True)
    assert (
        post_form(admin_client, f"/org/{world.org}/delete", {"name": "Kompaan"}).status_code == 400
    )
    done = post_form(
        admin_client, f"/org/{world.org}/delete", {"name": "Jeugdformaat"}, follow_redirects=True
    )
    assert "The young people keep their plans" in done.get_data(as_text=True)
    assert mo.get(f"/plans/{world.youth.plan.id}").status_code == 302  # logged out at once
    login(mo, world.worker.email)
    assert mo.get(f"/plans/{world.youth.plan.id}").status_code == 404
    assert mo.get(f"/plans/{db_plan_of(app, world.personal)}").status_code == 200  # Lina's own
    home = sam.get(f"/plans/{world.youth.plan.id}").get_data(as_text=True)
    assert "Mo's organisation stopped using Toekomstplan." in home
    with app.app_context():
        assert db.session.get(Organisation, world.org) is None
        assert db.session.get(Organisation, world.other_org) is not None
        assert (
            db.session.scalar(
                sa.select(sa.func.count(Membership.id)).where(
                    Membership.organisation_id == world.org
                )
            )
            == 0
        )
        assert (
            db.session.scalar(
                sa.select(sa.func.count(Team.id)).where(Team.organisation_id == world.org)
            )
            == 0
        )
        assert db.session.get(Share, world.through_org) is None
        assert db.session.get(User, world.youth.id).plan is not None  # the plan stays
        events = db.session.scalars(
            sa.select(AuditRecord.event).where(AuditRecord.organisation_id == world.org)
        ).all()
        assert "organisation_deleted" in events and "share_ended" in events
    assert admin_client.get(f"/org/{world.org}").status_code == 302  # the admin's place too


def db_plan_of(app, share_id: int) -> int:
    with app.app_context():
        return db.session.get(Share, share_id).plan_id
