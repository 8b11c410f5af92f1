"""Goals: overview, inspiration, create and edit, steps, rating, status, evidence."""

from pathlib import Path

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from .. import access, once, positions
from ..access import Action, Section
from ..comments import services as comment_services
from ..comments.forms import CommentForm, SuggestionForm
from ..forms import posted
from ..http import accepts_uploads, for_logged_in, wants_json
from ..limits import LimitReached
from ..media import inflight
from ..media import services as media_services
from ..media.messages import refusal_message, refused_json
from ..media.refusals import MediaRefused
from . import evidence, inspiration, pages, services
from .forms import EditGoalForm, NewGoalForm, StepForm

# Every page here is for someone logged in; access.py then decides what they may do.
bp = for_logged_in(Blueprint("goals", __name__))


def _goal_url(goal, anchor: str = "") -> str:
    return url_for("goals.goal", goal_id=goal.id) + (f"#{anchor}" if anchor else "")


@bp.get("/plans/<int:plan_id>/goals")
def overview(plan_id: int):
    plan = access.get_plan(plan_id, Section.GOALS)
    return render_template(
        "goals/overview.html",
        plan=plan,
        page=pages.goals_page(plan, current_user),
        suggestion_form=SuggestionForm(),
    )


@bp.get("/plans/<int:plan_id>/inspiration", endpoint="inspiration")
def inspiration_page(plan_id: int):
    plan = access.get_plan(plan_id, Section.GOALS, Action.EDIT)
    return render_template(
        "goals/inspiration.html", plan=plan, areas=inspiration.areas(str(get_locale()))
    )


@bp.route("/plans/<int:plan_id>/goals/new", methods=["GET", "POST"])
@once.creates
def new(plan_id: int):
    plan = access.get_plan(plan_id, Section.GOALS, Action.EDIT)
    card = inspiration.card(request.args.get("card", ""), str(get_locale()))
    form = NewGoalForm.from_card(card if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            goal = services.create_goal(
                plan,
                title=form.title.data,
                why=form.why.data or "",
                helpers=form.helpers.data or "",
                due=form.due.data,
                steps=form.step_texts(),
                card=form.card_key(),
            )
        except LimitReached:
            flash(
                _(
                    "You have %(n)d goals: that is the most. Delete one first.",
                    n=services.GOALS_MAX,
                ),
                "error",
            )
            return redirect(url_for("goals.overview", plan_id=plan.id))
        flash(_("Your goal is saved. Good luck!"), "success")
        return redirect(_goal_url(goal))
    return render_template("goals/new.html", plan=plan, form=form, card=card), (
        400 if form.errors else 200
    )


@bp.get("/goals/<int:goal_id>")
def goal(goal_id: int):
    goal = access.get_goal(goal_id)
    page = pages.goal_page(goal, current_user)  # before the visit marks everything read
    if page.may.sees_reactions:  # what was never shown stays new
        comment_services.mark_read(current_user, goal)
    return render_template(
        "goals/goal.html",
        plan=goal.plan,
        page=page,
        step_form=StepForm(),
        comment_form=CommentForm(),
        suggestion_form=SuggestionForm(),
    )


@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
def edit(goal_id: int):
    goal = access.get_goal(goal_id, Action.EDIT)
    form = EditGoalForm(obj=goal if request.method == "GET" else None)
    conflict = None
    if form.validate_on_submit():
        try:
            services.update_goal(
                goal,
                version=form.version.data,
                title=form.title.data,
                why=form.why.data or "",
                helpers=form.helpers.data or "",
                due=form.due.data,
            )
        except services.Conflict as changed:
            # Keep what they typed; show the newest version beside it; save again to overwrite.
            conflict = changed.goal
            form.version.raw_data, form.version.data = None, conflict.version
        else:
            flash(_("Saved."), "success")
            return redirect(_goal_url(goal))
    status = 409 if conflict else (400 if form.errors else 200)
    return render_template(
        "goals/edit.html", goal=conflict or goal, plan=goal.plan, form=form, conflict=conflict
    ), status


@bp.post("/goals/<int:goal_id>/steps")
@once.creates
def add_step(goal_id: int):
    goal = access.get_goal(goal_id, Action.EDIT)
    form = StepForm()
    if posted(form):
        try:
            services.add_step(goal, form.text.data)
        except LimitReached:
            flash(_("A goal has at most %(n)d steps.", n=services.STEPS_MAX), "error")
    return redirect(_goal_url(goal, "steps"))


@bp.post("/steps/<int:step_id>/toggle")
def toggle_step(step_id: int):
    step = access.get_step(step_id, Action.EDIT)
    services.toggle_step(step, request.form.get("done") == "1")
    goal = step.goal
    if wants_json():
        progress = services.progress(goal)
        return jsonify(
            done=step.done,
            progress=progress,
            progress_html=render_template("goals/_progress.html", progress=progress),
            # Only the newest entry: the answer stays small however long the history is.
            event_html=render_template(
                "goals/_event.html", event=services.latest_event(goal), shown_media={}
            ),
        )
    return redirect(_goal_url(goal, f"step-{step.id}"))


@bp.post("/steps/<int:step_id>/edit")
def edit_step(step_id: int):
    step = access.get_step(step_id, Action.EDIT)
    form = StepForm()
    if posted(form):
        services.update_step(step, form.text.data)
    return redirect(_goal_url(step.goal, f"step-{step.id}"))


@bp.post("/steps/<int:step_id>/delete")
def delete_step(step_id: int):
    step = access.get_step(step_id, Action.EDIT)
    goal = step.goal
    services.delete_step(step)
    return redirect(_goal_url(goal, "steps"))


@bp.post("/steps/<int:step_id>/move")
def move_step(step_id: int):
    step = access.get_step(step_id, Action.EDIT)
    services.move_step(step, positions.direction(request.form))
    return redirect(_goal_url(step.goal, f"step-{step.id}"))


@bp.post("/goals/<int:goal_id>/rating")
def rating(goal_id: int):
    goal = access.get_goal(goal_id, Action.EDIT)
    services.set_rating(goal, request.form.get("rating", ""))
    return redirect(_goal_url(goal, "rating"))


@bp.post("/goals/<int:goal_id>/estimate")
def estimate(goal_id: int):
    goal = access.get_goal(goal_id, Action.EDIT)
    value = request.form.get("estimate", "")
    services.set_estimate(goal, int(value) if value.isdigit() else -1)
    return redirect(_goal_url(goal, "progress"))


@bp.post("/goals/<int:goal_id>/status")
def status(goal_id: int):
    goal = access.get_goal(goal_id, Action.EDIT)
    new_status = request.form.get("status", "")
    services.set_status(goal, new_status, open_steps_done=request.form.get("open_steps") == "done")
    if new_status == "achieved" and goal.status == "achieved":
        flash(
            _("You did it! “%(title)s” is achieved. Be proud of yourself.", title=goal.title),
            "celebrate",
        )
    return redirect(_goal_url(goal))


@bp.post("/goals/<int:goal_id>/move")
def move(goal_id: int):
    goal = access.get_goal(goal_id, Action.EDIT)
    services.move_goal(goal, positions.direction(request.form))
    return redirect(url_for("goals.overview", plan_id=goal.plan_id) + f"#goal-{goal.id}")


@bp.route("/goals/<int:goal_id>/delete", methods=["GET", "POST"])
def delete(goal_id: int):
    goal = access.get_goal(goal_id, Action.EDIT)
    if request.method == "POST":
        plan_id = goal.plan_id
        services.delete_goal(goal)
        flash(_("The goal is deleted."), "success")
        return redirect(url_for("goals.overview", plan_id=plan_id))
    return render_template("goals/delete.html", goal=goal, plan=goal.plan)


@bp.post("/goals/<int:goal_id>/evidence")
@accepts_uploads("UPLOAD_MAX_BYTES")
@once.creates
def add_evidence(goal_id: int):
    goal = access.get_goal(goal_id, Action.EDIT)
    step = next((s for s in goal.steps if str(s.id) == request.form.get("step")), None)
    upload = request.files.get("file")
    try:
        if upload and upload.filename:
            with inflight.slot(goal.plan, current_user, request.content_length):
                media = media_services.store_upload(
                    goal.plan, Path(upload.stream.name), label=upload.filename
                )
        else:
            media = access.get_media(request.form.get("media", ""), Action.EDIT)
    except MediaRefused as refused:
        message = refusal_message(refused.reason, upload.filename if upload else None)
        if wants_json():  # the upload script shows it beside its progress bar
            return refused_json(message, refused.reason)
        flash(message, "error")
        return redirect(_goal_url(goal, "evidence"))
    finally:
        if upload:
            upload.close()
    if evidence.add(goal, media, step):
        flash(_("Added to what you learned."), "success")
    if wants_json():  # uploaded with progress: the script opens the page it lands on
        return jsonify(id=media.id, location=_goal_url(goal, "evidence")), 201
    return redirect(_goal_url(goal, "evidence"))


@bp.post("/goals/<int:goal_id>/evidence/<media_id>/remove")
def remove_evidence(goal_id: int, media_id: str):
    goal = access.get_goal(goal_id, Action.EDIT)
    evidence.remove(goal, media_id)
    return redirect(_goal_url(goal, "evidence"))
