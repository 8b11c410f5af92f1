"""`/healthz` tells the proxy whether this host can serve: 200 when the database answers."""

import sqlalchemy as sa

from toekomstplan.extensions import db


def test_health_is_ok_while_the_database_answers(client):
    answer = client.get("/healthz")
    assert (answer.status_code, answer.get_data()) == (200, b"ok\n")
    assert answer.headers["Cache-Control"] == "no-store"


def test_health_says_unavailable_when_the_database_does_not_answer(app, client, monkeypatch):
    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    with app.app_context():
        monkeypatch.setattr(db.session, "execute", broken)
        answer = client.get("/healthz")
    assert answer.status_code == 503
    assert b"connection refused" not in answer.get_data()  # nothing about the inside
