"""Every route, every method, every kind of user: checked against one declared policy.

The test walks `app.url_map` itself, not a hand-picked list. For every rule and every method
it sends a request with real ids of real objects, as each kind of user:

    owner    the young person A, whose plan it is
    worker   W, invited by A as a support worker; one goal of A is hidden from W
    viewer   V, invited by A to look along
    revoked  R, invited by A as a worker, then taken back through the app
    other    X, a support worker of another young person B (who has a plan of their own)
    anon     someone not logged in

and checks the answer against POLICY: allowed succeeds (below 400, a redirect not to the log-in
page); refused is a 404 for everyone logged in (a plan's existence is not revealed) and the
log-in page for an anonymous visitor; and a refused request changed nothing: every row of every
table (the access log aside, which records refusals on purpose) and every stored file is the
same after it. A rule missing from POLICY fails the test, so a new route cannot slip past.

One world is built through the app for the whole module; after a request that changed it, the
rows and files are put back, so every request meets the same world.
"""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
import sqlalchemy as sa
from flask import url_for

from toekomstplan import create_app
from toekomstplan.extensions import db, limiter
from toekomstplan.models import (
    AboutItem,
    Attachment,
    Comment,
    Invite,
    MemberRole,
    Membership,
    Notice,
    Organisation,
    Plan,
    Share,
    StandIn,
    StandInAsk,
    Step,
    Suggestion,
    Team,
    User,
    UserKind,
)
from toekomstplan.orgs import services as orgs
from toekomstplan.orgs import start
from toekomstplan.passwords import hash_password

from . import oidc_provider
from .conftest import (
    CSRF_INPUT,
    PASSWORD,
    TEST_DATABASE_URL,
    app_settings,
    build_app,
    drop_everything,
)
from .factories import new_goal
from .mediafiles import jpeg_with_gps, png

# An organisation's admin and team lead are members of the worker's organisation, and the
# young person shared nothing with them: every plan page refuses them.
KINDS = ("owner", "worker", "viewer", "revoked", "other", "org_admin", "team_lead", "anon")
OWNER = frozenset({"owner"})
WORKER = frozenset({"worker"})
OWNER_WORKER = frozenset({"owner", "worker"})
READERS = frozenset({"owner", "worker", "viewer"})
SIGNED_IN = frozenset(set(KINDS) - {"anon"})
ORG_ADMIN = frozenset({"org_admin"})
MEMBERS = frozenset({"worker", "team_lead", "org_admin"})
OTHER = frozenset({"other"})
NOBODY: frozenset[str] = frozenset()

# Anyone may call these, logged in or not; they reveal no plan. Only "no server error" is
# checked for them (a wrong token is a friendly 404 page, a form without data a 400).
PUBLIC = {
    "static",
    "help.page",
    "health.healthz",  # 200 when the database answers (tests/test_stack.py), nothing else
    "plan.start",  # the welcome page, or your own plan, or the plans shared with you
    "auth.login",
    "auth.register",
    "auth.second_step",
    "auth.forgot",
    "auth.reset",
    "auth.confirm",
    "auth.send_again",  # the confirmation mail again: says the same whether or not it went
    "auth.forgot_with_key",  # a new password with a username and spare key
    "auth.forgot_with_help",  # a new password with a username and a worker's code
    "account.deleted",
    "i18n.switch_language",
    "plainlanguage.review",  # advice on a text; answers 401 to anonymous visitors
    "sharing.invite",  # the landing page of an invitation link: the token is the key
    "sharing.register",  # make an account from an invitation link
    "orgs.join",  # the landing page of a membership invitation: the token is the key
    "orgs.register",  # make an account from a membership invitation
    "orgs.start_page",  # a worker's start link: the token is the key (tests/test_start_links)
    "orgs.sso_login",  # log in through an organisation's provider (tests/test_sso.py)
    "orgs.sso_callback",  # the provider's answer: state, code and token are checked there
}

# endpoint -> {method -> the kinds that may call it}. Everyone else is refused.
POLICY: dict[str, dict[str, frozenset[str]]] = {
    # Your own account: anyone logged in, and only about themselves (no id in the URL).
    "account.settings": {"GET": SIGNED_IN},
    "account.download_data": {"GET": SIGNED_IN},
    "account.notifications": {"POST": SIGNED_IN},
    "account.change_password": {"POST": SIGNED_IN},
    "account.new_spare_key": {"POST": SIGNED_IN},
    "account.add_email": {"POST": SIGNED_IN},
    "account.setup_two_step": {"GET": SIGNED_IN},
    "account.enable_two_step": {"POST": SIGNED_IN},
    "account.disable_two_step": {"POST": SIGNED_IN},
    "account.delete": {"GET": SIGNED_IN, "POST": SIGNED_IN},
    "auth.logout": {"POST": SIGNED_IN},
    # A worker makes a one-time password code for the young person beside them; no viewer,
    # no organisation role.
    "auth.password_help": {"GET": WORKER, "POST": WORKER},
    # The plan: everyone it is shared with reads it; only the young person changes it.
    "plan.home": {"GET": READERS},
    "plan.cover": {"GET": OWNER, "POST": OWNER},
    "plan.intro": {"GET": OWNER, "POST": OWNER},
    "plan.about": {"GET": OWNER, "POST": OWNER},
    "plan.edit_about_item": {"GET": OWNER, "POST": OWNER},
    "plan.delete_about_item": {"POST": OWNER},
    "plan.move_about_item": {"POST": OWNER},
    # Goals and steps.
    "goals.overview": {"GET": READERS},
    "goals.goal": {"GET": READERS},
    "goals.inspiration": {"GET": OWNER},
    "goals.new": {"GET": OWNER, "POST": OWNER},
    "goals.edit": {"GET": OWNER, "POST": OWNER},
    "goals.delete": {"GET": OWNER, "POST": OWNER},
    "goals.move": {"POST": OWNER},
    "goals.rating": {"POST": OWNER},
    "goals.estimate": {"POST": OWNER},
    "goals.status": {"POST": OWNER},
    "goals.add_step": {"POST": OWNER},
    "goals.toggle_step": {"POST": OWNER},
    "goals.edit_step": {"POST": OWNER},
    "goals.move_step": {"POST": OWNER},
    "goals.delete_step": {"POST": OWNER},
    "goals.add_evidence": {"POST": OWNER},
    "goals.remove_evidence": {"POST": OWNER},
    # Reactions: the young person and a worker; a look-along only reads.
    "comments.add": {"POST": OWNER_WORKER},
    "comments.edit": {"POST": WORKER},  # the world's comment is the worker's own
    "comments.delete": {"POST": WORKER},
    # Suggestions and a worker's view: a worker proposes, the young person decides.
    "comments.suggest_goal": {"POST": WORKER},
    "comments.suggest_step": {"POST": WORKER},
    "comments.worker_rating": {"POST": WORKER},
    "comments.accept": {"POST": OWNER},
    "comments.decline": {"POST": OWNER},
    # Photos and videos: the gallery is the young person's; a photo shown in a section
    # someone may see, they may load.
    "media.gallery": {"GET": OWNER},
    "media.upload": {"POST": OWNER},
    "media.draw": {"GET": OWNER},
    "media.detail": {"GET": READERS},
    "media.status": {"GET": READERS},
    "media.file": {"GET": READERS},
    "media.caption": {"POST": OWNER},
    "media.attach": {"POST": OWNER},
    "media.delete": {"POST": OWNER},
    "media.retry": {"POST": OWNER},
    # PDF export: everyone who reads the plan may print what they see; only the young person
    # records a care meeting.
    "export.form": {"GET": READERS},
    "export.plan_pdf": {"GET": READERS},
    "export.meeting_pdf": {"POST": READERS},
    "export.record_meeting": {"POST": OWNER},
    # Sharing: only the young person decides who sees what.
    "sharing.manage": {"GET": OWNER, "POST": OWNER},
    "sharing.share": {"GET": OWNER, "POST": OWNER},
    "sharing.revoke": {"POST": OWNER},
    "sharing.extend": {"POST": OWNER},
    "sharing.revoke_invite": {"POST": OWNER},
    "sharing.log": {"GET": OWNER},
    # Any logged-in supporter may accept a link they were given (a young person is sent back
    # to the invitation with a message, and nothing changes).
    "sharing.accept": {"POST": SIGNED_IN},
    # The same for a membership invitation: only the invited address gets the membership
    # (anyone else is sent back with a message); no organisation role opens any plan.
    "orgs.accept": {"POST": SIGNED_IN},
    # An organisation's own pages: only its admins (tests/test_org_admin.py has an admin of
    # A against B's pages); no page of theirs opens a plan.
    "orgs.manage": {"GET": ORG_ADMIN},
    "orgs.audit_export": {"GET": ORG_ADMIN},
    "orgs.settings": {"POST": ORG_ADMIN},
    "orgs.sso_settings": {"POST": ORG_ADMIN},
    # Linking one's work account: only a member of an organisation with a provider; the
    # world's organisation has none (tests/test_sso.py has one, and a young person refused).
    "orgs.sso_link": {"GET": NOBODY, "POST": NOBODY},
    "orgs.delete": {"GET": ORG_ADMIN, "POST": ORG_ADMIN},
    "orgs.new_team": {"POST": ORG_ADMIN},
    "orgs.invite": {"POST": ORG_ADMIN},
    "orgs.member": {"GET": ORG_ADMIN, "POST": ORG_ADMIN},
    "orgs.deactivate": {"POST": ORG_ADMIN},
    # A team's counts: its team lead, and the organisation's admin.
    "orgs.team": {"GET": frozenset({"team_lead", "org_admin"})},
    # A start link is made by any active member of an organisation.
    "orgs.new_start_link": {"POST": MEMBERS},
    # A notice is for the one person it tells.
    "orgs.notice_seen": {"POST": OWNER},
    # A worker with a place asks for a stand-in; the young person answers their question.
    "orgs.leave": {"GET": MEMBERS, "POST": MEMBERS},
    "orgs.answer_stand_in": {"POST": OWNER},
    # A worker who shares through their place marks the help finished; the owner renews.
    "orgs.end_care": {"GET": WORKER, "POST": WORKER},
    "orgs.renew_care": {"POST": OWNER},
}

# The same rules again on objects hidden from the worker: the goal A hides from W, one of its
# steps, and the photo that is evidence on it. Whoever may call a rule on a visible goal may
# call it on the hidden one, except the worker.
HIDDEN_ARGS = {"goal_id": "hidden_goal", "step_id": "hidden_step", "media_id": "hidden_photo"}

# More rows for one endpoint: (endpoint, what the row is, {argument: world attribute},
# {method: allowed kinds}).
EXTRA_ROWS = [
    ("comments.edit", "the owner's reply", {"comment_id": "owner_reply"}, {"POST": OWNER}),
    ("comments.delete", "the owner's reply", {"comment_id": "owner_reply"}, {"POST": OWNER}),
    ("sharing.share", "the viewer's share", {"share_id": "viewer_share"}, {"GET": OWNER}),
    ("plan.home", "another plan", {"plan_id": "other_plan"}, {"GET": frozenset({"other"})}),
    ("goals.goal", "another plan's goal", {"goal_id": "other_goal"}, {"GET": frozenset({"other"})}),
    # Rows of B's plan, loaded by id through access.py's get_* helpers: only X, B's worker,
    # may touch what X made there; the young person A and A's people never.
    (
        "goals.edit",
        "another plan's goal",
        {"goal_id": "other_goal"},
        {"GET": NOBODY, "POST": NOBODY},
    ),
    ("comments.edit", "another plan's reaction", {"comment_id": "other_comment"}, {"POST": OTHER}),
    (
        "comments.delete",
        "another plan's reaction",
        {"comment_id": "other_comment"},
        {"POST": OTHER},
    ),
    ("comments.suggest_goal", "another plan", {"plan_id": "other_plan"}, {"POST": OTHER}),
    ("comments.suggest_step", "another plan's goal", {"goal_id": "other_goal"}, {"POST": OTHER}),
    ("comments.worker_rating", "another plan's goal", {"goal_id": "other_goal"}, {"POST": OTHER}),
    (
        "comments.accept",
        "another plan's suggestion",
        {"suggestion_id": "other_suggestion"},
        {"POST": NOBODY},
    ),
    (
        "comments.decline",
        "another plan's suggestion",
        {"suggestion_id": "other_suggestion"},
        {"POST": NOBODY},
    ),
    (
        "sharing.share",
        "another plan's share",
        {"share_id": "other_share"},
        {"GET": NOBODY, "POST": NOBODY},
    ),
    ("sharing.revoke", "another plan's share", {"share_id": "other_share"}, {"POST": NOBODY}),
    ("sharing.extend", "another plan's share", {"share_id": "other_share"}, {"POST": NOBODY}),
    (
        "sharing.revoke_invite",
        "another plan's invite",
        {"invite_id": "other_invite"},
        {"POST": NOBODY},
    ),
]

# URL argument -> the world attribute holding a real id (or a fixed value).
ARGS = {
    "plan_id": "plan",
    "goal_id": "goal",
    "step_id": "step",
    "item_id": "about_item",
    "media_id": "intro_photo",
    "variant": "=display",
    "share_id": "worker_share",
    "invite_id": "invite",
    "comment_id": "worker_comment",
    "suggestion_id": "suggestion",
    "token": "token",
    "member_token": "member_token",
    "start_token": "start_token",
    "org_id": "org",
    "team_id": "team",
    "membership_id": "member",
    "notice_id": "notice",
    "ask_id": "stand_in_ask",
    "filename": "=css/app.css",
}

NEW_PASSWORD = "a long walk along the sea"


def forms(w: World) -> dict:
    """Plausible form data per endpoint: what the page's own form would send."""
    return {
        "plan.cover": {
            "title": "Mijn toekomst",
            "subtitle": "Stap voor stap",
            "theme": "ocean",
            "color": "#5b8def",
            "layout": "band",
            "photo": "",
            "focus": "center",
        },
        "plan.intro": {"text": "Hoi, ik ben Amira."},
        "plan.about": {"kind": "hobby", "text": "Koken"},
        "plan.edit_about_item": {"kind": "talent", "text": "Tekenen"},
        "plan.move_about_item": {"direction": "down"},
        "goals.new": {"title": "Zwemdiploma", "why": "Leuk", "helpers": "Mo", "steps": "Les"},
        "goals.edit": {
            "title": "Een bijbaan vinden",
            "why": "Geld",
            "helpers": "Mo",
            "version": "1",
        },
        "goals.move": {"direction": "down"},
        "goals.rating": {"rating": "good"},
        "goals.estimate": {"estimate": "50"},
        "goals.status": {"status": "paused"},
        "goals.add_step": {"text": "Bellen"},
        "goals.toggle_step": {"done": "1"},
        "goals.edit_step": {"text": "Mijn cv maken"},
        "goals.move_step": {"direction": "down"},
        "goals.add_evidence": {"media": w.intro_photo},
        "comments.add": {"body": "Goed bezig!"},
        "comments.edit": {"body": "Heel goed bezig!"},
        "comments.suggest_goal": {"text": "Leren koken", "why": "Handig"},
        "comments.suggest_step": {"text": "Vraag je mentor"},
        "comments.worker_rating": {"rating": "bit"},
        "comments.accept": {"text": "Samen boodschappen doen"},
        "media.upload": {"file": (io.BytesIO(png()), "tekening.png")},
        "media.caption": {"caption": "Mijn tekening"},
        "media.attach": {"intro": "y"},
        "export.meeting_pdf": {
            "sections": ["intro", "goals"],
            "goals": [str(w.goal)],
            "comments": "recent",
        },
        "export.record_meeting": {
            "held_on": "2026-01-15",
            "point_1": "Mijn bijbaan",
            "sections": ["goals"],
            "goals": [str(w.goal)],
            "comments": "recent",
        },
        "sharing.manage": {"label": "Oma", "role": "viewer", "email": ""},
        # Willem asks Tom; Tom and Anja have nobody through their place, the page says so.
        "orgs.leave": {
            "colleague": str(w.colleague_place),
            "until": (date.today() + timedelta(days=20)).isoformat(),
        },
        "sharing.share": {
            "role": "worker",
            "sees_intro": "y",
            "sees_about": "y",
            "sees_media": "y",
            "goals": [str(w.goal)],
        },
        "account.notifications": {"by_mail": "y", "daily": "y"},
        "account.change_password": {"current": PASSWORD, "password": NEW_PASSWORD},
        "account.enable_two_step": {"code": "123456"},
        "orgs.delete": {"name": "Jeugdformaat"},
        "orgs.invite": {"invite-email": "nog-een@example.org", "invite-role": "worker"},
        "orgs.member": {"role": "team_lead"},
        "orgs.new_team": {"team-name": "Oost"},
        "orgs.settings": {"requires_two_step": "y"},
        "orgs.sso_settings": {
            "sso-issuer": w.oidc_issuer,
            "sso-client_id": oidc_provider.CLIENT_ID,
            "sso-client_secret": oidc_provider.CLIENT_SECRET,
        },
        # Anja, the one kind with two-step log-in, turns it off with a real code.
        "account.disable_two_step": {
            "off-password": PASSWORD,
            "off-code": pyotp.TOTP(w.admin_totp).now() if w.admin_totp else "",
        },
        "account.delete": {"password": PASSWORD, "sure": "y"},
        "auth.login": {"login": "nobody", "password": "not the password"},
        "auth.register": {"name": "Nieuw", "login": "nieuw1", "password": NEW_PASSWORD},
        "auth.forgot": {"email": "nobody@example.org"},
        "auth.send_again": {"email": "nobody@example.org"},
        "auth.forgot_with_key": {
            "key-login": "nobody",
            "key-key": "aaaa-bbbb-cccc-dddd",
            "key-password": NEW_PASSWORD,
        },
        "account.new_spare_key": {"key-password": PASSWORD},
        "account.add_email": {"email-email": "added@example.org"},
        "auth.reset": {"password": NEW_PASSWORD},
        "auth.second_step": {"code": "123456"},
        "i18n.switch_language": {"lang": "nl", "next": "/help"},
        "sharing.register": {
            "name": "Nieuwe begeleider",
            "email": "nieuw@example.org",
            "password": NEW_PASSWORD,
        },
        "orgs.register": {
            "name": "Nieuwe medewerker",
            "email": "nieuw-lid@example.org",
            "password": NEW_PASSWORD,
        },
    }


JSON_BODIES = {"plainlanguage.review": {"text": "Dit is een korte zin.", "lang": "nl"}}


# The world


@dataclass
class World:
    app: object
    upload_dir: Path
    plan: int = 0
    goal: int = 0
    step: int = 0
    hidden_goal: int = 0
    hidden_step: int = 0
    about_item: int = 0
    intro_photo: str = ""
    hidden_photo: str = ""
    worker_share: int = 0
    viewer_share: int = 0
    invite: int = 0
    token: str = ""
    member_token: str = ""  # a membership invitation for an address nobody in the world has
    start_token: str = ""  # Willem's start link for a young person
    admin_totp: str = ""  # the two-step secret of Anja, the organisation's admin
    oidc_issuer: str = ""  # the tests' OpenID provider, for the admin's settings
    org: int = 0
    team: int = 0  # team Noord, which Tom leads and Willem works in
    member: int = 0
    notice: int = 0
    stand_in_ask: int = 0  # Willem asks whether Tom may stand in; the owner has not answered
    colleague_place: int = 0  # Tom's place, a colleague of Willem
    worker_comment: int = 0
    owner_reply: int = 0
    suggestion: int = 0
    other_plan: int = 0
    other_goal: int = 0
    other_comment: int = 0
    other_suggestion: int = 0
    other_share: int = 0
    other_invite: int = 0
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)
    rows: dict = field(default_factory=dict)  # every row of every table, to put back
    files: Path | None = None  # a copy of the stored files, to put back
    pristine: dict = field(default_factory=dict)  # the digest every request starts from

    def value(self, name: str):
        return name[1:] if name.startswith("=") else getattr(self, name)


def matrix_config(tmp: Path) -> dict:
    """The settings of conftest's `app_config`, for an app that lives as long as this module;
    the admin's OpenID provider is the tests' own, on loopback."""
    return {**app_settings(tmp), "OIDC_ALLOW_HTTP_LOOPBACK": True}


def browser(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def csrf_of(client) -> str:
    match = CSRF_INPUT.search(client.get("/help").get_data(as_text=True))
    assert match
    return match.group(1)


def send(client, path: str, data: dict | None = None, **kwargs):
    """POST a form like a page does, with the client's CSRF token; the response is closed."""
    response = client.post(path, data={**(data or {}), "csrf_token": csrf_of(client)}, **kwargs)
    response.close()
    return response


def add_user(app, kind: str, name: str, login: str) -> None:
    with app.app_context():
        email = login if "@" in login else None
        user = User(
            kind=kind,
            name=name,
            email=email,
            username=None if email else login,
            email_confirmed=True,
            password_hash=hash_password(PASSWORD),
        )
        if kind == UserKind.YOUTH:
            user.plan = Plan(cover_title="My future plan")
        db.session.add(user)
        db.session.commit()


def log_in(app, login: str):
    client = browser(app)
    response = send(client, "/login", {"login": login, "password": PASSWORD})
    assert response.status_code == 302, login
    return client


def scalar(app, query):
    with app.app_context():
        return db.session.scalar(query)


def invite_link(client, plan_id: int, role: str, label: str) -> str:
    form = {"label": label, "role": role, "email": "", "csrf_token": csrf_of(client)}
    page = client.post(f"/plans/{plan_id}/sharing", data=form).get_data(as_text=True)
    match = re.search(r"/invite/([A-Za-z0-9_-]{20,})", page)
    assert match, "the invitation link is shown"
    return match.group(1)


def organisation(app, w: World) -> None:
    """Jeugdformaat, where Willem (the worker) works, Anja is admin and Tom team lead. An
    open membership invitation, and a notice for the owner (someone left it)."""
    with app.test_request_context():
        org = Organisation(name="Jeugdformaat")
        db.session.add(org)
        db.session.flush()
        link = orgs.invite_member(org, "nieuw-lid@example.org", MemberRole.WORKER)
        willem = db.session.scalar(sa.select(User).where(User.email == "willem@example.org"))
        team = Team(organisation_id=org.id, name="Noord")
        member = Membership(
            organisation_id=org.id, user_id=willem.id, role=MemberRole.WORKER, teams=[team]
        )
        for login, role in [("anja@example.org", "admin"), ("tom@example.org", "team_lead")]:
            person = db.session.scalar(sa.select(User).where(User.email == login))
            place = Membership(organisation_id=org.id, user_id=person.id, role=role)
            place.teams = [team] if role == "team_lead" else []
            db.session.add(place)
            # Anja has two-step log-in (turned on after her log-in; test_two_step tests it).
            if role == "admin":
                person.totp_secret = w.admin_totp = pyotp.random_base32()
                person.totp_enabled_at = datetime.now(UTC)
        owner = db.session.get(Plan, w.plan).owner_id
        notice = Notice(user_id=owner, kind="left_organisation", organisation_id=org.id)
        db.session.add_all([member, notice])
        db.session.commit()
        w.org, w.member, w.notice, w.team = org.id, member.id, notice.id, team.id
        db.session.get(Share, w.worker_share).membership_id = member.id  # Willem's place
        tom = db.session.scalar(
            sa.select(Membership).join(User).where(User.email == "tom@example.org")
        )
        ask = StandInAsk(plan_id=w.plan)
        until = date.today() + timedelta(days=30)
        db.session.add(StandIn(worker_place_id=member.id, colleague_place_id=tom.id,
                               until=until, asks=[ask]))  # fmt: skip
        db.session.commit()
        w.stand_in_ask, w.colleague_place = ask.id, tom.id
        start_link = start.make_link(member)
    w.member_token = link.rsplit("/", 1)[1]
    w.start_token = start_link.rsplit("/", 1)[1]


def accept(app, client, token: str, user_login: str) -> int:
    response = send(client, f"/invite/{token}/accept")
    assert response.status_code == 302
    return scalar(
        app,
        sa.select(Share.id)
        .join(User, User.id == Share.user_id)
        .where(sa.or_(User.username == user_login, User.email == user_login))
        .order_by(Share.id.desc()),
    )


def build_world(app, tmp: Path) -> tuple[World, dict]:
    """Make the world through the app, as its people would; return it and the clients."""
    w = World(app=app, upload_dir=Path(app.config["UPLOAD_DIR"]))
    add_user(app, UserKind.YOUTH, "Amira", "amira")
    add_user(app, UserKind.YOUTH, "Bo", "bo")
    for name, login in [
        ("Willem", "willem@example.org"),
        ("Vera", "vera@example.org"),
        ("Rob", "rob@example.org"),
        ("Xandra", "xandra@example.org"),
        ("Anja", "anja@example.org"),
        ("Tom", "tom@example.org"),
    ]:
        add_user(app, UserKind.SUPPORTER, name, login)
    owner, other_youth = log_in(app, "amira"), log_in(app, "bo")
    worker, viewer = log_in(app, "willem@example.org"), log_in(app, "vera@example.org")
    revoked, other = log_in(app, "rob@example.org"), log_in(app, "xandra@example.org")
    org_admin, team_lead = log_in(app, "anja@example.org"), log_in(app, "tom@example.org")
    w.plan, w.other_plan = (
        scalar(app, sa.select(Plan.id).join(User).where(User.username == name))
        for name in ("amira", "bo")
    )

    # A full plan: cover, introduction, about me, two goals, photos.
    assert (
        send(
            owner,
            f"/plans/{w.plan}/cover",
            {**forms(w)["plan.cover"], "theme": "forest", "layout": "classic"},
        ).status_code
        == 302
    )
    assert send(owner, f"/plans/{w.plan}/intro", {"text": "Ik ben Amira."}).status_code == 302
    send(owner, f"/plans/{w.plan}/about", {"kind": "quality", "text": "Goed luisteren"})
    w.about_item = scalar(app, sa.select(AboutItem.id))
    w.goal = new_goal(owner, w.plan, "Een bijbaan vinden", "Cv maken\nRondvragen")
    w.hidden_goal = new_goal(owner, w.plan, "Geheim doel", "Eerste stap")
    w.step = scalar(app, sa.select(Step.id).where(Step.goal_id == w.goal).order_by(Step.id))
    w.hidden_step = scalar(app, sa.select(Step.id).where(Step.goal_id == w.hidden_goal))
    response = owner.post(
        f"/plans/{w.plan}/media",
        data={"csrf_token": csrf_of(owner), "file": (io.BytesIO(jpeg_with_gps()), "me.jpg")},
        headers={"Accept": "application/json"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201
    w.intro_photo = response.get_json()["id"]
    assert send(owner, f"/media/{w.intro_photo}/attach", {"intro": "y"}).status_code == 302
    response = owner.post(
        f"/goals/{w.hidden_goal}/evidence",
        data={"csrf_token": csrf_of(owner), "file": (io.BytesIO(png()), "proof.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    w.hidden_photo = scalar(
        app, sa.select(Attachment.media_id).where(Attachment.goal_id == w.hidden_goal)
    )
    assert w.hidden_photo and w.intro_photo != w.hidden_photo

    # Sharing: a worker who does not see the second goal, a look-along, a revoked worker.
    w.worker_share = accept(
        app, worker, invite_link(owner, w.plan, "worker", "Willem"), "willem@example.org"
    )
    w.viewer_share = accept(
        app, viewer, invite_link(owner, w.plan, "viewer", "Vera"), "vera@example.org"
    )
    revoked_share = accept(
        app, revoked, invite_link(owner, w.plan, "worker", "Rob"), "rob@example.org"
    )
    share_form = {**forms(w)["sharing.share"], "goals": [str(w.goal)]}
    assert send(owner, f"/shares/{w.worker_share}", share_form).status_code == 302
    assert send(owner, f"/shares/{revoked_share}/revoke").status_code == 302
    # Another young person with a plan and a worker of their own.
    w.other_goal = new_goal(other_youth, w.other_plan, "Rijbewijs halen", "Theorie")
    accept(app, other, invite_link(other_youth, w.other_plan, "worker", "X"), "xandra@example.org")

    # A reaction by the worker with the owner's reply, a pending suggestion, an open invite.
    send(worker, f"/goals/{w.goal}/comments", {"body": "Mooi doel!"})
    w.worker_comment = scalar(app, sa.select(Comment.id).order_by(Comment.id))
    send(owner, f"/goals/{w.goal}/comments", {"body": "Dank je", "parent": w.worker_comment})
    w.owner_reply = scalar(app, sa.select(sa.func.max(Comment.id)))
    assert w.owner_reply != w.worker_comment
    send(worker, f"/plans/{w.plan}/suggestions", {"text": "Leren koken", "why": "Handig"})
    w.suggestion = scalar(app, sa.select(Suggestion.id))
    w.token = invite_link(owner, w.plan, "viewer", "Mama")
    w.invite = scalar(app, sa.select(sa.func.max(Invite.id)))
    organisation(app, w)
    # The same on B's plan, by X: rows the people of A's plan must not reach by their id.
    send(other, f"/goals/{w.other_goal}/comments", {"body": "Goed bezig"})
    w.other_comment = scalar(app, sa.select(sa.func.max(Comment.id)))
    send(other, f"/plans/{w.other_plan}/suggestions", {"text": "Oefenen", "why": ""})
    w.other_suggestion = scalar(app, sa.select(sa.func.max(Suggestion.id)))
    w.other_share = scalar(app, sa.select(Share.id).where(Share.plan_id == w.other_plan))
    invite_link(other_youth, w.other_plan, "viewer", "Papa")
    w.other_invite = scalar(app, sa.select(sa.func.max(Invite.id)))

    # The world is what it says it is.
    assert worker.get(f"/plans/{w.plan}").status_code == 200
    assert worker.get(f"/goals/{w.hidden_goal}").status_code == 404
    assert viewer.get(f"/goals/{w.hidden_goal}").status_code == 200
    assert revoked.get(f"/plans/{w.plan}").status_code == 404
    assert other.get(f"/plans/{w.other_plan}").status_code == 200
    assert w.suggestion and w.worker_comment and w.invite
    assert w.other_comment != w.owner_reply and w.other_suggestion != w.suggestion
    assert w.other_share and w.other_invite != w.invite

    clients = {
        "owner": owner,
        "worker": worker,
        "viewer": viewer,
        "revoked": revoked,
        "other": other,
        "org_admin": org_admin,
        "team_lead": team_lead,
        "anon": browser(app),
    }
    for kind, client in clients.items():
        w.csrf[kind] = csrf_of(client)
        w.cookies[kind] = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    w.rows = all_rows(app)
    w.files = tmp / "uploads-copy"
    shutil.copytree(w.upload_dir, w.files)
    w.pristine = digest(w)
    return w, clients


# Snapshots: what "nothing changed" compares, and how a changed world is put back.

# Columns that change on purpose when nothing else does.
IGNORED_TABLES = {"access_events"}  # records refusals too: that is its job
IGNORED_COLUMNS = {("user_sessions", "last_seen_at")}


def stored_files(upload_dir: Path) -> list[str]:
    return sorted(
        str(p.relative_to(upload_dir))
        for p in upload_dir.rglob("*")
        if p.is_file() and ".tmp" not in p.relative_to(upload_dir).parts
    )


def digest(w: World) -> dict:
    """Every row of every table (but the access log), and the list of stored files."""
    result = {}
    with w.app.app_context(), db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in IGNORED_TABLES:
                continue
            columns = [c for c in table.columns if (table.name, c.name) not in IGNORED_COLUMNS]
            query = sa.select(*columns).order_by(*table.primary_key.columns)
            result[table.name] = [tuple(row) for row in conn.execute(query)]
    result["stored files"] = stored_files(w.upload_dir)
    return result


def all_rows(app) -> dict:
    with app.app_context(), db.engine.connect() as conn:
        return {
            table: [
                dict(row._mapping)
                for row in conn.execute(sa.select(table).order_by(*table.primary_key.columns))
            ]
            for table in db.metadata.sorted_tables
        }


def put_back(w: World) -> None:
    """Make the world what it was: every row, every stored file, no cached page."""
    with w.app.app_context():
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
            for table in db.metadata.sorted_tables:
                if w.rows[table]:
                    conn.execute(table.insert(), w.rows[table])
        limiter.reset()
    w.app.extensions.pop("toekomstplan.pagecache", None)
    if stored_files(w.upload_dir) != w.pristine["stored files"]:
        shutil.rmtree(w.upload_dir)
        shutil.copytree(w.files, w.upload_dir)


def differences(before: dict, after: dict) -> str:
    lines = []
    for name in before:
        if before[name] != after.get(name):
            gone = [r for r in before[name] if r not in after.get(name, [])]
            new = [r for r in after.get(name, []) if r not in before[name]]
            lines.append(f"{name}: removed {gone[:3]}, added or changed {new[:3]}")
    return "; ".join(lines)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("matrix")
    provider = oidc_provider.start(["http://127.0.0.1:5000/login/org/callback"], {})
    app = build_app(matrix_config(tmp), tmp / "instance")
    with app.app_context():
        if TEST_DATABASE_URL:
            drop_everything()
        db.create_all()
        limiter.reset()
    w, _clients = build_world(app, tmp)
    w.oidc_issuer = provider.issuer
    yield w
    provider.stop()
    with app.app_context():
        db.session.remove()
        if TEST_DATABASE_URL:
            db.drop_all()
        db.engine.dispose()


# Calling the rules


@dataclass
class Row:
    rule: object
    method: str
    label: str
    args: dict
    allowed: frozenset


def rows_of(endpoint: str, rules: list) -> list[Row]:
    """Every (rule, method, row) to call for `endpoint`, with the kinds allowed each time."""
    if endpoint not in POLICY and endpoint not in PUBLIC:
        pytest.fail(
            f"{endpoint} ({', '.join(r.rule for r in rules)}) is missing from POLICY in "
            f"{__name__}: declare who may call it, for every method"
        )
    result = []
    for rule in rules:
        unknown = set(rule.arguments) - set(ARGS)
        if unknown:
            pytest.fail(
                f"{rule.rule} has URL argument(s) {sorted(unknown)} that ARGS in {__name__} "
                "does not know: map them to a real object of the world"
            )
        args = {name: ARGS[name] for name in rule.arguments}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if endpoint in PUBLIC:
                result.append(Row(rule, method, "public", args, frozenset(KINDS)))
                continue
            if method not in POLICY[endpoint]:
                pytest.fail(f"{method} {rule.rule} ({endpoint}) is missing from POLICY")
            allowed = POLICY[endpoint][method]
            result.append(Row(rule, method, "", args, allowed))
            hidden = {name: HIDDEN_ARGS[name] for name in rule.arguments if name in HIDDEN_ARGS}
            if hidden:
                result.append(
                    Row(
                        rule, method, "hidden from the worker", {**args, **hidden}, allowed - WORKER
                    )
                )
            for extra_endpoint, label, extra_args, policy in EXTRA_ROWS:
                if extra_endpoint == endpoint and method in policy:
                    result.append(Row(rule, method, label, {**args, **extra_args}, policy[method]))
    return result


def call(w: World, kind: str, row: Row, endpoint: str, data: dict | None = None):
    """Send one request as `kind`, from a browser with that kind's session and CSRF token,
    with the page's own form data or `data`."""
    app = w.app
    client = browser(app)
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], w.cookies[kind])
    values = {name: w.value(attr) for name, attr in row.args.items()}
    with app.test_request_context():
        url = url_for(endpoint, **values)
    headers = {"X-CSRFToken": w.csrf[kind]}
    if row.method == "GET":
        response = client.get(url, headers=headers)
    elif endpoint in JSON_BODIES:
        response = client.open(url, method=row.method, json=JSON_BODIES[endpoint], headers=headers)
    else:
        body = forms(w).get(endpoint, {}) if data is None else data
        body = {**body, "csrf_token": w.csrf[kind]}
        response = client.open(url, method=row.method, data=body, headers=headers)
    response.get_data()
    response.close()
    return url, response


def to_login(response) -> bool:
    return response.status_code == 302 and urlsplit(response.location).path == "/login"


def check(w: World, kind: str, row: Row, endpoint: str) -> str | None:
    """Call one row as one kind; return what is wrong, or None."""
    url, response = call(w, kind, row, endpoint)
    status = response.status_code
    where = f"{row.method} {url} ({endpoint}{', ' + row.label if row.label else ''}) as {kind}"
    after = digest(w)
    changed = after != w.pristine
    if changed:
        put_back(w)
    if row.label == "public":
        return f"{where}: {status}" if status >= 500 else None
    if kind in row.allowed:
        if status >= 400:
            return f"{where}: allowed, but answered {status}"
        if to_login(response) and endpoint != "auth.logout":
            return f"{where}: allowed, but sent to the log-in page"
        return None
    problem = None
    if kind == "anon" and not to_login(response):
        problem = f"{where}: refused, but answered {status} instead of the log-in page"
    elif kind != "anon" and status != 404:
        problem = f"{where}: refused, but answered {status} instead of 404"
    if changed:
        problem = (problem or f"{where}: refused") + (
            f", and it changed the world: {differences(w.pristine, after)}"
        )
    return problem


# The rules of the app, read from the app itself (not a list written here).
_RULES_APP = create_app(
    {
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "SECRET_KEY": "only-to-read-the-url-map-of-the-app-here",
        "ENV_NAME": "test",
        "TESTING": True,
        "RATELIMIT_STORAGE_URI": "memory://",
    }
)
RULES: dict[str, list] = {}
for _rule in _RULES_APP.url_map.iter_rules():
    RULES.setdefault(_rule.endpoint, []).append(_rule)


def test_every_rule_and_method_is_in_the_policy():
    missing = []
    for endpoint, rules in sorted(RULES.items()):
        if endpoint in PUBLIC:
            continue
        for rule in rules:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if method not in POLICY.get(endpoint, {}):
                    missing.append(f"{method} {rule.rule} ({endpoint})")
    assert missing == [], "not in POLICY, declare who may call them: " + ", ".join(missing)
    stale = sorted((set(POLICY) | PUBLIC) - set(RULES))
    assert stale == [], f"POLICY names endpoints the app does not have: {stale}"
    assert not set(POLICY) & PUBLIC


@pytest.mark.parametrize("endpoint", sorted(RULES))
def test_endpoint_answers_each_kind_of_user_as_the_policy_says(world, endpoint):
    rows = rows_of(endpoint, RULES[endpoint])
    problems = []
    # Refused requests first (they must change nothing), then the allowed ones.
    calls = [(row, kind) for row in rows for kind in KINDS]
    calls.sort(key=lambda item: item[1] in item[0].allowed)
    for row, kind in calls:
        problem = check(world, kind, row, endpoint)
        if problem:
            problems.append(problem)
    assert problems == [], "\n".join(problems)


def test_the_snapshot_sees_every_change_and_puts_it_back(world):
    """The "nothing changed" check itself: a changed row or a deleted file is seen and undone."""
    with world.app.app_context():
        db.session.execute(sa.update(Step).where(Step.id == world.step).values(text="changed"))
        db.session.commit()
    victim = next(p for p in world.upload_dir.rglob("*") if p.is_file())
    victim.unlink()
    after = digest(world)
    assert "steps" in differences(world.pristine, after)
    assert "stored files" in differences(world.pristine, after)
    put_back(world)
    assert digest(world) == world.pristine


def test_an_id_too_big_for_the_database_is_a_404_for_every_rule(world):
    """A made-up id is a 404 like any other, also one that does not fit the id column."""
    problems = []
    for endpoint, rules in sorted(RULES.items()):
        for rule in rules:
            numbers = [
                name for name, converter in rule._converters.items() if converter.regex == r"\d+"
            ]
            if not numbers or endpoint in PUBLIC:
                continue
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                args = {name: ARGS[name] for name in rule.arguments}
                args.update({name: "=" + str(10**20) for name in numbers})
                row = Row(rule, method, "too big", args, frozenset())
                url, response = call(world, "owner", row, endpoint)
                # 405: the path of another method's rule matched first (media.gallery/upload).
                if response.status_code not in (404, 405):
                    problems.append(f"{method} {url}: {response.status_code}")
                if digest(world) != world.pristine:
                    problems.append(f"{method} {url} changed the world")
                    put_back(world)
    assert problems == [], "\n".join(problems)


# Fields that carry a number though no page's form data above fills them.
NUMBER_FIELDS = ("version", "parent", "estimate", "goals", "about", "media", "position")
CONTROL_TEXT = "Sam\r\nBcc: someone@example.org\x00\x1b[2J\u202e"


def crafted_bodies(w: World, endpoint: str):
    """The form of `endpoint` with one field at a time a 20-digit number or control text."""
    base = {k: v for k, v in forms(w).get(endpoint, {}).items() if k != "file"}
    for name in sorted({*base, *NUMBER_FIELDS}):
        for value in (str(10**20), "-" + str(10**20), CONTROL_TEXT):
            yield name, {**base, name: [value] if isinstance(base.get(name), list) else value}


def crafted_problems(w: World, kind: str, row: Row, endpoint: str) -> list[str]:
    """Send every crafted body of `endpoint`; return the server errors they gave."""
    problems = []
    for name, data in crafted_bodies(w, endpoint):
        where = f"POST {row.rule.rule} ({endpoint}) {name}={data[name]!r}"
        try:
            _, response = call(w, kind, row, endpoint, data)
        except Exception as error:  # the test app lets a server error through
            problems.append(f"{where}: {type(error).__name__}: {error}"[:300])
            with w.app.app_context():
                db.session.rollback()
        else:
            if response.status_code >= 500:
                problems.append(f"{where}: {response.status_code}")
        if digest(w) != w.pristine:
            put_back(w)
    return problems


def test_crafted_numbers_and_control_characters_in_every_field_never_give_a_500(world):
    """A 20-digit number, a negative one or control characters in any field of any form, sent
    by someone allowed to use it: a friendly answer, never a server error."""
    problems = []
    for endpoint, rules in sorted(RULES.items()):
        if endpoint in JSON_BODIES:
            continue
        for row in rows_of(endpoint, rules):
            kind = next((k for k in ("owner", "worker", "anon") if k in row.allowed), None)
            if row.method == "POST" and row.label in ("", "public") and kind is not None:
                problems += crafted_problems(world, kind, row, endpoint)
    assert problems == [], "\n".join(problems)
