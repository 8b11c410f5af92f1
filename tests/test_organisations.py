"""Organisations: the operator creates one, its people join by a one-time link, and the young
person sees who comes from which organisation. No organisation role opens a plan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa

from toekomstplan.extensions import db
from toekomstplan.models import (
    AuditRecord,
    Membership,
    MembershipInvite,
    Organisation,
    Share,
    Team,
    User,
)
from toekomstplan.orgs import services as orgs

from .factories import post_form
from .test_at_once import together


def create(app, name="Jeugdformaat", admin="beheer@jeugdformaat.example"):
    return app.test_cli_runner().invoke(args=["orgs", "create", name, "--admin", admin])


def org_id(app, name="Jeugdformaat") -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Organisation.id).where(Organisation.name == name))


def invite_link(app, org: int, email: str, role="worker", team: str | None = None) -> str:
    with app.test_request_context():
        organisation = db.session.get(Organisation, org)
        team_row = None
        if team:
            team_row = Team(organisation_id=org, name=team)
            db.session.add(team_row)
            db.session.flush()
        link = orgs.invite_member(organisation, email, role, team=team_row)
    return urlsplit(link).path


def audit_events(app, org: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(AuditRecord.event)
                .where(AuditRecord.organisation_id == org)
                .order_by(AuditRecord.id)
            )
        )


def test_the_operator_creates_an_organisation_and_its_first_admin_gets_a_mail(app, mails):
    result = create(app)
    assert result.exit_code == 0, result.output
    assert "Created Jeugdformaat" in result.output
    (message,) = mails.to("beheer@jeugdformaat.example")
    assert "Jeugdformaat" in message["Subject"]
    path = mails.link(message)
    assert path.startswith("/join/") and path in result.output
    org = org_id(app)
    with app.app_context():
        invite = db.session.scalar(sa.select(MembershipInvite))
        assert invite.role == "admin" and invite.organisation_id == org
        assert invite.token_hash not in path  # only the hash is stored
    assert audit_events(app, org) == ["organisation_created", "member_invited"]


def test_a_taken_name_or_a_wrong_address_is_said_plainly_and_makes_nothing(app, mails):
    assert create(app).exit_code == 0
    again = create(app, admin="iemand@example.org")
    assert again.exit_code != 0 and "exists already" in again.output
    wrong = create(app, name="Tweede", admin="geen-adres")
    assert wrong.exit_code != 0 and "not an e-mail address" in wrong.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(MembershipInvite.id))) == 1
    assert len(mails()) == 1


def test_a_new_worker_joins_through_the_link_once(app, client, new_client, mails):
    create(app)
    org = org_id(app)
    path = invite_link(app, org, "mo@jeugdformaat.example", team="Noord")
    page = client.get(path)
    assert page.status_code == 200 and "Jeugdformaat" in page.get_data(as_text=True)
    form = {"name": "Mo", "email": "mo@jeugdformaat.example", "password": "een lange zin hier"}
    other = post_form(client, f"{path}/register", {**form, "email": "mo@gmail.example"})
    assert other.status_code == 400
    assert "address this invitation was sent to" in other.get_data(as_text=True)
    joined = post_form(client, f"{path}/register", form)
    assert joined.status_code == 302
    with app.app_context():
        membership = db.session.scalar(sa.select(Membership))
        assert membership.user.email == "mo@jeugdformaat.example"
        assert membership.user.email_confirmed  # the link came to that address
        assert membership.role == "worker" and membership.active
        assert [t.name for t in membership.teams] == ["Noord"]
    used = new_client().get(path)
    assert used.status_code == 404 and "already used" in used.get_data(as_text=True)
    assert audit_events(app, org)[-1] == "member_joined"


def test_unknown_and_expired_links_say_what_is_wrong(app, client):
    create(app)
    path = invite_link(app, org_id(app), "mo@jeugdformaat.example")
    assert "do not know this invitation" in client.get("/join/nonsense").get_data(as_text=True)
    with app.app_context():
        db.session.execute(
            sa.update(MembershipInvite).values(expires_at=datetime.now(UTC) - timedelta(hours=1))
        )
        db.session.commit()
    expired = client.get(path)
    assert expired.status_code == 404 and "older than 7 days" in expired.get_data(as_text=True)


def test_only_the_invited_address_and_never_a_young_person_may_take_it(
    app, client, make_user, login, youth
):
    create(app)
    path = invite_link(app, org_id(app), "mo@jeugdformaat.example")
    answer = post_form(client, f"{path}/accept", follow_redirects=True)  # Sam, a young person
    assert "This invitation is for mo@jeugdformaat.example" in answer.get_data(as_text=True)
    make_user(kind="supporter", login="kim@example.org", name="Kim")
    login(client, "kim@example.org")
    post_form(client, f"{path}/accept")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 0
        assert db.session.scalar(sa.select(MembershipInvite.used_at)) is None


def test_two_taps_at_once_make_one_membership(app, make_user, new_client, login):
    create(app)
    path = invite_link(app, org_id(app), "mo@jeugdformaat.example")
    make_user(kind="supporter", login="mo@jeugdformaat.example", name="Mo")
    browsers = []
    for _ in range(4):
        browser = new_client()
        login(browser, "mo@jeugdformaat.example")
        browsers.append(browser)
    answers = together(4, lambda i: post_form(browsers[i], f"{path}/accept"))
    codes = sorted(getattr(a, "status_code", repr(a)) for a in answers)
    assert codes.count(302) == 1 and set(codes) == {302, 404}, codes
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 1


def share_with(client, new_client, login, youth, email: str) -> None:
    """Sam invites the person with `email`, who accepts on a laptop of their own."""
    page = post_form(
        client,
        f"/plans/{youth.plan.id}/sharing",
        {"label": "begeleider", "role": "worker", "email": ""},
    )
    token = page.get_data(as_text=True).split("/invite/")[-1].split('"')[0].split("<")[0]
    laptop = new_client()
    login(laptop, email)
    assert post_form(laptop, f"/invite/{token}/accept").status_code == 302


def test_the_young_person_sees_who_comes_from_which_organisation(
    app, client, youth, make_user, new_client, login
):
    create(app)
    org = org_id(app)
    path = invite_link(app, org, "mo@jeugdformaat.example", team="Noord")
    make_user(kind="supporter", login="mo@jeugdformaat.example", name="Mo")
    make_user(kind="supporter", login="jeugdformaat@gmail.example", name="Mo van Jeugdformaat")
    laptop = new_client()
    login(laptop, "mo@jeugdformaat.example")
    assert post_form(laptop, f"{path}/accept").status_code == 302
    share_with(client, new_client, login, youth, "mo@jeugdformaat.example")
    share_with(client, new_client, login, youth, "jeugdformaat@gmail.example")
    page = client.get(f"/plans/{youth.plan.id}/sharing").get_data(as_text=True)
    assert page.count("Works at Jeugdformaat (team Noord)") == 1
    assert page.count("Not from an organisation") == 1  # a name cannot pose as a member
    with app.app_context():
        shares = {s.user.name: s for s in db.session.scalars(sa.select(Share))}
        assert shares["Mo"].membership_id is not None
        assert shares["Mo van Jeugdformaat"].membership_id is None
        one = shares["Mo"].id
    detail = client.get(f"/shares/{one}").get_data(as_text=True)
    assert "Works at Jeugdformaat (team Noord)" in detail
    assert audit_events(app, org)[-1] == "share_given"


def test_the_audit_log_holds_ids_never_names_or_addresses(app, make_user, client, login):
    create(app)
    path = invite_link(app, org_id(app), "mo@jeugdformaat.example")
    make_user(kind="supporter", login="mo@jeugdformaat.example", name="Mo Amrani")
    login(client, "mo@jeugdformaat.example")
    post_form(client, f"{path}/accept")
    with app.app_context():
        texts = [
            (r.event, r.on_behalf_of, r.detail) for r in db.session.scalars(sa.select(AuditRecord))
        ]
        mo = db.session.scalar(sa.select(User.id).where(User.name == "Mo Amrani"))
        assert db.session.scalar(sa.select(AuditRecord.subject_id).order_by(AuditRecord.id.desc()))
        assert mo is not None
    flat = " ".join(" ".join(t) for t in texts)
    assert "Mo" not in flat and "@" not in flat and "jeugdformaat" not in flat.lower()


def test_deleting_a_members_account_removes_the_membership_and_their_invitations(
    app, make_user, client, login
):
    create(app)
    org = org_id(app)
    path = invite_link(app, org, "mo@jeugdformaat.example")
    invite_link(app, org, "mo@jeugdformaat.example", role="team_lead")  # a second one, unused
    mo = make_user(kind="supporter", login="mo@jeugdformaat.example", name="Mo")
    login(client, "mo@jeugdformaat.example")
    post_form(client, f"{path}/accept")
    answer = post_form(client, "/account/delete", {"password": mo.password, "sure": "y"})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 0
        left = db.session.scalars(sa.select(MembershipInvite.email)).all()
        assert "mo@jeugdformaat.example" not in left
        assert db.session.get(Organisation, org) is not None  # the organisation stays
        assert audit_events(app, org)  # and so does its log (ids only)


def test_the_operator_deletes_an_organisation_and_the_plans_stay(app, client, login, make_user):
    worker = make_user(kind="supporter", login="mo@jeugdformaat.example", name="Mo")
    youth = make_user(name="Sam")
    assert create(app).exit_code == 0
    org = org_id(app)
    with app.app_context():
        place = Membership(organisation_id=org, user_id=worker.id)
        db.session.add(place)
        db.session.flush()
        db.session.add(
            Share(plan_id=youth.plan.id, user_id=worker.id, role="worker", membership_id=place.id)
        )
        db.session.commit()
    runner = app.test_cli_runner()
    assert "no organisation called" in runner.invoke(args=["orgs", "delete", "Kompaan"]).output
    refused = runner.invoke(args=["orgs", "delete", "Jeugdformaat"], input="n\n")
    assert refused.exit_code == 1 and org_id(app) == org
    done = runner.invoke(args=["orgs", "delete", "Jeugdformaat", "--yes"])
    assert done.exit_code == 0, done.output
    assert "1 plan(s) were shared through it" in done.output
    assert org_id(app) is None
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Share.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(MembershipInvite.id))) == 0
        assert db.session.get(User, youth.id).plan is not None
    assert audit_events(app, org)[-2:] == ["share_ended", "organisation_deleted"]
    login(client, youth.username)
    home = client.get(f"/plans/{youth.plan.id}").get_data(as_text=True)
    assert "Mo's organisation stopped using Toekomstplan." in home
