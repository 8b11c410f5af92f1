"""`/healthz`: tells the proxy (and a deploy script) that this host can serve requests.

It answers 200 only when the database answers; the proxy stops sending requests to a host
that answers otherwise, or not at all. It reveals nothing: no version, no data.
"""

import sqlalchemy as sa
from flask import Blueprint, current_app

from .extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        current_app.logger.exception("health check: the database does not answer")
        db.session.rollback()
        return (
            "database unavailable\n",
            503,
            {"Content-Type": "text/plain", "Cache-Control": "no-store"},
        )
    return "ok\n", 200, {"Content-Type": "text/plain", "Cache-Control": "no-store"}
