"""The Alembic migrations build exactly the schema the models describe, and undo it again."""

import os
from datetime import date

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from toekomstplan.auth import services as auth_services
from toekomstplan.comments import services as comment_services
from toekomstplan.demo.builder import GoalSpec, MediaSpec, PlanSpec, build
from toekomstplan.export.meetings import record_meeting
from toekomstplan.extensions import db
from toekomstplan.models import Goal, Plan, Share, Step
from toekomstplan.sharing import services as sharing_services

from . import mediafiles
from .conftest import PASSWORD

PLAN = PlanSpec(
    title="My future plan",
    intro="Hi! I am Sam.",
    about=(("talent", "Drawing"),),
    media=(MediaSpec("drawing.png", make=lambda path: path.write_bytes(mediafiles.png())),),
    intro_media=(0,),
    goals=(
        GoalSpec(
            title="I want to learn to cook",
            steps=("Choose three recipes", "Go shopping", "Cook once a week"),
            done=2,
            ratings=("good",),
            evidence=((0, 0),),
        ),
        GoalSpec(title="I want to sleep better", estimate=25, status="paused"),
    ),
)


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


FIRST_REVISION = "0001_initial"


def schema_differences() -> list:
    """Return how the database's schema differs from the models (empty when it matches)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, db.metadata)


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def row_counts() -> dict[str, int]:
    """Return the number of rows of every table the database has (alembic_version aside)."""
    with db.engine.connect() as connection:
        return {
            name: connection.scalar(sa.select(sa.func.count()).select_from(sa.table(name)))
            for name in table_names() - {"alembic_version"}
        }


def make_plan(app, login: str, workdir) -> int:
    """Make a young person with a filled plan through the app's services; return the plan id."""
    workdir.mkdir(exist_ok=True)
    with app.test_request_context():
        youth = auth_services.register_youth("Sam", login, PASSWORD, None, "My future plan")
        built = build(youth.plan, PLAN, workdir)
        plan_id = built.plan_id
        db.session.remove()
    return plan_id


def share_and_talk(app, plan_id: int) -> None:
    """Share the plan with a worker, who reacts and suggests; record a care meeting."""
    with app.test_request_context():
        plan = db.session.get(Plan, plan_id)
        worker = sharing_services.register_supporter("Mo", "mo@example.org", PASSWORD, None)
        link = sharing_services.create_invite(plan, role="worker", label="Mo", email=None)
        invite = sharing_services.find_invite(link.rsplit("/", 1)[-1])
        sharing_services.accept_invite(invite, worker)
        goal = plan.goals[0]
        reaction = comment_services.add_comment(goal, worker, "Well done! Which recipe?")
        comment_services.add_comment(goal, plan.owner, "Pasta, I think.", parent=reaction)
        comment_services.suggest(plan, worker, "Borrow a cookbook", goal=goal)
        record_meeting(plan, date.today(), ["How the cooking goes"], None)
        db.session.remove()


def plan_outline(plan_id: int) -> dict:
    """Return what the plan holds, read through the models."""
    plan = db.session.get(Plan, plan_id)
    outline = {
        "title": plan.cover_title,
        "goals": [
            (goal.title, goal.status, [(step.text, step.done) for step in goal.steps])
            for goal in db.session.scalars(
                sa.select(Goal).where(Goal.plan_id == plan_id).order_by(Goal.id)
            )
        ],
        "shares": db.session.scalars(sa.select(Share.label).where(Share.plan_id == plan_id)).all(),
    }
    db.session.remove()
    return outline


def test_migrations_upgrade_an_empty_database_to_match_the_models(empty_app):
    with empty_app.app_context():
        assert sa.inspect(db.engine).get_table_names() == []
        upgrade()
        tables = table_names()
        assert tables == {t.name for t in db.metadata.sorted_tables} | {"alembic_version"}
        assert current_revision() is not None
        differences = schema_differences()
        dialect = db.engine.dialect.name
    assert differences == [], f"models and migrations differ on {dialect}"


def test_down_one_revision_and_up_again_keeps_the_rows(empty_app, tmp_path):
    with empty_app.app_context():
        upgrade()
        head = current_revision()
    plan_id = make_plan(empty_app, "sam", tmp_path / "uploads-in")
    share_and_talk(empty_app, plan_id)

    with empty_app.app_context():
        before = row_counts()
        outline = plan_outline(plan_id)
        assert all(before[name] for name in ("users", "goals", "steps", "comments", "shares"))

        downgrade(revision="-1")
        assert current_revision() not in (None, head)
        # What the newest migration removed is gone, every other row is still there.
        kept = {name: count for name, count in before.items() if name in table_names()}
        assert {"users", "plans", "goals", "steps", "comments", "shares"} <= kept.keys()
        assert row_counts() == kept

        upgrade()
        assert current_revision() == head
        differences = schema_differences()
        dialect = db.engine.dialect.name
        assert row_counts() == {name: kept.get(name, 0) for name in before}
        assert plan_outline(plan_id) == outline
    assert differences == [], f"models and migrations differ on {dialect}"

    fresh = make_plan(empty_app, "noor", tmp_path / "uploads-in")
    with empty_app.app_context():
        assert plan_outline(fresh)["goals"] == plan_outline(plan_id)["goals"]


def test_every_step_down_keeps_the_rows_of_the_tables_it_keeps(empty_app, tmp_path):
    # On SQLite a downgrade that drops a column rebuilds the table (Alembic's batch mode). With
    # foreign keys on, dropping the old `users` table would cascade and delete every plan.
    with empty_app.app_context():
        upgrade()
    plan_id = make_plan(empty_app, "sam", tmp_path / "uploads-in")
    share_and_talk(empty_app, plan_id)

    with empty_app.app_context():
        before = row_counts()
        steps = []
        while current_revision() != FIRST_REVISION:
            downgrade(revision="-1")
            now = row_counts()
            steps.append(current_revision())
            assert now == {name: before[name] for name in now if name in before}, steps[-1]
        assert {"users", "plans", "about_items"} <= row_counts().keys()
        assert len(steps) >= 7

        upgrade()
        assert row_counts()["plans"] == before["plans"]
        assert plan_outline(plan_id)["title"] == "My future plan"


def test_down_to_base_and_up_again_gives_the_schema_of_the_models(empty_app, tmp_path):
    with empty_app.app_context():
        upgrade()
    plan_id = make_plan(empty_app, "sam", tmp_path / "uploads-in")
    share_and_talk(empty_app, plan_id)

    with empty_app.app_context():
        downgrade(revision="base")
        # Undoing the first migration drops every table, rows and all.
        assert current_revision() is None
        assert table_names() <= {"alembic_version"}

        upgrade()
        differences = schema_differences()
        dialect = db.engine.dialect.name
        assert set(row_counts().values()) == {0}
    assert differences == [], f"models and migrations differ on {dialect}"

    fresh = make_plan(empty_app, "sam", tmp_path / "uploads-in")
    with empty_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Step)) == 3
        assert plan_outline(fresh)["goals"][0][0] == "I want to learn to cook"


def test_migrations_run_on_the_database_the_suite_uses(empty_app):
    expected = "postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"
    with empty_app.app_context():
        assert db.engine.dialect.name == expected
