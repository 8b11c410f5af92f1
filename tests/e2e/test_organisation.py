"""An organisation's whole path in the browser: the admin (laptop) makes a team and invites
a worker; the worker accepts, links their work account at the organisation's real OpenID
provider and logs in with it, and makes a start link; a young person (phone) registers
through it and confirms what the worker will see; the admin ends the worker's place, the
young person is told and the worker is refused on the next request. The organisation's new
pages pass axe, in Dutch and English."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from toekomstplan.extensions import db
from toekomstplan.models import MemberRole, Membership, Organisation, Share, User, UserKind
from toekomstplan.orgs import sso
from toekomstplan.passwords import hash_password

from .. import oidc_provider
from ..conftest import PASSWORD, Outbox
from .conftest import CHROMIUM_ARGS  # noqa: F401  (the browser is conftest's)

pytestmark = pytest.mark.e2e
LAPTOP = {"width": 1280, "height": 800}
_orgs = itertools.count(1)


@pytest.fixture(scope="module")
def provider(live_server):
    accounts = {
        f"mo-{n}": {"email": f"mo{n}@jf.example", "email_verified": True, "name": "Mo"}
        for n in range(1, 20)
    }
    started = oidc_provider.start([f"{live_server}/login/org/callback"], accounts)
    yield started
    started.stop()


@pytest.fixture
def organisation(live_app, provider):
    """Jeugdformaat-N with its provider set, and Anja, its admin, with two-step log-in."""
    n = next(_orgs)
    secret = pyotp.random_base32()
    with live_app.app_context():
        admin = User(
            kind=UserKind.SUPPORTER,
            name="Anja",
            email=f"anja{n}@jf.example",
            email_confirmed=True,
            password_hash=hash_password(PASSWORD),
            totp_secret=secret,
            totp_enabled_at=datetime.now(UTC),
        )
        org = Organisation(
            name=f"Jeugdformaat {n}",
            oidc_issuer=provider.issuer,
            oidc_client_id=oidc_provider.CLIENT_ID,
            oidc_secret=sso.encrypt_secret(oidc_provider.CLIENT_SECRET),
        )
        db.session.add_all([admin, org])
        db.session.flush()
        db.session.add(Membership(organisation_id=org.id, user_id=admin.id, role=MemberRole.ADMIN))
        db.session.commit()
        return {
            "id": org.id,
            "name": org.name,
            "n": n,
            "admin": admin.email,
            "admin_id": admin.id,
            "totp": secret,
        }


def laptop(browser: Browser, base_url: str, locale: str = "en-GB") -> Page:
    context = browser.new_context(base_url=base_url, viewport=LAPTOP, locale=locale)
    context.set_default_timeout(15_000)
    return context.new_page()


def admin_logs_in(page: Page, org: dict) -> None:
    page.goto("/login")
    page.locator("#login").fill(org["admin"])
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/login/code")
    page.locator("#code").fill(pyotp.TOTP(org["totp"]).now())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))


def test_the_whole_path_of_an_organisation(browser, live_server, live_app, organisation, page):
    org, worker_email = organisation, f"mo{organisation['n']}@jf.example"
    # The admin makes team Noord and invites Mo into it.
    admin = laptop(browser, live_server)
    admin_logs_in(admin, org)
    admin.get_by_role("link", name=f"Manage the people of {org['name']}").click()
    admin.locator("#team-name").fill("Noord")
    admin.get_by_role("button", name="Make the team").click()
    expect(admin.locator(".flash")).to_contain_text("Team Noord is made.")
    admin.locator("#invite-email").fill(worker_email)
    admin.get_by_label("Worker: young people can share their plan with them").check()
    admin.locator("#invite-team").select_option(label="Noord")
    admin.get_by_role("button", name="Send the invitation").click()
    expect(admin.locator(".flash")).to_contain_text(f"Invitation sent to {worker_email}")
    (mail,) = Outbox(live_app.config["MAIL_OUTBOX"]).to(worker_email)

    # Mo makes an account with the invitation, links the work account and logs in with it.
    mo = laptop(browser, live_server)
    mo.goto(Outbox.link(mail))
    mo.get_by_role("link", name="Make an account").click()
    mo.locator("#name").fill("Mo")
    mo.locator("#password").fill(PASSWORD)
    mo.locator("main form button[type=submit]").click()
    expect(mo.locator("h1")).to_have_text(f"Log in with {org['name']}")
    mo.get_by_role("button", name="Link my work account").click()
    mo.locator("input[name=login]").fill(f"mo-{org['n']}")  # the provider's own page
    mo.locator("input[name=password]").fill("anything")
    mo.locator("button[type=submit]").click()
    expect(mo.locator(".flash")).to_contain_text(f"From now on you can log in with {org['name']}")
    mo.locator("form[action='/logout'] button").first.click()
    mo.goto("/login")
    mo.get_by_role("link", name=f"Log in via {org['name']}").click()
    expect(mo.locator("h1")).to_have_text("Hi Mo")

    # Mo makes a start link; Noor registers through it on her phone and confirms.
    mo.get_by_role("button", name="Make a start link").click()
    start_link = mo.locator("#start-link").input_value()
    page.goto(start_link)
    expect(page.locator(".lead")).to_contain_text(
        f"Mo, support worker at {org['name']} (team Noord), would like to help you"
    )
    page.get_by_role("link", name="Make my account").click()
    page.locator("#name").fill("Noor")
    page.locator("#login").fill(f"noor{org['n']}")
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.get_by_role("link", name="I kept my key").click()
    expect(page.get_by_text("What may Mo see?")).to_be_visible()
    page.get_by_label("Photos and videos").uncheck()
    page.get_by_role("button", name="Yes, share my plan with Mo").click()
    expect(page.locator(".flash")).to_contain_text("Mo can now see your plan.")
    with live_app.app_context():
        share = (
            db.session.query(Share)
            .join(User, User.id == Share.user_id)
            .filter(User.email == worker_email)
            .one()
        )
        assert share.membership_id is not None and share.sees_media is False
        plan_id = share.plan_id
    mo.goto(f"/plans/{plan_id}")
    expect(mo.get_by_role("heading", name="Future plan of Noor")).to_be_attached()

    # The admin ends Mo's place: Noor is told, Mo is refused on the next request.
    admin.goto(f"/org/{org['id']}")
    admin.get_by_role("link", name="Change Mo").click()
    admin.once("dialog", lambda dialog: dialog.accept())  # "End the membership of Mo?"
    admin.get_by_role("button", name="End the membership").click()
    expect(admin.locator(".flash")).to_contain_text("Mo is no longer a member.")
    page.reload()
    expect(page.get_by_text(f"Mo no longer works at {org['name']}.")).to_be_visible()
    expect(page.get_by_role("link", name="Invite my new worker")).to_be_visible()
    mo.goto(f"/plans/{plan_id}")
    expect(mo).to_have_url(re.compile(r"/login"))
    mo.get_by_role("link", name=f"Log in via {org['name']}").click()
    expect(mo.locator("h1")).to_have_text("Logging in did not work")
    expect(mo.locator("main")).to_contain_text("not a member of this organisation")
    admin.screenshot(path=str(live_app.instance_path) + "/org-admin-1280.png", full_page=True)
    page.screenshot(path=str(live_app.instance_path) + "/org-notice-360.png", full_page=True)


AXE_PAGES = ("manage", "delete", "start-made", "start-anonymous", "start-confirm", "sso-link")


@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
def test_the_organisation_pages_have_no_axe_violations(
    browser, live_server, live_app, organisation, open_phone, locale
):
    org = organisation
    admin = laptop(browser, live_server, locale)
    admin_logs_in(admin, org)
    axe, pages = Axe(), {}
    admin.goto(f"/org/{org['id']}")
    pages["manage"] = admin.content
    problems = []

    def scan(page: Page, name: str) -> None:
        result = axe.run(page)
        if result.violations_count:
            problems.append(f"{name} ({locale}): {result.generate_report()}")
        page.screenshot(path=f"{live_app.instance_path}/org-{name}-{locale}.png", full_page=True)

    scan(admin, "manage")
    admin.goto(f"/org/{org['id']}/delete")
    scan(admin, "delete")
    admin.goto(f"/org/{org['id']}")
    admin.locator("#team-name").fill("Noord")
    admin.locator("form[action$='/teams'] button[type=submit]").click()
    admin.locator("a[href^='/org/teams/']").first.click()
    expect(admin.locator(".big-number")).to_have_text("0")
    scan(admin, "team")
    admin.goto("/")
    admin.get_by_role("button").filter(has_text=re.compile("start")).first.click()
    scan(admin, "start-made")
    link = admin.locator("#start-link").input_value()
    phone = open_phone()
    phone.goto(link)
    scan(phone, "start-anonymous")
    phone.goto("/register")
    phone.locator("#name").fill("Noor")
    phone.locator("#login").fill(f"noor-axe-{org['n']}-{locale}")
    phone.locator("#password").fill(PASSWORD)
    phone.locator("main form button[type=submit]").click()
    phone.goto(link)
    expect(phone.locator("input[type=checkbox]")).to_have_count(3)
    scan(phone, "start-confirm")
    admin.goto(f"/login/org/{org['id']}/link")
    scan(admin, "sso-link")
    # A colleague's invitation as it arrives, the member page, and an admin without two-step.
    admin.goto(f"/org/{org['id']}")
    colleague = f"eva{org['n']}-{locale.lower()}@jf.example"
    admin.locator("#invite-email").fill(colleague)
    admin.locator("form[action$='/invite'] button[type=submit]").click()
    expect(admin.locator(".flash")).to_contain_text(colleague)
    (mail,) = Outbox(live_app.config["MAIL_OUTBOX"]).to(colleague)
    invited = open_phone()
    invited.goto(Outbox.link(mail))
    scan(invited, "join")
    admin.locator("a[href^='/org/members/']").first.click()
    scan(admin, "member")
    with live_app.app_context():
        db.session.get(User, org["admin_id"]).totp_enabled_at = None
        db.session.commit()
    admin.goto(f"/org/{org['id']}")
    expect(admin.locator("a[href='/account/two-step']")).to_be_visible()
    scan(admin, "two-step-first")
    with live_app.app_context():
        db.session.get(User, org["admin_id"]).totp_enabled_at = datetime.now(UTC)
        db.session.commit()
    # The worker's password help for a young person who shares with them.
    with live_app.app_context():
        noor = db.session.query(User).filter(User.username == f"noor-axe-{org['n']}-{locale}")
        plan_id = noor.one().plan.id
    admin.goto("/")
    phone.goto(link)
    phone.locator("main form button[type=submit]").click()  # shares with Anja, a member
    admin.goto(f"/plans/{plan_id}/password-help")
    scan(admin, "password-help")
    admin.locator("main form button[type=submit]").click()
    expect(admin.locator(".spare-key")).to_be_visible()
    scan(admin, "password-code")
    stranger = open_phone()
    stranger.goto("/login/org/callback?state=made-up&code=made-up")
    scan(stranger, "sso-problem")
    stranger.goto("/login")
    expect(stranger.locator(".sso a.button").first).to_be_visible()
    scan(stranger, "login-with-organisations")
    stranger.goto("/forgot")
    scan(stranger, "forgot-with-help")
    assert problems == [], "\n".join(problems)
