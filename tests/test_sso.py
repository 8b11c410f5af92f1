"""Log in through the organisation, against a real OpenID provider (npm's oidc-provider on
loopback): linking is keyed on (issuer, subject), every check of the flow refuses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import sqlalchemy as sa

from toekomstplan.extensions import db
from toekomstplan.models import (
    AuditRecord,
    ExternalLogin,
    MemberRole,
    Membership,
    Organisation,
    User,
)
from toekomstplan.orgs import sso

from . import oidc_provider
from .conftest import PASSWORD
from .factories import post_form

BASE = "http://127.0.0.1:5000"
ACCOUNTS = {
    "mo-at-jf": {"email": "mo@jeugdformaat.example", "email_verified": True, "name": "Mo"},
    "mo-unverified": {"email": "mo@jeugdformaat.example", "email_verified": False},
    "eva-at-jf": {"email": "eva@jeugdformaat.example", "email_verified": True, "name": "Eva"},
}


@pytest.fixture(scope="module")
def provider():
    started = oidc_provider.start([f"{BASE}/login/org/callback"], ACCOUNTS)
    yield started
    started.stop()


@pytest.fixture(scope="module")
def other_provider():
    """Another provider: its own signing keys."""
    started = oidc_provider.start([f"{BASE}/login/org/callback"], ACCOUNTS)
    yield started
    started.stop()


@pytest.fixture
def app_config(app_config):
    return {**app_config, "OIDC_ALLOW_HTTP_LOOPBACK": True}


@dataclass
class World:
    org: int
    mo: User
    place: int
    admin: User


@pytest.fixture
def world(app, make_user, provider) -> World:
    mo = make_user(kind="supporter", login="mo@jeugdformaat.example", name="Mo")
    admin = make_user(kind="supporter", login="beheer@jeugdformaat.example", name="Anja")
    with app.app_context():
        org = Organisation(
            name="Jeugdformaat",
            oidc_issuer=provider.issuer,
            oidc_client_id=oidc_provider.CLIENT_ID,
            oidc_secret=sso.encrypt_secret(oidc_provider.CLIENT_SECRET),
        )
        db.session.add(org)
        db.session.flush()
        place = Membership(organisation_id=org.id, user_id=mo.id, role=MemberRole.WORKER)
        db.session.add_all(
            [place, Membership(organisation_id=org.id, user_id=admin.id, role=MemberRole.ADMIN)]
        )
        db.session.commit()
        return World(org.id, mo, place.id, admin)


def there(client, start: str, account: str, method: str = "get") -> str:
    """Start at `start`, log in at the provider as `account`; return our callback's path."""
    started = post_form(client, start) if method == "post" else client.get(start)
    assert started.status_code == 302, started.get_data(as_text=True)
    back = oidc_provider.log_in_there(started.location, account, f"{BASE}/login/org/callback")
    return back[len(BASE) :]


def link(client, login, world, account="mo-at-jf"):
    login(client, world.mo.email)
    assert "Link my work account" in client.get(f"/login/org/{world.org}/link").get_data(
        as_text=True
    )
    return client.get(there(client, f"/login/org/{world.org}/link", account, "post"))


def logged_in_as(client) -> str:
    return client.get("/").get_data(as_text=True)


def events(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditRecord.event).order_by(AuditRecord.id)))


def test_a_member_links_their_work_account_and_then_logs_in_with_it(
    app, client, new_client, login, world
):
    done = link(client, login, world)
    assert done.status_code == 302, done.get_data(as_text=True)
    assert "From now on you can log in with Jeugdformaat" in client.get("/").get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(sa.select(ExternalLogin))
        assert (row.issuer, row.subject, row.user_id) == (
            world_issuer(app, world),
            "mo-at-jf",
            world.mo.id,
        )
    phone = new_client()
    page = phone.get("/login").get_data(as_text=True)
    assert "Log in via Jeugdformaat" in page
    answer = phone.get(there(phone, f"/login/org/{world.org}", "mo-at-jf"))
    assert answer.status_code == 302
    assert "Hi Mo" in logged_in_as(phone)
    assert events(app)[-2:] == ["sso_linked", "sso_login"]


def world_issuer(app, world) -> str:
    with app.app_context():
        return db.session.get(Organisation, world.org).oidc_issuer


def test_a_wrong_state_or_a_replayed_code_is_refused(app, client, new_client, login, world):
    link(client, login, world)
    phone = new_client()
    back = there(phone, f"/login/org/{world.org}", "mo-at-jf")
    parts = urlsplit(back)
    query = dict(parse_qsl(parts.query))
    wrong = phone.get(f"{parts.path}?{urlencode({**query, 'state': 'not-the-state'})}")
    assert wrong.status_code == 400
    assert "Something went wrong on the way" in wrong.get_data(as_text=True)
    assert "Hi Mo" not in logged_in_as(phone)
    # A stolen answer, with the attempt of the browser it was meant for, works only once.
    thief = new_client()
    back = there(thief, f"/login/org/{world.org}", "mo-at-jf")
    with thief.session_transaction() as stored:
        attempt = dict(stored["oidc"])
    assert thief.get(back).status_code == 302
    replay = new_client()
    with replay.session_transaction() as stored:
        stored["oidc"] = attempt
    refused = replay.get(back)
    assert refused.status_code == 400
    assert "Hi Mo" not in logged_in_as(replay)


def test_a_wrong_nonce_or_a_token_signed_by_another_key_is_refused(
    app, client, new_client, login, world, other_provider, monkeypatch
):
    link(client, login, world)
    phone = new_client()
    back = there(phone, f"/login/org/{world.org}", "mo-at-jf")
    with phone.session_transaction() as stored:
        stored["oidc"] = {**stored["oidc"], "nonce": "another-nonce"}
    assert phone.get(back).status_code == 400
    assert "Hi Mo" not in logged_in_as(phone)
    issuer = world_issuer(app, world)
    expires, document = sso._metadata[issuer]
    other_keys = f"{other_provider.issuer}/jwks"
    monkeypatch.setitem(sso._metadata, issuer, (expires, {**document, "jwks_uri": other_keys}))
    other = new_client()
    refused = other.get(there(other, f"/login/org/{world.org}", "mo-at-jf"))
    assert refused.status_code == 400
    assert "Hi Mo" not in logged_in_as(other)
    monkeypatch.undo()
    assert "sso_login" not in events(app)


def test_an_unverified_or_other_address_and_a_subject_linked_elsewhere_make_no_link(
    app, client, new_client, login, make_user, world
):
    refused = link(client, login, world, "mo-unverified")
    assert "another e-mail address than this account, or the address is not" in refused.get_data(
        as_text=True
    )
    assert "another e-mail address" in link(new_client(), login, world, "eva-at-jf").get_data(
        as_text=True
    )
    eva = make_user(kind="supporter", login="eva@jeugdformaat.example", name="Eva")
    with app.app_context():
        db.session.add(
            ExternalLogin(
                organisation_id=world.org,
                user_id=eva.id,
                issuer=world_issuer(app, world),
                subject="mo-at-jf",
            )
        )
        db.session.commit()
    taken = link(new_client(), login, world)
    assert "already linked to another Toekomstplan account" in taken.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count(ExternalLogin.id)).where(
                    ExternalLogin.user_id == world.mo.id
                )
            )
            == 0
        )
    unknown = new_client()
    answer = unknown.get(there(unknown, f"/login/org/{world.org}", "someone-else"))
    assert "not linked to Toekomstplan yet" in answer.get_data(as_text=True)


def test_a_deactivated_member_cannot_log_in_through_the_organisation(
    app, client, new_client, login, world
):
    link(client, login, world)
    with app.app_context():
        db.session.get(Membership, world.place).active = False
        db.session.commit()
    phone = new_client()
    answer = phone.get(there(phone, f"/login/org/{world.org}", "mo-at-jf"))
    assert answer.status_code == 400
    assert "not a member of this organisation" in answer.get_data(as_text=True)
    assert "Hi Mo" not in logged_in_as(phone)


def test_when_the_organisation_requires_it_a_password_log_in_is_refused_for_members(
    app, client, new_client, login, make_user, world
):
    link(client, login, world)
    with app.app_context():
        db.session.get(Organisation, world.org).requires_sso = True
        db.session.commit()
    phone = new_client()
    refused = login(phone, world.mo.email)
    assert refused.status_code == 403
    assert "Jeugdformaat wants you to log in through Jeugdformaat" in refused.get_data(as_text=True)
    assert "Hi Mo" not in logged_in_as(phone)
    assert phone.get(there(phone, f"/login/org/{world.org}", "mo-at-jf")).status_code == 302
    assert "Hi Mo" in logged_in_as(phone)
    youth = make_user(name="Sam")
    assert login(new_client(), youth.username).status_code == 302  # young people always may


def test_a_young_persons_account_is_never_linked(app, client, new_client, login, make_user, world):
    youth = make_user(name="Sam")
    login(client, youth.username)
    assert client.get(f"/login/org/{world.org}/link").status_code == 404
    assert post_form(client, f"/login/org/{world.org}/link").status_code == 404
    with app.app_context():  # even a link made behind the site's back does not log them in
        db.session.add(
            ExternalLogin(
                organisation_id=world.org,
                user_id=youth.id,
                issuer=world_issuer(app, world),
                subject="eva-at-jf",
            )
        )
        db.session.commit()
    phone = new_client()
    answer = phone.get(there(phone, f"/login/org/{world.org}", "eva-at-jf"))
    assert answer.status_code == 400
    assert "Hi Sam" not in logged_in_as(phone)


def test_the_admin_sets_the_provider_and_the_secret_is_kept_encrypted(
    app, client, login, world, provider
):
    login(client, world.admin.email)
    with app.app_context():
        db.session.get(User, world.admin.id).totp_enabled_at = datetime.now(UTC)
        db.session.commit()
    form = {
        "sso-issuer": provider.issuer,
        "sso-client_id": oidc_provider.CLIENT_ID,
        "sso-client_secret": "a-new-secret-for-this-client",
    }
    app.config["OIDC_ALLOW_HTTP_LOOPBACK"] = False
    refused = post_form(client, f"/org/{world.org}/sso", form)
    assert refused.status_code == 400
    assert "must start with https://" in refused.get_data(as_text=True)
    app.config["OIDC_ALLOW_HTTP_LOOPBACK"] = True
    wrong = post_form(client, f"/org/{world.org}/sso", {**form, "sso-issuer": "http://127.0.0.1:9"})
    assert "does not answer at this address" in wrong.get_data(as_text=True)
    must = post_form(client, f"/org/{world.org}/sso", {**form, "sso-requires_sso": "y"})
    assert "Link your own work account first" in must.get_data(as_text=True)  # no lock-out
    saved = post_form(client, f"/org/{world.org}/sso", form)
    assert saved.status_code == 302
    page = client.get(f"/org/{world.org}").get_data(as_text=True)
    assert "a-new-secret-for-this-client" not in page
    with app.app_context():
        org = db.session.get(Organisation, world.org)
        assert org.requires_sso is False
        assert "a-new-secret" not in org.oidc_secret
        assert sso.decrypt_secret(org) == "a-new-secret-for-this-client"
    kept = post_form(client, f"/org/{world.org}/sso", {**form, "sso-client_secret": ""})
    assert kept.status_code == 302
    with app.app_context():
        assert sso.decrypt_secret(db.session.get(Organisation, world.org)) == (
            "a-new-secret-for-this-client"
        )
    other = {**form, "sso-client_id": "another-client", "sso-client_secret": ""}
    moved = post_form(client, f"/org/{world.org}/sso", other)
    assert "again, when the address or the client id changed" in moved.get_data(as_text=True)
    assert "sso_configured" in events(app)


def test_deleting_the_account_removes_its_link(app, client, login, world):
    link(client, login, world)
    assert post_form(
        client, "/account/delete", {"password": PASSWORD, "sure": "y"}
    ).status_code in (200, 302)
    with app.app_context():
        assert db.session.get(User, world.mo.id) is None
        assert db.session.scalar(sa.select(sa.func.count(ExternalLogin.id))) == 0


def test_a_required_log_in_sends_an_unlinked_member_to_link_and_survives_crafted_answers(
    app, client, new_client, login, world, mails
):
    with app.app_context():
        db.session.get(Organisation, world.org).requires_sso = True
        db.session.commit()
    first = login(client, world.mo.email)  # not linked yet: once more with the password
    assert first.status_code == 302 and first.location.endswith(f"/login/org/{world.org}/link")
    phone = new_client()
    phone.get(f"/login/org/{world.org}")  # an attempt is open in this browser
    for query in ("state=%C3%A9&code=x", "state=&code=", "error=access_denied", "code=x"):
        answer = phone.get(f"/login/org/callback?{query}")
        assert answer.status_code == 400, query
    link(new_client(), login, world)
    reset = new_client()
    post_form(reset, "/forgot", {"email": world.mo.email})
    path = mails.link(mails.to(world.mo.email)[-1])
    done = post_form(reset, path, {"password": "een heel nieuw wachtwoord"}, follow_redirects=True)
    assert "wants you to log in through Jeugdformaat" in done.get_data(as_text=True)
    assert "Hi Mo" not in logged_in_as(reset)  # a reset link does not get round the rule
