"""The plan home costs a fixed, small number of SQL queries however full the plan is."""

from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from toekomstplan.extensions import db
from toekomstplan.models import AboutItem

KINDS = ["quality", "talent", "hobby"]


@contextmanager
def counted_queries(app):
    """Collect the SQL statements the app's engine runs inside the block."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def add_items(app, plan_id: int, n: int) -> None:
    with app.app_context():
        db.session.add_all(
            AboutItem(plan_id=plan_id, kind=KINDS[i % 3], text=f"Punt {i}", position=i)
            for i in range(n)
        )
        db.session.commit()


@pytest.fixture
def home_queries(app, new_client, login, make_user):
    """Return a function: the SQL statements of one plan-home view with `n` about items."""

    def measure(n: int) -> list[str]:
        user = make_user()
        add_items(app, user.plan.id, n)
        browser = new_client()
        login(browser, user.username, user.password)
        browser.get(f"/plans/{user.plan.id}")  # the first view may refresh last_seen_at
        with counted_queries(app) as statements:
            response = browser.get(f"/plans/{user.plan.id}")
        assert response.status_code == 200
        assert response.get_data(as_text=True).count("Punt ") == n
        return statements

    return measure


def test_plan_home_query_count_does_not_grow_with_about_items(home_queries):
    few = home_queries(3)
    many = home_queries(30)
    assert len(few) == len(many), "\n".join(many)
    assert len(many) <= 5, "\n".join(many)
