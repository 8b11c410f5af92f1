"""Download all my data: a ZIP with the plan as documented JSON and every photo and video."""

from __future__ import annotations

import json
import tempfile
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from ..comments import services as comment_services
from ..extensions import db
from ..goals import services as goal_services
from ..models import Comment, Media, Share, User
from ..storage import storage

FORMAT = "toekomstplan-export"
VERSION = 1
# The stripped files a person takes along: the master of a photo, the MP4 of a video.
TAKEN_VARIANTS = {"master": "photo", "video": "video"}

README = """Toekomstplan: all your data
============================

plan.json holds everything you wrote, in JSON (UTF-8). Its fields:

  format, version     "toekomstplan-export", 1
  exported_at         when this file was made (ISO 8601, UTC)
  account             name, email, username, language, created_at
  plan                null for someone without a plan of their own, else:
    cover             title, subtitle, theme, colour, layout, photo (a media id)
    introduction      your text; media: the ids shown with it
    about             list of {kind: quality|talent|hobby, text, media: [ids]}
    goals             list of {title, why, who_helps, when, status (active|paused|achieved),
                      rating (good|bit|not_yet), own_estimate (0-100), progress (0-100),
                      steps: [{text, done, done_at}], history: [{at, kind, progress, value}],
                      evidence: [media ids], reactions: [{by, at, text, replies: [...]}]}
    media             list of {id, kind (photo|video), caption, original_name, created_at,
                      file: the path of the file in this ZIP}
    shared_with       list of {name, role (worker|viewer), sees: [sections], since}
  reactions_written   for support workers: the reactions you wrote, with the goal's title

media/ holds every photo (JPEG) and video (MP4), without location or other hidden data.
plan.pdf is your plan as you would print it.
"""


def _iso(value) -> str | None:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _media_path(media: Media, variant: str) -> str:
    extension = ".mp4" if variant == "video" else ".jpg"
    return f"media/{media.id}{extension}"


def _plan_data(user: User) -> dict | None:
    plan = user.plan
    if plan is None:
        return None
    shown = {"cover": None, "intro": [], "about": {}, "goal": {}, "step": {}}
    for attachment in plan.attachments:
        if attachment.target == "cover":
            shown["cover"] = attachment.media_id
        elif attachment.target == "intro":
            shown["intro"].append(attachment.media_id)
        elif attachment.target == "about":
            shown["about"].setdefault(attachment.about_item_id, []).append(attachment.media_id)
        elif attachment.target == "goal":
            shown["goal"].setdefault(attachment.goal_id, []).append(attachment.media_id)
        elif attachment.target == "step":
            shown["step"].setdefault(attachment.step_id, []).append(attachment.media_id)

    def reaction(comment: Comment, replies=()) -> dict:
        return {
            "by": comment.author.name if comment.author else "deleted account",
            "at": _iso(comment.created_at),
            "text": comment.body,
            "replies": [reaction(r) for r in replies],
        }

    goals = []
    for goal in goal_services.load_goals(plan):
        evidence = list(shown["goal"].get(goal.id, []))
        for step in goal.steps:
            evidence += shown["step"].get(step.id, [])
        goals.append(
            {
                "title": goal.title,
                "why": goal.why,
                "who_helps": goal.helpers,
                "when": _iso(goal.due),
                "status": goal.status,
                "rating": goal.rating,
                "own_estimate": goal.estimate,
                "progress": goal_services.progress(goal),
                "steps": [
                    {"text": s.text, "done": s.done, "done_at": _iso(s.done_at)} for s in goal.steps
                ],
                "history": [
                    {"at": _iso(e.at), "kind": e.kind, "progress": e.progress, "value": e.value}
                    for e in goal.events
                ],
                "evidence": evidence,
                "reactions": [reaction(c, r) for c, r in comment_services.thread(goal)],
            }
        )
    media = []
    for item in plan.media:
        variant = "video" if item.kind == "video" else "master"
        media.append(
            {
                "id": item.id,
                "kind": item.kind,
                "caption": item.caption,
                "original_name": item.label,
                "created_at": _iso(item.created_at),
                "file": _media_path(item, variant) if item.file(variant) else None,
            }
        )
    shares = db.session.scalars(sa.select(Share).where(Share.plan_id == plan.id)).all()
    return {
        "cover": {
            "title": plan.cover_title,
            "subtitle": plan.cover_subtitle,
            "theme": plan.cover_theme,
            "colour": plan.cover_color,
            "layout": plan.cover_layout,
            "photo": shown["cover"],
        },
        "introduction": {"text": plan.intro_text, "media": shown["intro"]},
        "about": [
            {"kind": i.kind, "text": i.text, "media": shown["about"].get(i.id, [])}
            for i in plan.about_items
        ],
        "goals": goals,
        "media": media,
        "shared_with": [
            {
                "name": s.user.name,
                "role": s.role,
                "sees": [k for k in ("intro", "about", "media") if getattr(s, f"sees_{k}")],
                "since": _iso(s.created_at),
            }
            for s in shares
        ],
    }


def export_zip(user: User, pdf: bytes | None = None) -> Path:
    """Write everything of `user` into a ZIP on disk and return its path (caller deletes it)."""
    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _iso(datetime.now(UTC)),
        "account": {
            "name": user.name,
            "email": user.email,
            "username": user.username,
            "language": user.locale,
            "created_at": _iso(user.created_at),
        },
        "plan": _plan_data(user),
        "reactions_written": [
            {"goal": c.goal.title, "at": _iso(c.created_at), "text": c.body}
            for c in db.session.scalars(
                sa.select(Comment).where(Comment.author_id == user.id).order_by(Comment.created_at)
            )
            if user.plan is None or c.goal.plan_id != user.plan.id
        ],
    }
    fd, name = tempfile.mkstemp(suffix=".zip", dir=storage().tmp_dir())
    path = Path(name)
    with open(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        archive.writestr("plan.json", json.dumps(data, ensure_ascii=False, indent=2))
        if pdf:
            archive.writestr("plan.pdf", pdf)
        if user.plan is not None:
            for item in user.plan.media:
                variant = "video" if item.kind == "video" else "master"
                stored = item.file(variant)
                if stored is None:
                    continue
                # Photos and videos are compressed already: store them as they are.
                with (
                    storage().open(stored.key) as source,
                    archive.open(_media_path(item, variant), "w") as target,
                ):
                    while chunk := source.read(1024 * 1024):
                        target.write(chunk)
    return path
