"""What the caseload page shows to one supporter, built here so the template only shows it.

Sort, filters and search come from the page's address (`?sort=name&signal=not_yet&q=sa`);
anything unknown there falls back to the default, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from ..models import User
from . import services


def context(user: User, args: Mapping[str, str]) -> dict:
    caseload = services.caseload_for(user)
    sort = args.get("sort", "attention")
    sort = sort if sort in SORTS else "attention"
    team = args.get("team", "")[:60]
    team = team if team in caseload.teams else ""
    signal = args.get("signal", "")
    signal = signal if signal in set(services.Signal) else ""
    search = args.get("q", "")[:80]
    return {
        "caseload": caseload,
        "rows": arrange(caseload, sort=sort, team=team, signal=signal, search=search),
        "chosen": {"sort": sort, "team": team, "signal": signal, "q": search},
        "filtered": bool(team or signal or search.strip()),
    }


SORTS = ("attention", "name", "activity")


def arrange(
    caseload: services.Caseload, *, sort: str, team: str = "", signal: str = "", search: str = ""
) -> list[services.Row]:
    """The rows as asked: filtered by team, signal and name (the text is matched literally,
    a % or _ in it is just that character), then sorted."""
    rows = caseload.rows
    if team:
        rows = [row for row in rows if team in row.teams]
    if signal in set(services.Signal):
        rows = [row for row in rows if signal in row.signals]
    needle = search.strip().casefold()
    if needle:
        rows = [row for row in rows if needle in row.name.casefold()]
    epoch = datetime.min.replace(tzinfo=UTC)
    newest = lambda row: row.last_change or row.last_activity or epoch  # noqa: E731
    if sort == "name":
        return sorted(rows, key=lambda row: row.name.casefold())
    if sort == "activity":
        return sorted(rows, key=lambda row: row.last_activity or epoch, reverse=True)
    return sorted(rows, key=lambda row: (row.attention, newest(row)), reverse=True)
