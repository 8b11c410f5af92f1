"""A team lead sees their team in counts: plans per member, and young people without an
active worker of the team. Never a young person's name or plan."""

from __future__ import annotations

import sqlalchemy as sa

from toekomstplan.extensions import db
from toekomstplan.models import MemberRole, Membership, Organisation, Share, ShareRole, Team
from toekomstplan.orgs import admin


def _place(org, user, role, team) -> Membership:
    place = Membership(organisation_id=org.id, user_id=user.id, role=role, teams=[team])
    db.session.add(place)
    db.session.flush()
    return place


def _share(youth, worker, place) -> None:
    db.session.add(
        Share(
            plan_id=youth.plan.id, user_id=worker.id, role=ShareRole.WORKER, membership_id=place.id
        )
    )


def test_a_team_lead_sees_counts_of_their_own_team_only(app, client, new_client, login, make_user):
    tom = make_user(kind="supporter", login="tom@jf.example", name="Tom")
    mo = make_user(kind="supporter", login="mo@jf.example", name="Mo")
    sem = make_user(kind="supporter", login="sem@jf.example", name="Sem")
    eva = make_user(kind="supporter", login="eva@jf.example", name="Eva")
    anja = make_user(kind="supporter", login="anja@jf.example", name="Anja")
    sam, lina, kim = (make_user(name=n) for n in ("Sam", "Lina", "Kim"))
    with app.test_request_context():
        org = Organisation(name="Jeugdformaat")
        db.session.add(org)
        db.session.flush()
        north, south = (
            Team(organisation_id=org.id, name="Noord"),
            Team(organisation_id=org.id, name="Zuid"),
        )
        db.session.add_all([north, south])
        db.session.flush()
        _place(org, tom, MemberRole.TEAM_LEAD, north)
        mo_place = _place(org, mo, MemberRole.WORKER, north)
        sem_place = _place(org, sem, MemberRole.WORKER, north)
        eva_place = _place(org, eva, MemberRole.WORKER, south)
        admin_place = _place(org, anja, MemberRole.ADMIN, south)
        _share(sam, mo, mo_place)
        _share(lina, mo, mo_place)
        _share(kim, eva, eva_place)
        db.session.commit()
        admin.deactivate(db.session.get(Membership, mo_place.id), anja)  # Mo leaves
        _share(lina, sem, db.session.get(Membership, sem_place.id))  # Lina invites Sem
        db.session.commit()
        ids = {"north": north.id, "south": south.id, "admin_place": admin_place.id}
    login(client, tom.email)
    page = client.get(f"/org/teams/{ids['north']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<p class="big-number">1</p>' in html  # Sam: Mo left, nobody of Noord since
    assert '<td>Sem</td><td>Worker</td><td class="counts__number">1</td>' in html
    assert '<td>Tom</td><td>Team lead</td><td class="counts__number">0</td>' in html
    assert "Mo" not in html.split("<main", 1)[1]  # no longer a member
    for young in ("Sam", "Lina", "Kim"):
        assert young not in html.split("<main", 1)[1]
    assert client.get(f"/org/teams/{ids['south']}").status_code == 404  # not Tom's team
    for who, team, status in (
        (eva.email, "north", 404),  # a worker, not a lead
        (sam.username, "north", 404),
        (anja.email, "north", 200),  # the admin manages every team
    ):
        other = new_client()
        login(other, who)
        assert other.get(f"/org/teams/{ids[team]}").status_code == status, who
    assert client.get("/org/teams/999999").status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Share.id))) == 2
