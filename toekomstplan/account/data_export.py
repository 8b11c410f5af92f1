"""Download all my data: a ZIP with the plan as documented JSON and every photo and video."""

from __future__ import annotations

import json
import tempfile
import zipfile
from datetime import UTC, date, datetime
from typing import IO

import sqlalchemy as sa

from .. import access
from ..comments import services as comment_services
from ..export import services as export_services
from ..extensions import db
from ..goals import services as goal_services
from ..models import AttachTarget, Comment, Goal, Media, MediaKind, Plan, Share, User
from ..storage import storage

FORMAT = "toekomstplan-export"
VERSION = 1

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


def _variant(media: Media) -> str:
    """The stripped file a person takes along: the master of a photo, the MP4 of a video."""
    return "video" if media.kind == MediaKind.VIDEO else "master"


def _media_path(media: Media) -> str:
    extension = ".mp4" if media.kind == MediaKind.VIDEO else ".jpg"
    return f"media/{media.id}{extension}"


class _Shown:
    """Which media ids are shown where in a plan, from its attachments."""

    def __init__(self, plan: Plan):
        self.cover: str | None = None
        self.intro: list[str] = []
        self.by_target: dict[tuple[str, int], list[str]] = {}
        for attachment in plan.attachments:
            if attachment.target == AttachTarget.COVER:
                self.cover = attachment.media_id
            elif attachment.target == AttachTarget.INTRO:
                self.intro.append(attachment.media_id)
            else:
                target_id = attachment.about_item_id or attachment.goal_id or attachment.step_id
                key = (attachment.target, target_id or 0)
                self.by_target.setdefault(key, []).append(attachment.media_id)

    def on(self, target: str, target_id: int) -> list[str]:
        return self.by_target.get((target, target_id), [])


def _reaction(comment: Comment, replies=()) -> dict:
    return {
        "by": comment.author.name if comment.author else "deleted account",
        "at": _iso(comment.created_at),
        "text": comment.body,
        "replies": [_reaction(r) for r in replies],
    }


def _goal_data(goal: Goal, shown: _Shown) -> dict:
    evidence = list(shown.on(AttachTarget.GOAL, goal.id))
    for step in goal.steps:
        evidence += shown.on(AttachTarget.STEP, step.id)
    return {
        "title": goal.title,
        "why": goal.why,
        "who_helps": goal.helpers,
        "when": _iso(goal.due),
        "status": goal.status,
        "rating": goal.rating,
        "own_estimate": goal.estimate,
        "progress": goal_services.progress(goal),
        "steps": [{"text": s.text, "done": s.done, "done_at": _iso(s.done_at)} for s in goal.steps],
        "history": [
            {"at": _iso(e.at), "kind": e.kind, "progress": e.progress, "value": e.value}
            for e in goal.events
        ],
        "evidence": evidence,
        "reactions": [_reaction(c, r) for c, r in comment_services.thread(goal)],
    }


def _media_data(media: Media) -> dict:
    return {
        "id": media.id,
        "kind": media.kind,
        "caption": media.caption,
        "original_name": media.label,
        "created_at": _iso(media.created_at),
        "file": _media_path(media) if media.file(_variant(media)) else None,
    }


def _share_data(share: Share) -> dict:
    return {
        "name": share.user.name,
        "role": share.role,
        "sees": [section.value for section in access.shared_sections(share)],
        "since": _iso(share.created_at),
    }


def _plan_data(plan: Plan) -> dict:
    shown = _Shown(plan)
    shares = db.session.scalars(sa.select(Share).where(Share.plan_id == plan.id))
    return {
        "cover": {
            "title": plan.cover_title,
            "subtitle": plan.cover_subtitle,
            "theme": plan.cover_theme,
            "colour": plan.cover_color,
            "layout": plan.cover_layout,
            "photo": shown.cover,
        },
        "introduction": {"text": plan.intro_text, "media": shown.intro},
        "about": [
            {"kind": i.kind, "text": i.text, "media": shown.on(AttachTarget.ABOUT, i.id)}
            for i in plan.about_items
        ],
        "goals": [_goal_data(goal, shown) for goal in goal_services.load_goals(plan)],
        "media": [_media_data(item) for item in plan.media],
        "shared_with": [_share_data(share) for share in shares],
    }


def _reactions_written(user: User) -> list[dict]:
    """For a supporter: the reactions they wrote in other people's plans."""
    comments = db.session.scalars(
        sa.select(Comment).where(Comment.author_id == user.id).order_by(Comment.created_at)
    )
    return [
        {"goal": c.goal.title, "at": _iso(c.created_at), "text": c.body}
        for c in comments
        if user.plan is None or c.goal.plan_id != user.plan.id
    ]


def export_data(user: User) -> dict:
    """Return everything of `user` as the documented plan.json."""
    return {
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
        "plan": _plan_data(user.plan) if user.plan else None,
        "reactions_written": _reactions_written(user),
    }


def _add_media(archive: zipfile.ZipFile, plan: Plan) -> None:
    for item in plan.media:
        stored = item.file(_variant(item))
        if stored is None:
            continue
        # Photos and videos are compressed already: store them as they are.
        with (
            storage().open(stored.key) as source,
            archive.open(_media_path(item), "w") as target,
        ):
            while chunk := source.read(1024 * 1024):
                target.write(chunk)


def export_zip(user: User) -> IO[bytes]:
    """Write everything of `user` into a ZIP and return it, open at its start.

    The file has no name on disk: closing it (the download ends, or breaks off) removes it,
    and a crash leaves nothing to find.
    """
    pdf = export_services.make_pdf(user.plan, user) if user.plan else None
    data = export_data(user)
    archive_file = tempfile.TemporaryFile(dir=storage().work_dir())
    try:
        with zipfile.ZipFile(archive_file, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", README)
            archive.writestr("plan.json", json.dumps(data, ensure_ascii=False, indent=2))
            if pdf:
                archive.writestr("plan.pdf", pdf)
            if user.plan is not None:
                _add_media(archive, user.plan)
    except BaseException:
        archive_file.close()
        raise
    archive_file.seek(0)
    return archive_file
