"""Reactions on goals, suggestions and a worker's own view of a goal."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import access
from ..access import Action, Section
from ..extensions import db
from ..models import Comment, Suggestion
from . import services
from .forms import CommentForm, SuggestionForm

bp = Blueprint("comments", __name__)


def _back(goal_id: int, anchor: str) -> str:
    return url_for("goals.goal", goal_id=goal_id) + f"#{anchor}"


@bp.post("/goals/<int:goal_id>/comments")
@login_required
def add(goal_id: int):
    goal = access.get_goal(goal_id, Action.COMMENT)
    form = CommentForm()
    if form.validate_on_submit():
        parent_id = int(form.parent.data) if (form.parent.data or "").isdigit() else 0
        parent = db.session.get(Comment, parent_id) if 0 < parent_id < 2**31 else None
        try:
            comment = services.add_comment(goal, current_user, form.body.data, parent)
        except services.LimitReached:
            flash(_("This goal has very many reactions. Delete old ones first."), "error")
            return redirect(_back(goal.id, "comments"))
        return redirect(_back(goal.id, f"comment-{comment.id}"))
    flash(form.body.errors[0], "error")
    return redirect(_back(goal.id, "comments"))


def _own_comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    access.get_goal(comment.goal_id, Action.COMMENT)
    if comment.author_id != current_user.id:
        abort(404)
    return comment


@bp.post("/comments/<int:comment_id>/edit")
@login_required
def edit(comment_id: int):
    comment = _own_comment(comment_id)
    form = CommentForm()
    if form.validate_on_submit():
        services.edit_comment(comment, form.body.data)
    else:
        flash(form.body.errors[0], "error")
    return redirect(_back(comment.goal_id, f"comment-{comment.id}"))


@bp.post("/comments/<int:comment_id>/delete")
@login_required
def delete(comment_id: int):
    comment = _own_comment(comment_id)
    goal_id = comment.goal_id
    services.delete_comment(comment)
    return redirect(_back(goal_id, "comments"))


@bp.post("/plans/<int:plan_id>/suggestions")
@login_required
def suggest_goal(plan_id: int):
    plan = access.get_plan(plan_id, Section.GOALS, Action.COMMENT)
    if access.is_owner(current_user, plan):
        abort(404)  # a young person makes goals, not suggestions
    form = SuggestionForm()
    if form.validate_on_submit():
        services.suggest(plan, current_user, form.text.data, form.why.data or "")
        flash(_("Your suggestion is sent. The young person decides."), "success")
    else:
        flash(next(iter(form.errors.values()))[0], "error")
    return redirect(url_for("goals.overview", plan_id=plan.id))


@bp.post("/goals/<int:goal_id>/suggestions")
@login_required
def suggest_step(goal_id: int):
    goal = access.get_goal(goal_id, Action.COMMENT)
    if access.is_owner(current_user, goal.plan):
        abort(404)
    form = SuggestionForm()
    if form.validate_on_submit():
        services.suggest(goal.plan, current_user, form.text.data, form.why.data or "", goal)
        flash(_("Your suggestion is sent. The young person decides."), "success")
    else:
        flash(next(iter(form.errors.values()))[0], "error")
    return redirect(_back(goal.id, "suggestions"))


def _owned_suggestion(suggestion_id: int) -> Suggestion:
    suggestion = db.session.get(Suggestion, suggestion_id)
    if suggestion is None or suggestion.status != "pending":
        abort(404)
    access.get_plan(suggestion.plan_id, Section.GOALS, Action.EDIT)
    return suggestion


@bp.post("/suggestions/<int:suggestion_id>/accept")
@login_required
def accept(suggestion_id: int):
    suggestion = _owned_suggestion(suggestion_id)
    goal = services.accept(suggestion, request.form.get("text", "")[:200])
    flash(_("It is yours now."), "success")
    if suggestion.goal_id:
        return redirect(_back(goal.id, "steps"))
    return redirect(url_for("goals.goal", goal_id=goal.id))


@bp.post("/suggestions/<int:suggestion_id>/decline")
@login_required
def decline(suggestion_id: int):
    suggestion = _owned_suggestion(suggestion_id)
    services.decline(suggestion)
    flash(_("Declined. That is fine: it is your plan."), "success")
    if suggestion.goal_id:
        return redirect(_back(suggestion.goal_id, "suggestions"))
    return redirect(url_for("goals.overview", plan_id=suggestion.plan_id))


@bp.post("/goals/<int:goal_id>/worker-rating")
@login_required
def worker_rating(goal_id: int):
    goal = access.get_goal(goal_id, Action.COMMENT)
    if access.is_owner(current_user, goal.plan):
        abort(404)
    services.set_worker_rating(goal, current_user, request.form.get("rating", ""))
    return redirect(_back(goal.id, "rating"))
