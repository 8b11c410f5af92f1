"""The word lists behind the helper: youth-care jargon with plainer words, per language.

The lists are data files (`data/jargon-nl.tsv`, `data/jargon-en.tsv`: term, a tab, the
alternative), so anyone can add a term without touching code. Words are compared in one
form (lower case, no accents or hyphens) and with the simple stems they may inflect from.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Jargon is also found inside Dutch compounds ("indicatiebesluit"), for terms this long.
MIN_COMPOUND_PART = 7
_VOWELS = frozenset("aeiouy")


def key(word: str) -> str:
    """Return the form words are compared in: lower case, no accents, hyphens or apostrophes."""
    word = word.lower()
    if not word.isascii():
        word = "".join(
            c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)
        )
    return word.replace("-", "").replace("'", "").replace("’", "")


def forms(key: str, lang: str) -> tuple[str, ...]:
    """Return `key` and the simple stems it may be an inflection of."""
    return (key, *(_english_stems(key) if lang == "en" else _dutch_stems(key)))


# English endings and what may stand in their place: "activities" -> "activity", "hoped" ->
# "hop" or "hope".
_ENGLISH_ENDINGS = (
    ("ies", ("y",)),
    ("es", ("",)),
    ("s", ("",)),
    ("ed", ("", "e")),
    ("ing", ("", "e")),
)


def _english_stems(key: str) -> list[str]:
    stems = []
    for ending, replacements in _ENGLISH_ENDINGS:
        if key.endswith(ending):
            base = key[: -len(ending)]
            stems += [base + replacement for replacement in replacements]
    return stems


def _dutch_stems(key: str) -> list[str]:
    forms: list[str] = []
    stems = [key[: -len(end)] for end in ("en", "s", "e") if key.endswith(end)]
    for stem in stems:
        forms.append(stem)
        if len(stem) < 3:
            continue
        last, before, third = stem[-1], stem[-2], stem[-3]
        if last == before and last not in _VOWELS:  # plannen -> plan
            forms.append(stem[:-1])
        elif last not in _VOWELS and before in "aeou" and third not in _VOWELS:
            forms.append(stem[:-1] + before + last)  # hulpvragen -> hulpvraag
    return forms


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, str]
    phrases: dict[str, tuple[tuple[tuple[str, ...], str], ...]]  # by first word, longest first
    compound_parts: dict[str, str]


def jargon_path(lang: str):
    """Return the data file with the jargon of `lang`."""
    return resources.files("toekomstplan") / "data" / f"jargon-{lang}.tsv"


def read_jargon(lang: str) -> dict[str, str]:
    """Return the jargon terms of `lang` with their plainer alternatives, as written."""
    terms = {}
    text = jargon_path(lang).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        term, tab, plain = line.partition("\t")
        term, plain = term.strip(), plain.strip()
        if not (tab and term and plain):
            raise ValueError(f"jargon-{lang}.tsv line {number}: want term<TAB>alternative")
        terms[term] = plain
    return terms


@cache
def lexicon(lang: str) -> Lexicon:
    words: dict[str, str] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for term, plain in read_jargon(lang).items():
        keys = tuple(key(w) for w in term.split())
        if len(keys) > 1:
            phrases.setdefault(keys[0], []).append((keys, plain))
            continue
        words[keys[0]] = plain
        if lang == "nl" and keys[0].endswith("eren"):  # signaleren: signaleert, gesignaleerd
            stem = keys[0][:-4] + "eer"
            for form in (stem + "t", "ge" + stem + "d", stem + "de", stem + "den"):
                words.setdefault(form, plain)
    compound_parts = (
        {k: v for k, v in words.items() if len(k) >= MIN_COMPOUND_PART} if lang == "nl" else {}
    )
    return Lexicon(
        words,
        {k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in phrases.items()},
        compound_parts,
    )
