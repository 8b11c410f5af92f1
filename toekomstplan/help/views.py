"""The "hulp nodig?" page: helplines from one data file."""

import json
from functools import cache
from importlib import resources

from flask import Blueprint, render_template
from flask_babel import get_locale

bp = Blueprint("help", __name__)


@cache
def helplines() -> list[dict]:
    """Return the helplines from `data/helplines.json`."""
    path = resources.files("toekomstplan") / "data" / "helplines.json"
    return json.loads(path.read_text(encoding="utf-8"))["helplines"]


def _in(lang: str, value):
    """Pick the text for `lang` from an {nl, en} pair; plain strings are the same in both."""
    if isinstance(value, dict):
        return value.get(lang) or value["nl"]
    return value


@bp.get("/help")
def page():
    lang = str(get_locale())
    lines = [{key: _in(lang, value) for key, value in line.items()} for line in helplines()]
    return render_template("help/page.html", helplines=lines)
