"""Who may see or change which section of which plan: the one place that decides.

The one access module: plans here, organisation questions in `access/organisations.py`.

Every view asks this module, through `can()` or a `get_*` helper that loads a row and
aborts with 404 when the current user may not have it (the shape of flaskr's `get_post`).
The owner (the young person) may do everything but what is asked of someone else: suggesting
and a worker's rating. Someone the young person shares with gets a `Share`: a role (worker:
read, comment, suggest; viewer: read) and the sections they may see, each goal included
unless hidden from them. Anything else, and anything revoked, past its last day or never
shared, is a 404: a plan's existence is not revealed.

The young person can look at their plan "as" someone they share with (preview): while a
preview is on, every check answers as that person would get it.

Deciding never writes: what was looked at or refused is noted for the access log
(`access_log.note`), which stores it after the request.
"""

from __future__ import annotations

import enum
from typing import NoReturn, TypeVar

import sqlalchemy as sa
from flask import abort, g, has_request_context, request
from flask_login import current_user

from .. import access_log, clock, ids
from ..extensions import db
from ..models import (
    AboutItem,
    Comment,
    Goal,
    Invite,
    Media,
    Plan,
    Share,
    ShareRole,
    Step,
    Suggestion,
    SuggestionStatus,
    User,
    WorkerRating,
)

_PlanRow = TypeVar("_PlanRow", Share, Invite)


class Section(enum.StrEnum):
    COVER = "cover"
    INTRO = "intro"
    ABOUT = "about"
    MEDIA = "media"
    GOALS = "goals"
    REACTIONS = "reactions"  # the conversation on the goals: reactions, suggestions, views


class Action(enum.StrEnum):
    VIEW = "view"
    COMMENT = "comment"  # react on a goal: the young person and a worker
    SUGGEST = "suggest"  # suggest a goal or step, give a worker's rating: a worker, never the owner
    EDIT = "edit"  # change the plan: the young person only


def share_of(user: User | None, plan: Plan) -> Share | None:
    """Return `user`'s share of `plan` (cached for the request), or None.

    The young person has no share of their own plan, also while previewing it.
    """
    if user is None or not getattr(user, "is_authenticated", False) or is_owner(user, plan):
        return None
    cache = g.setdefault("_shares", {}) if has_request_context() else {}
    key = (user.id, plan.id)
    if key not in cache:
        mine = sa.and_(Share.plan_id == plan.id, Share.user_id == user.id)
        cache[key] = db.session.scalar(sa.select(Share).where(mine, Share.current(clock.today())))
    return cache[key]


def previewing(plan: Plan) -> Share | None:
    """Return the share the owner is previewing this plan as, if any."""
    share = g.get("_preview") if has_request_context() else None
    return share if share is not None and share.plan_id == plan.id else None


def start_preview(plan: Plan, share_id: int | None) -> Share | None:
    """Let the owner see `plan` as one of their shares sees it, for this request only."""
    if share_id is None or request.method != "GET" or not is_owner(current_user, plan):
        return None
    share = db.session.get(Share, share_id) if ids.fits(share_id) else None
    if share is None or share.plan_id != plan.id:
        abort(404)
    g._preview = share
    return share


def share_sees(share: Share, section: Section, goal: ids.Identified | None = None) -> bool:
    """Say whether the person with `share` sees `section` (or one goal) of its plan."""
    if section == Section.INTRO:
        return share.sees_intro
    if section == Section.ABOUT:
        return share.sees_about
    if section == Section.MEDIA:
        return share.sees_media
    if section == Section.REACTIONS:
        return share.role == ShareRole.WORKER or share.sees_reactions
    if section == Section.GOALS and goal is not None:
        return goal.id not in share.hidden_goal_ids
    return True  # the cover and the list of goals (each goal is checked on its own)


# What a share may be switched to see (the cover and the list of goals always are).
SWITCHED_SECTIONS = (Section.INTRO, Section.ABOUT, Section.MEDIA, Section.REACTIONS)


def shared_sections(share: Share) -> list[Section]:
    """Return the switched sections the person with `share` sees, in the share page's order."""
    return [section for section in SWITCHED_SECTIONS if share_sees(share, section)]


def can(
    user: User | None,
    plan: Plan,
    section: Section,
    action: Action = Action.VIEW,
    goal: Goal | None = None,
) -> bool:
    """Say whether `user` may do `action` on `section` (or one goal) of `plan`."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    preview = previewing(plan) if plan.owner_id == user.id else None
    if plan.owner_id == user.id and preview is None:
        return action != Action.SUGGEST  # the young person makes goals, not suggestions
    share = preview or share_of(user, plan)
    if share is None or action == Action.EDIT:
        return False
    if action in (Action.COMMENT, Action.SUGGEST) and share.role != ShareRole.WORKER:
        return False
    return share_sees(share, section, goal)


def sections_for(user: User | None, plan: Plan) -> dict[str, bool]:
    """Say for each section whether `user` sees it (for templates that show a whole plan)."""
    return {section.value: can(user, plan, section) for section in Section}


def visible_goals(user: User | None, plan: Plan, goals: list[Goal]) -> list[Goal]:
    """Keep the goals `user` may see: a hidden goal is absent from pages and counts."""
    return [goal for goal in goals if can(user, plan, Section.GOALS, goal=goal)]


def is_owner(user: User | None, plan: Plan) -> bool:
    """Say whether `user` is the young person whose plan it is."""
    return bool(user and user.is_authenticated and plan.owner_id == user.id)


def belongs_to(user: User | None, row: Comment | Suggestion | WorkerRating) -> bool:
    """Say whether a reaction, suggestion or worker's rating is `user`'s own."""
    owner_id = row.user_id if isinstance(row, WorkerRating) else row.author_id
    return bool(user is not None and owner_id is not None and owner_id == user.id)


def may_accept_invite(user: User, invite: Invite) -> bool:
    """Say whether `user` may take an invitation: a supporter, never the young person."""
    return not user.is_youth and invite.plan.owner_id != user.id


def _refuse(plan: Plan | None) -> NoReturn:
    """Answer 404, and note the attempt for the access log when it was on a real plan."""
    if plan is not None and current_user.is_authenticated:
        access_log.note(plan.id, current_user.id, "refused", request.path)
    abort(404)


def _seen(plan: Plan, target: str) -> None:
    """Note a page someone other than the owner looked at."""
    if request.method == "GET" and not is_owner(current_user, plan):
        access_log.note(plan.id, current_user.id, "view", target)


def get_plan(plan_id: int, section: Section = Section.COVER, action: Action = Action.VIEW) -> Plan:
    """Load a plan the current user may access for `section`, or abort with 404."""
    # The session loader already put the user's own plan in the identity map: no query then.
    plan = db.session.get(Plan, plan_id) if ids.fits(plan_id) else None
    if plan is None or not can(current_user, plan, section, action):
        _refuse(plan)
    _seen(plan, str(section))
    return plan


def get_about_item(item_id: int, action: Action = Action.VIEW) -> AboutItem:
    """Load an "about me" item the current user may access, or abort with 404."""
    item = db.session.get(AboutItem, item_id)
    if item is None or not can(current_user, item.plan, Section.ABOUT, action):
        _refuse(item.plan if item else None)
    return item


def get_goal(goal_id: int, action: Action = Action.VIEW) -> Goal:
    """Load a goal the current user may see (and comment on, suggest for, or change)."""
    goal = db.session.get(Goal, goal_id)
    if goal is None:
        _refuse(None)
    visible = can(current_user, goal.plan, Section.GOALS, Action.VIEW, goal)
    if not visible or not can(current_user, goal.plan, Section.GOALS, action, goal):
        _refuse(goal.plan)
    _seen(goal.plan, f"goal:{goal.id}")
    return goal


def get_step(step_id: int, action: Action = Action.VIEW) -> Step:
    """Load a step the current user may see (or change), or abort with 404."""
    step = db.session.get(Step, step_id)
    if step is None:
        _refuse(None)
    get_goal(step.goal_id, action)
    return step


def get_comment(comment_id: int) -> Comment:
    """Load a reaction the current user wrote and may still change, or abort with 404."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        _refuse(None)
    goal = get_goal(comment.goal_id, Action.COMMENT)
    if not belongs_to(current_user, comment):
        _refuse(goal.plan)
    return comment


def reply_target(goal: Goal, comment_id: int | None) -> Comment | None:
    """Return the reaction on `goal` that a reply answers, or None (a new thread)."""
    comment = db.session.get(Comment, comment_id) if comment_id else None
    return comment if comment is not None and comment.goal_id == goal.id else None


def get_suggestion(suggestion_id: int) -> Suggestion:
    """Load a suggestion waiting for the current user, the young person, to decide."""
    suggestion = db.session.get(Suggestion, suggestion_id)
    if suggestion is None or suggestion.status != SuggestionStatus.PENDING:
        _refuse(None)
    get_plan(suggestion.plan_id, Section.GOALS, Action.EDIT)
    return suggestion


def get_share(share_id: int) -> Share:
    """Load a share of the current user's own plan (who sees what), or abort with 404."""
    return _of_own_plan(Share, share_id)


def get_invite(invite_id: int) -> Invite:
    """Load an invitation of the current user's own plan, or abort with 404."""
    return _of_own_plan(Invite, invite_id)


def _of_own_plan(model: type[_PlanRow], row_id: int) -> _PlanRow:
    """Load a row about who may see a plan: only the plan's owner may handle it."""
    row = db.session.get(model, row_id)
    if row is None:
        _refuse(None)
    get_plan(row.plan_id, Section.COVER, Action.EDIT)
    return row


def _section_of(target: str) -> Section:
    """The section a photo attached to `target` (cover, intro, about, goal, step) belongs to."""
    return Section.GOALS if target in ("goal", "step") else Section(target)


def can_see_media(user: User | None, media: Media) -> bool:
    """Say whether `user` may load a photo or video.

    The switch "Photos and videos" of a share covers every photo and video, wherever the
    young person put it (the cover, the introduction, a goal): off, the person sees none.
    On, a photo is visible when it is attached to a section they may see, or sits in the
    gallery, unless it is evidence on a goal hidden from them. The owner sees all of them.
    """
    plan = media.plan
    if can(user, plan, Section.MEDIA, Action.EDIT):
        return True
    if not can(user, plan, Section.MEDIA):
        return False
    hidden_evidence = False
    for attachment in media.attachments:
        goal = None
        if attachment.goal_id:
            goal = db.session.get(Goal, attachment.goal_id)
        elif attachment.step_id:
            step = db.session.get(Step, attachment.step_id)
            goal = step.goal if step else None
        if can(user, plan, _section_of(attachment.target), goal=goal):
            return True
        hidden_evidence = hidden_evidence or goal is not None
    return not hidden_evidence


def get_media(media_id: str, action: Action = Action.VIEW, *, log: bool = True) -> Media:
    """Load a photo or video the current user may see (or, for EDIT, change), or abort 404.

    The bytes of each thumbnail are not logged one by one (`log=False`); the pages are.
    """
    media = db.session.get(Media, media_id) if 0 < len(media_id) <= 32 else None
    if media is None:
        _refuse(None)
    if action == Action.EDIT:
        allowed = can(current_user, media.plan, Section.MEDIA, Action.EDIT)
    else:
        allowed = can_see_media(current_user, media)
    if not allowed:
        _refuse(media.plan)
    if log:
        _seen(media.plan, f"media:{media.id[:8]}")
    return media


def own_plan_id(user: User) -> int | None:
    """Return the id of the plan `user` owns, if any."""
    return db.session.scalar(sa.select(Plan.id).where(Plan.owner_id == user.id))
