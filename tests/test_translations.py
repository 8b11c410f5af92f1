"""The Dutch catalogue is complete and keeps every placeholder."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUES = Path(__file__).parent.parent / "toekomstplan" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _messages(lang: str):
    with open(CATALOGUES / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return [m for m in read_po(fh) if m.id]


def _pairs(message):
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return ids, strings


def test_every_dutch_message_is_translated():
    missing = [m.id for m in _messages("nl") if not all(_pairs(m)[1]) or m.fuzzy]
    assert missing == []


def test_dutch_translations_keep_their_placeholders():
    wrong = []
    for message in _messages("nl"):
        ids, strings = _pairs(message)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        if any(set(PLACEHOLDER.findall(s)) != wanted for s in strings if s):
            wrong.append(message.id)
    assert wrong == []


def test_catalogues_hold_the_same_messages():
    nl = {str(m.id) for m in _messages("nl")}
    en = {str(m.id) for m in _messages("en")}
    assert nl == en
