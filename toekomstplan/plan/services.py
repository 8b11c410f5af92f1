"""Changing the plan: cover, introduction and "about me" items."""

import sqlalchemy as sa

from .. import limits, pagecache, positions
from ..extensions import db
from ..media import services as media_services
from ..models import AboutItem, Media, Plan
from ..models.plan import ABOUT_TEXT_MAX, INTRO_MAX
from ..text import clean_line, clean_text
from . import themes

ABOUT_ITEMS_MAX = 60


def update_cover(
    plan: Plan,
    *,
    title: str,
    subtitle: str,
    theme: str,
    color: str | None,
    layout: str,
    photo: Media | None = None,
    focus: str = "center",
) -> None:
    """Save the cover the young person designed, photo included."""
    plan.cover_title = title.strip()
    plan.cover_subtitle = (subtitle or "").strip()
    plan.cover_theme = theme if theme in themes.THEMES or theme == themes.CUSTOM else "sunrise"
    if color and themes.HEX.match(color):
        plan.cover_color = color.lower()
    plan.cover_layout = layout if layout in themes.LAYOUTS else themes.DEFAULT_LAYOUT
    media_services.put_on_cover(plan, photo, focus)
    pagecache.plan_changed(plan.id)
    db.session.commit()


def update_intro(plan: Plan, text: str) -> None:
    """Save the introduction exactly as written (line breaks normalised)."""
    plan.intro_text = clean_text(text, INTRO_MAX)
    pagecache.plan_changed(plan.id)
    db.session.commit()


def add_about_item(plan: Plan, kind: str, text: str) -> AboutItem:
    """Add a quality, talent or hobby at the end of its list."""
    limits.ensure_room(AboutItem.id, AboutItem.plan_id == plan.id, most=ABOUT_ITEMS_MAX)
    last = db.session.scalar(
        sa.select(sa.func.max(AboutItem.position)).where(
            AboutItem.plan_id == plan.id, AboutItem.kind == kind
        )
    )
    item = AboutItem(
        plan_id=plan.id, kind=kind, text=clean_line(text, ABOUT_TEXT_MAX), position=(last or 0) + 1
    )
    db.session.add(item)
    pagecache.plan_changed(plan.id)
    db.session.commit()
    return item


def update_about_item(item: AboutItem, kind: str, text: str) -> None:
    """Change an item's words or sort."""
    if kind != item.kind:
        last = db.session.scalar(
            sa.select(sa.func.max(AboutItem.position)).where(
                AboutItem.plan_id == item.plan_id, AboutItem.kind == kind
            )
        )
        item.kind, item.position = kind, (last or 0) + 1
    item.text = clean_line(text, ABOUT_TEXT_MAX)
    pagecache.plan_changed(item.plan_id)
    db.session.commit()


def delete_about_item(item: AboutItem) -> None:
    """Delete an item."""
    db.session.delete(item)
    pagecache.plan_changed(item.plan_id)
    db.session.commit()


def move_about_item(item: AboutItem, direction: int) -> None:
    """Swap an item with its neighbour above (-1) or below (+1) in its own list."""
    siblings = db.session.scalars(
        sa.select(AboutItem)
        .where(AboutItem.plan_id == item.plan_id, AboutItem.kind == item.kind)
        .order_by(AboutItem.position, AboutItem.id)
    ).all()
    if positions.move(list(siblings), item, direction):
        pagecache.plan_changed(item.plan_id)
        db.session.commit()


def group_about_items(items: list[AboutItem]) -> dict[str, list[AboutItem]]:
    """Group items by kind, qualities first: positive points lead."""
    groups: dict[str, list[AboutItem]] = {"quality": [], "talent": [], "hobby": []}
    for item in items:
        groups.setdefault(item.kind, []).append(item)
    return groups
