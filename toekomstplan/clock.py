"""The time the app goes by: now in UTC, and today in Dutch time (days end at midnight in
the Netherlands: a share whose last day is 1 March is refused from 2 March 00:00).
Tests freeze it by replacing `now`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def now() -> datetime:
    return datetime.now(UTC)


def local(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def today() -> date:
    return local(now()).date()
