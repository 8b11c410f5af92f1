"""An organisation's export of its own audit log (NEN 7513): event, time, which plan, which
person, on whose behalf. Ids and the names of its own people, never plan content.

The file is streamed row by row from the database, so a log of years costs no memory, and a
cell that a spreadsheet would read as a formula is written as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import AuditRecord, User

HEADER = (
    "time_utc",
    "event",
    "actor_id",
    "actor_name",
    "on_behalf_of",
    "subject_id",
    "subject_name",
    "plan_id",
    "detail",
)
BATCH = 500
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The cell as text; one starting like a formula gets a quote in front (OWASP CSV)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _rows(org_id: int) -> Iterator[tuple]:
    actor, subject = aliased(User), aliased(User)
    query = (
        sa.select(
            AuditRecord.at,
            AuditRecord.event,
            AuditRecord.actor_id,
            actor.name,
            AuditRecord.on_behalf_of,
            AuditRecord.subject_id,
            subject.name,
            AuditRecord.plan_id,
            AuditRecord.detail,
        )
        .outerjoin(actor, actor.id == AuditRecord.actor_id)
        .outerjoin(subject, subject.id == AuditRecord.subject_id)
        .where(AuditRecord.organisation_id == org_id)
        .order_by(AuditRecord.id)
        .execution_options(yield_per=BATCH)
    )
    yield from db.session.execute(query)


def csv_lines(org_id: int) -> Iterator[str]:
    """The export, a line at a time (the first is the header)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for at, *rest in _rows(org_id):
        writer.writerow([at.strftime("%Y-%m-%dT%H:%M:%SZ")] + [safe_cell(v) for v in rest])
        if buffer.tell() > 16_384:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
