"""A supporter's caseload: every plan shared with them, who needs attention first, filters,
search, and figures counted only over the goals they may see."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from toekomstplan.extensions import db
from toekomstplan.models import (
    Comment,
    Goal,
    HiddenGoal,
    MemberRole,
    Membership,
    Organisation,
    Share,
    ShareRole,
    Step,
    Team,
    User,
)

from .factories import statements_of

NAMES = re.compile(r'<span class="shared__name">([^<]+)</span>')


def _youth(app, make_user, name: str, goals: list[dict]) -> User:
    youth = make_user(name=name)
    with app.app_context():
        for spec in goals:
            goal = Goal(plan_id=youth.plan.id, title=spec["title"], rating=spec.get("rating"))
            goal.steps = [Step(text=f"stap {i}", done=i < spec.get("done", 0)) for i in range(4)]
            db.session.add(goal)
        db.session.commit()
    return youth


def _share(app, youth: User, worker: User, membership_id: int | None = None) -> int:
    with app.app_context():
        share = Share(
            plan_id=youth.plan.id,
            user_id=worker.id,
            role=ShareRole.WORKER,
            membership_id=membership_id,
            last_visit_at=datetime.now(UTC),
        )
        db.session.add(share)
        db.session.commit()
        return share.id


def test_who_needs_attention_comes_first_and_a_hidden_goal_never_counts(
    app, client, login, make_user
):
    worker = make_user(kind="supporter", login="mo@example.org", name="Mo")
    anna = _youth(app, make_user, "Anna", [{"title": "Rijbewijs", "done": 2}])
    bram = _youth(app, make_user, "Bram", [{"title": "Werk", "done": 1, "rating": "not_yet"}])
    cleo = _youth(
        app,
        make_user,
        "Cleo",
        [{"title": "Koken", "done": 4}, {"title": "Geheim", "done": 0, "rating": "not_yet"}],
    )
    for youth in (anna, bram, cleo):
        share = _share(app, youth, worker)
    with app.app_context():  # Cleo hides her second goal from Mo
        secret = db.session.scalar(sa.select(Goal.id).where(Goal.title == "Geheim"))
        db.session.add(HiddenGoal(share_id=share, goal_id=secret))
        db.session.add(Comment(goal_id=secret, author_id=cleo.id, body="Niet voor Mo"))
        db.session.commit()
    login(client, worker.email)
    page = client.get("/").get_data(as_text=True)
    assert NAMES.findall(page)[0] == "Bram"  # rated "not going yet"
    cleo_card = page[page.index(">Cleo<") :].split("</li>", 1)[0]
    assert "100% on the way, 1 goal" in cleo_card  # the hidden goal is in no figure
    assert "Not going yet" not in cleo_card  # nor in a signal
    assert "New reaction" not in cleo_card and "new reaction" not in cleo_card  # nor its talk
    assert "Geheim" not in page
    by_name = client.get("/?sort=name").get_data(as_text=True)
    assert NAMES.findall(by_name) == ["Anna", "Bram", "Cleo"]
    stuck = client.get("/?signal=not_yet").get_data(as_text=True)
    assert NAMES.findall(stuck) == ["Bram"]
    assert NAMES.findall(client.get("/?q=LE").get_data(as_text=True)) == ["Cleo"]
    for literal in ("%", "_", "a%", "[a]"):  # wildcards are just characters
        assert NAMES.findall(client.get(f"/?q={literal}").get_data(as_text=True)) == []
    assert "Nobody matches" in client.get("/?q=zz").get_data(as_text=True)
    for crafted in ("/?sort=drop", "/?signal=x", "/?team=nope", "/?q=" + "a" * 500):
        assert client.get(crafted).status_code == 200


def test_filter_by_team_and_quiet_young_people(app, client, login, make_user):
    worker = make_user(kind="supporter", login="mo@example.org", name="Mo")
    with app.app_context():
        places = {}
        for org_name, team_name in (("Jeugdformaat", "Noord"), ("Kompaan", "Zuid")):
            org = Organisation(name=org_name)
            db.session.add(org)
            db.session.flush()
            team = Team(organisation_id=org.id, name=team_name)
            place = Membership(
                organisation_id=org.id, user_id=worker.id, role=MemberRole.WORKER, teams=[team]
            )
            db.session.add(place)
            db.session.flush()
            places[team_name] = place.id
        db.session.commit()
    dana = _youth(app, make_user, "Dana", [{"title": "School"}])
    eli = _youth(app, make_user, "Eli", [{"title": "Sport"}])
    _share(app, dana, worker, places["Noord"])
    quiet = _share(app, eli, worker, places["Zuid"])
    with app.app_context():
        db.session.get(Share, quiet).created_at = datetime.now(UTC) - timedelta(days=40)
        db.session.commit()
    login(client, worker.email)
    assert NAMES.findall(client.get("/?team=Noord").get_data(as_text=True)) == ["Dana"]
    assert NAMES.findall(client.get("/?signal=quiet").get_data(as_text=True)) == ["Eli"]
    assert "Quiet for a month" in client.get("/").get_data(as_text=True)


def test_the_caseload_costs_the_same_queries_for_one_plan_as_for_forty(
    app, client, login, make_user
):
    worker = make_user(kind="supporter", login="mo@example.org", name="Mo")
    login(client, worker.email)

    def queries() -> int:
        return len(statements_of(app, lambda: client.get("/").close()))

    goals = [{"title": "Een", "done": 1, "rating": "good"}, {"title": "Twee", "done": 3}]
    _share(app, _youth(app, make_user, "Young 0", goals), worker)
    one = queries()
    for n in range(1, 40):
        _share(app, _youth(app, make_user, f"Young {n}", goals), worker)
    forty = queries()
    assert forty == one, (one, forty)


def test_a_care_meeting_coming_up_is_a_signal_with_only_its_date(app, client, login, make_user):
    from datetime import date

    from toekomstplan.models import Meeting

    worker = make_user(kind="supporter", login="mo@example.org", name="Mo")
    fien = _youth(app, make_user, "Fien", [{"title": "School"}])
    gijs = _youth(app, make_user, "Gijs", [{"title": "Werk"}])
    for youth in (fien, gijs):
        _share(app, youth, worker)
    today = date.today()
    with app.app_context():
        db.session.add_all(
            [
                Meeting(
                    plan_id=fien.plan.id,
                    held_on=today + timedelta(days=5),
                    talking_points=["Mijn geheime punt"],
                ),
                Meeting(plan_id=gijs.plan.id, held_on=today + timedelta(days=60)),  # not soon
                Meeting(plan_id=gijs.plan.id, held_on=today - timedelta(days=3)),  # was
            ]
        )
        db.session.commit()
    login(client, worker.email)
    page = client.get("/").get_data(as_text=True)
    assert NAMES.findall(page)[0] == "Fien"
    fien_card = page[page.index(">Fien<") :].split("</li>", 1)[0]
    assert "Meeting on" in fien_card
    assert "Mijn geheime punt" not in page  # the talking points stay hers
    assert "Meeting on" not in page[page.index(">Gijs<") :].split("</li>", 1)[0]
    assert NAMES.findall(client.get("/?signal=meeting").get_data(as_text=True)) == ["Fien"]
