"""The plan: its home, the cover editor, the introduction and "about me"."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import access, once, pagecache, positions
from ..access import Action, Section, workers
from ..access import organisations as org_access
from ..caseload import pages as caseload_pages
from ..limits import LimitReached
from ..media import services as media_services
from ..models import Plan
from ..orgs import admin as org_admin
from ..orgs import standins
from ..sharing import services as sharing_services
from . import pages, services, themes
from .forms import AboutItemForm, CoverForm, IntroForm

bp = Blueprint("plan", __name__)


@bp.record_once
def _register_themes(state: BlueprintSetupState) -> None:
    # Every page of a plan wears its cover's colours: the theme_style macro reads them.
    state.app.jinja_env.globals["themes"] = themes


@bp.get("/")
def start():
    if not current_user.is_authenticated:
        return render_template("plan/welcome.html")
    plan_id = access.own_plan_id(current_user)
    if plan_id is None:  # a supporter: their caseload is their home
        user = current_user._get_current_object()
        return render_template(
            "plan/shared.html",
            **caseload_pages.context(user, request.args),
            admin_of=org_access.admin_organisations(user),
            member_of=workers.start_link_place(user),
            led_teams=org_access.led_teams(user),
        )
    return redirect(url_for("plan.home", plan_id=plan_id))


def _news(plan: Plan) -> str:
    # Made on every view, also of a cached page: nothing new (the usual case) renders nothing.
    news = pages.news(plan, current_user)
    own = access.is_owner(current_user, plan)
    notices = org_admin.notices_for(current_user) if own else []
    asks = standins.open_asks(plan) if own else []
    if not (news or notices or asks):
        return ""
    return render_template("plan/_news.html", plan=plan, news=news, notices=notices, asks=asks)


@bp.get("/plans/<int:plan_id>")
@login_required
def home(plan_id: int):
    plan = access.get_plan(plan_id)
    preview = access.start_preview(plan, request.args.get("as", type=int))
    page = pagecache.render_plan_page(
        "plan/home.html",
        plan,
        lambda: {"page": pages.home_page(plan, current_user, preview)},
        live_parts={"news": lambda: _news(plan)},
    )
    # The user itself, not the proxy: the access helpers below ask it several things.
    sharing_services.note_visit(current_user._get_current_object(), plan)
    return page


@bp.route("/plans/<int:plan_id>/cover", methods=["GET", "POST"])
@login_required
def cover(plan_id: int):
    plan = access.get_plan(plan_id, Section.COVER, Action.EDIT)
    photos = media_services.cover_choices(plan)
    if request.method == "POST":
        form = CoverForm().with_photos(photos)
    else:
        form = CoverForm.for_plan(plan, photos, media_services.attached(plan).cover)
    if form.validate_on_submit():
        services.update_cover(
            plan,
            title=form.title.data,
            subtitle=form.subtitle.data,
            theme=form.theme.data,
            color=form.color.data,
            layout=form.layout.data,
            photo=next((m for m in photos if m.id == form.photo.data), None),
            focus=form.focus.data or "center",
        )
        flash(_("Your cover is saved."), "success")
        return redirect(url_for("plan.home", plan_id=plan.id))
    photos_by_id = {m.id: m for m in photos}
    return render_template(
        "plan/cover.html",
        plan=plan,
        form=form,
        photos=photos_by_id,
        cover_media=photos_by_id.get(form.photo.data) if form.photo.data else None,
    ), (400 if form.errors else 200)


@bp.route("/plans/<int:plan_id>/intro", methods=["GET", "POST"])
@login_required
def intro(plan_id: int):
    plan = access.get_plan(plan_id, Section.INTRO, Action.EDIT)
    form = IntroForm(data=None if request.method == "POST" else {"text": plan.intro_text})
    if form.validate_on_submit():
        services.update_intro(plan, form.text.data)
        flash(_("Your introduction is saved."), "success")
        return redirect(url_for("plan.home", plan_id=plan.id) + "#intro")
    return render_template("plan/intro.html", plan=plan, form=form), (400 if form.errors else 200)


@bp.route("/plans/<int:plan_id>/about", methods=["GET", "POST"])
@login_required
@once.creates
def about(plan_id: int):
    plan = access.get_plan(plan_id, Section.ABOUT, Action.EDIT)
    form = AboutItemForm(
        data=None if request.method == "POST" else {"kind": request.args.get("kind", "quality")}
    )
    if form.validate_on_submit():
        try:
            services.add_about_item(plan, form.kind.data, form.text.data)
        except LimitReached:
            flash(_("Your list is full. Delete something first."), "error")
        else:
            flash(_("Added to your list."), "success")
        return redirect(url_for("plan.about", plan_id=plan.id, kind=form.kind.data))
    return render_template(
        "plan/about.html",
        plan=plan,
        form=form,
        about=services.group_about_items(plan.about_items),
    ), (400 if form.errors else 200)


@bp.route("/about/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_about_item(item_id: int):
    item = access.get_about_item(item_id, Action.EDIT)
    form = AboutItemForm() if request.method == "POST" else AboutItemForm(obj=item)
    if form.validate_on_submit():
        services.update_about_item(item, form.kind.data, form.text.data)
        flash(_("Saved."), "success")
        return redirect(url_for("plan.about", plan_id=item.plan_id))
    return render_template("plan/about_edit.html", item=item, plan=item.plan, form=form), (
        400 if form.errors else 200
    )


@bp.post("/about/<int:item_id>/delete")
@login_required
def delete_about_item(item_id: int):
    item = access.get_about_item(item_id, Action.EDIT)
    plan_id = item.plan_id
    services.delete_about_item(item)
    flash(_("Deleted."), "success")
    return redirect(url_for("plan.about", plan_id=plan_id))


@bp.post("/about/<int:item_id>/move")
@login_required
def move_about_item(item_id: int):
    item = access.get_about_item(item_id, Action.EDIT)
    services.move_about_item(item, positions.direction(request.form))
    return redirect(url_for("plan.about", plan_id=item.plan_id) + f"#item-{item.id}")
