"""Photos and videos: gallery, upload, drawing, caption, attach, delete, and the bytes."""

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from .. import access, once
from ..access import Action, Section
from ..forms import posted
from ..http import accepts_uploads, for_logged_in, wants_json
from ..models.media import CAPTION_MAX
from ..storage import storage
from . import inflight, services, video_jobs
from .forms import AttachForm, CaptionForm
from .messages import refusal_message, refused_json
from .refusals import Refusal

# Every page here is for someone logged in; access.py then decides what they may do.
bp = for_logged_in(Blueprint("media", __name__))

SERVED_VARIANTS = {"display", "thumb", "print", "master", "video"}


@bp.get("/plans/<int:plan_id>/media")
def gallery(plan_id: int):
    plan = access.get_plan(plan_id, Section.MEDIA, Action.EDIT)
    return render_template("media/gallery.html", plan=plan, used=services.used_bytes(plan.id))


@bp.post("/plans/<int:plan_id>/media")
@accepts_uploads("UPLOAD_MAX_BYTES")
@once.creates
def upload(plan_id: int):
    plan = access.get_plan(plan_id, Section.MEDIA, Action.EDIT)
    files = [f for f in request.files.getlist("file") if f and f.filename is not None]
    if not files:
        return _refused(plan.id, _("Choose a photo or video first."))
    stored = []
    try:
        with inflight.slot(plan, current_user, request.content_length):
            for file in files:
                stored.append(
                    services.store_upload(
                        plan,
                        Path(file.stream.name),
                        label=file.filename or "",
                        caption=request.form.get("caption", "")[:CAPTION_MAX],
                    )
                )
                file.close()
    except services.MediaRefused as refused:
        name = files[len(stored)].filename if len(stored) < len(files) else None
        return _refused(plan.id, refusal_message(refused.reason, name), refused.reason)
    finally:
        for file in files:
            file.close()
    if request.form.get("drawing"):
        flash(_("Your drawing is saved. It is with your photos and videos now."), "success")
    if wants_json():
        media = stored[0]
        card = render_template("media/_card.html", media=media)
        used = render_template("media/_used.html", used=services.used_bytes(plan.id))
        url = url_for("media.detail", media_id=media.id)
        return jsonify(id=media.id, status=media.status, html=card, used=used, url=url), 201
    flash(_("Added to your photos and videos."), "success")
    return redirect(url_for("media.gallery", plan_id=plan.id))


def _refused(plan_id: int, message: str, reason: Refusal | None = None):
    if wants_json():
        return refused_json(message, reason)
    flash(message, "error")
    return redirect(url_for("media.gallery", plan_id=plan_id))


@bp.get("/plans/<int:plan_id>/draw")
def draw(plan_id: int):
    plan = access.get_plan(plan_id, Section.MEDIA, Action.EDIT)
    return render_template("media/draw.html", plan=plan)


@bp.get("/media/<media_id>")
def detail(media_id: str):
    media = access.get_media(media_id)
    plan = media.plan
    attach = AttachForm(
        intro=any(a.target == "intro" for a in media.attachments),
        about=[a.about_item_id for a in media.attachments if a.about_item_id],
    )
    attach.about.choices = [(item.id, item.text) for item in plan.about_items]
    return render_template(
        "media/detail.html",
        media=media,
        plan=plan,
        caption_form=CaptionForm(caption=media.caption),
        attach_form=attach,
        can_edit=access.can(current_user, plan, Section.MEDIA, Action.EDIT),
    )


@bp.post("/media/<media_id>/caption")
def caption(media_id: str):
    media = access.get_media(media_id, Action.EDIT)
    form = CaptionForm()
    if posted(form):
        services.update_caption(media, form.caption.data or "")
        flash(_("Saved."), "success")
    return redirect(url_for("media.detail", media_id=media.id))


@bp.post("/media/<media_id>/attach")
def attach(media_id: str):
    media = access.get_media(media_id, Action.EDIT)
    form = AttachForm()
    form.about.choices = [(item.id, item.text) for item in media.plan.about_items]
    if form.validate_on_submit():
        services.set_attachments(
            media, intro=form.intro.data, about_item_ids=set(form.about.data or [])
        )
        flash(_("Saved. You see it in your plan now."), "success")
    return redirect(url_for("media.detail", media_id=media.id))


@bp.post("/media/<media_id>/delete")
def delete(media_id: str):
    media = access.get_media(media_id, Action.EDIT)
    plan_id = media.plan_id
    services.delete_media(media)
    flash(_("Deleted."), "success")
    return redirect(url_for("media.gallery", plan_id=plan_id))


@bp.post("/media/<media_id>/retry")
def retry(media_id: str):
    media = access.get_media(media_id, Action.EDIT)
    if video_jobs.can_retry(media):
        video_jobs.retry_video(media)
    return redirect(url_for("media.gallery", plan_id=media.plan_id))


@bp.get("/media/<media_id>/status")
def status(media_id: str):
    media = access.get_media(media_id, log=False)
    return jsonify(status=media.status, html=render_template("media/_card.html", media=media))


@bp.get("/media/<media_id>/<variant>")
def file(media_id: str, variant: str):
    media = access.get_media(media_id, log=False)
    stored = media.file(variant) if variant in SERVED_VARIANTS else None
    if stored is None:
        abort(404)
    response = storage().send(
        stored.key,
        content_type=stored.content_type,
        download_name=services.download_name(media, stored),
        etag=stored.checksum,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


bp.add_app_template_global(video_jobs.lost_job)


@bp.app_template_global()
def media_url(media, variant: str) -> str:
    """Return the URL of a stored variant; it changes when the file does (?v=checksum)."""
    stored = media.file(variant)
    if stored is None:
        return ""
    return url_for("media.file", media_id=media.id, variant=variant, v=stored.checksum[:12])
