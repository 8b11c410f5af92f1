"""A team lead's page: their team in counts."""

from flask import render_template
from flask_login import login_required

from ..access import organisations as org_access
from . import teams
from .views import bp


@bp.get("/org/teams/<int:team_id>")
@login_required
def team(team_id: int):
    led = org_access.get_led_team(team_id)
    return render_template("orgs/team.html", counts=teams.counts(led))
