"""`flask demo`: the demo young person and support worker, created once."""

import os
import re
import stat

import pyotp
import sqlalchemy as sa

from toekomstplan.demo import ADMIN_LOGIN, VIEWER_LOGIN, WORKER_LOGIN, YOUTH_LOGIN
from toekomstplan.demo.organisation import MORE_LOGINS
from toekomstplan.extensions import db
from toekomstplan.models import AboutItem, Notice, Plan, User, UserKind

from .factories import post_form


def run_demo(app, runner):
    # `flask demo` gets its app context from FlaskGroup; the test runner calls app.cli directly.
    with app.app_context():
        result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return result.output


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (User, Plan, AboutItem)
        }


def test_demo_creates_the_accounts_once_and_prints_their_logins(app, runner, new_client, login):
    output = run_demo(app, runner)
    logins = dict(re.findall(r"^\s+[^:]+:\s+(\S+) / (\S+)$", output, re.MULTILINE))
    more = {login for _, login in MORE_LOGINS}
    assert set(logins) == {YOUTH_LOGIN, WORKER_LOGIN, VIEWER_LOGIN, ADMIN_LOGIN} | more

    with app.app_context():
        youth = db.session.scalar(sa.select(User).where(User.username == YOUTH_LOGIN))
        worker = db.session.scalar(sa.select(User).where(User.email == WORKER_LOGIN))
        assert youth.kind == UserKind.YOUTH and youth.plan is not None
        assert youth.plan.intro_text and youth.plan.about_items
        assert worker.kind == UserKind.SUPPORTER and worker.plan is None
        assert worker.email_confirmed
    created = counts(app)
    assert created["users"] == 17 and created["plans"] == 11  # Mo's caseload: 8 more

    for name, password in logins.items():
        assert login(new_client(), name, password).status_code == 302, name
    key = re.search(r"two-step key .*: (\w+)$", output, re.MULTILINE).group(1)
    anja = new_client()
    login(anja, ADMIN_LOGIN, logins[ADMIN_LOGIN])
    post_form(anja, "/login/code", {"code": pyotp.TOTP(key).now()})
    assert "Jeugdformaat" in anja.get("/").get_data(as_text=True)  # "Manage the people of"

    sanne = new_client()
    login(sanne, YOUTH_LOGIN, logins[YOUTH_LOGIN])
    page = sanne.get(f"/plans/{youth.plan.id}/sharing").get_data(as_text=True)
    assert "Werkt bij Jeugdformaat (team Noord)" in page  # Mo, through the organisation
    assert "Niet van een organisatie" in page  # Ilse, her mother
    assert "Tot " in page  # Ilse may look until a day Sanne chose
    home = sanne.get(f"/plans/{youth.plan.id}").get_data(as_text=True)
    assert "Ilse kan tot" in home and "3 maanden langer" in home  # she may extend it
    assert "Mo (begeleider) is met verlof tot" in home  # may Eva stand in? Sanne decides
    with app.app_context():  # Sem marked his help to Lotte as finished: she chooses
        lotte = db.session.scalar(sa.select(User.id).where(User.username == "lotte"))
        kinds = db.session.scalars(sa.select(Notice.kind).where(Notice.user_id == lotte)).all()
    assert kinds == ["care_ended"]

    # Mo's start link works for a new young person; Mo sees Sanne and Lotte, Eva sees Daan.
    start = re.search(r"start link .*: http://[^/]+(/start/\S+)$", output, re.MULTILINE).group(1)
    assert "Start your future plan" in new_client().get(start).get_data(as_text=True)
    mo = new_client()
    login(mo, WORKER_LOGIN, logins[WORKER_LOGIN])
    overview = mo.get("/").get_data(as_text=True)
    assert "Sanne" in overview and "Lotte" in overview and "Daan" not in overview
    # Full enough to judge: every signal, two teams to filter by, and one share that ended.
    for signal in ("not_yet", "reaction", "suggestion", "due", "meeting", "quiet", "ends_soon"):
        assert f"chip--{signal}" in overview, signal
    assert '<option value="Ambulant">' in overview and '<option value="Noord">' in overview
    assert "Kevin no longer shares" in overview or "Kevin deelt" in overview
    names = re.findall(r'<span class="shared__name">([^<]+)</span>', overview)
    assert len(names) == 9 and set(names[:2]) == {"Sanne", "Yara"}  # "not going yet" first

    again = run_demo(app, runner)
    assert "exist" in again
    assert not re.search(r" / \S", again), "no passwords printed the second time"
    assert counts(app) == created


def test_demo_keeps_the_logins_in_a_file_only_its_owner_can_read(app, runner):
    output = run_demo(app, runner)
    path = os.path.join(app.instance_path, "demo-logins.txt")
    with open(path, encoding="utf-8") as fh:
        saved = fh.read()
    assert YOUTH_LOGIN in saved and WORKER_LOGIN in saved
    assert saved.strip() in output
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
