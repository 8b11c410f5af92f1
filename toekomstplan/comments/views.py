"""Reactions on goals, suggestions and a worker's own view of a goal."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import access, ids, once
from ..access import Action, Section
from ..forms import posted
from ..http import for_logged_in
from ..limits import LimitReached
from . import services
from .forms import CommentForm, SuggestionForm

# Every page here is for someone logged in; access.py then decides what they may do.
bp = for_logged_in(Blueprint("comments", __name__))


def _back(goal_id: int, anchor: str) -> str:
    return url_for("goals.goal", goal_id=goal_id) + f"#{anchor}"


@bp.post("/goals/<int:goal_id>/comments")
@once.creates
def add(goal_id: int):
    goal = access.get_goal(goal_id, Action.COMMENT)
    form = CommentForm()
    if not posted(form):
        return redirect(_back(goal.id, "comments"))
    parent = access.reply_target(goal, ids.parse(form.parent.data))
    try:
        comment = services.add_comment(goal, current_user, form.body.data, parent)
    except LimitReached:
        flash(_("This goal has very many reactions. Delete old ones first."), "error")
        return redirect(_back(goal.id, "comments"))
    return redirect(_back(goal.id, f"comment-{comment.id}"))


@bp.post("/comments/<int:comment_id>/edit")
def edit(comment_id: int):
    comment = access.get_comment(comment_id)
    form = CommentForm()
    if posted(form):
        services.edit_comment(comment, form.body.data)
    return redirect(_back(comment.goal_id, f"comment-{comment.id}"))


@bp.post("/comments/<int:comment_id>/delete")
def delete(comment_id: int):
    comment = access.get_comment(comment_id)
    goal_id = comment.goal_id
    services.delete_comment(comment)
    return redirect(_back(goal_id, "comments"))


@bp.post("/plans/<int:plan_id>/suggestions")
@once.creates
def suggest_goal(plan_id: int):
    plan = access.get_plan(plan_id, Section.GOALS, Action.SUGGEST)
    form = SuggestionForm()
    if posted(form):
        services.suggest(plan, current_user, form.text.data, form.why.data or "")
        flash(_("Your suggestion is sent. The young person decides."), "success")
    return redirect(url_for("goals.overview", plan_id=plan.id))


@bp.post("/goals/<int:goal_id>/suggestions")
@once.creates
def suggest_step(goal_id: int):
    goal = access.get_goal(goal_id, Action.SUGGEST)
    form = SuggestionForm()
    if posted(form):
        services.suggest(goal.plan, current_user, form.text.data, form.why.data or "", goal)
        flash(_("Your suggestion is sent. The young person decides."), "success")
    return redirect(_back(goal.id, "suggestions"))


@bp.post("/suggestions/<int:suggestion_id>/accept")
def accept(suggestion_id: int):
    suggestion = access.get_suggestion(suggestion_id)
    goal = services.accept(suggestion, request.form.get("text", ""))
    flash(_("It is yours now."), "success")
    if suggestion.goal_id:
        return redirect(_back(goal.id, "steps"))
    return redirect(url_for("goals.goal", goal_id=goal.id))


@bp.post("/suggestions/<int:suggestion_id>/decline")
def decline(suggestion_id: int):
    suggestion = access.get_suggestion(suggestion_id)
    services.decline(suggestion)
    flash(_("Declined. That is fine: it is your plan."), "success")
    if suggestion.goal_id:
        return redirect(_back(suggestion.goal_id, "suggestions"))
    return redirect(url_for("goals.overview", plan_id=suggestion.plan_id))


@bp.post("/goals/<int:goal_id>/worker-rating")
def worker_rating(goal_id: int):
    goal = access.get_goal(goal_id, Action.SUGGEST)
    services.set_worker_rating(goal, current_user, request.form.get("rating", ""))
    return redirect(_back(goal.id, "rating"))
