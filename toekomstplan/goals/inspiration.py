"""Inspiration cards: example goals with steps, from `data/inspiration.json`."""

import json
from functools import cache
from importlib import resources


@cache
def _data() -> dict:
    path = resources.files("toekomstplan") / "data" / "inspiration.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _pick(value, lang: str):
    return value.get(lang) or value["nl"] if isinstance(value, dict) else value


def _card(raw: dict, lang: str) -> dict:
    return {key: _pick(value, lang) for key, value in raw.items()}


def areas(lang: str) -> list[dict]:
    """Return the life areas, each with its cards, in the interface language."""
    cards = [_card(c, lang) for c in _data()["cards"]]
    return [
        {**_card(area, lang), "cards": [c for c in cards if c["area"] == area["key"]]}
        for area in _data()["areas"]
    ]


def card(key: str, lang: str) -> dict | None:
    """Return one card in the interface language, or None."""
    raw = next((c for c in _data()["cards"] if c["key"] == key), None)
    return _card(raw, lang) if raw else None
