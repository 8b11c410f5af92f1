"""The plain-language helper ("taalhulp"): hints that make a text easier to read.

`review(text, lang)` finds long sentences, long words, passive constructions and youth-care
jargon (from `data/jargon-<lang>.tsv`), and gives the text an overall level.

The level comes from one score, so it is easy to explain and to tune:

    score = max(0, average words per sentence - 15) / 4
          + 20 * (number of hints) / max(words, 20)

Every hint (a long sentence, a long word, a jargon word, a passive) adds one point per 20
words; short texts count as 20 words, so one hard word in a button label does not make it
"hard" on its own. An average sentence of 19 words adds one more point, of 23 words two.
Below 1 the text is "easy", below 2.5 "ok", from 2.5 "hard": one sentence of 16 words is
"ok", one of 22 words is "hard".

It only advises: nothing is ever refused because of a hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from . import wordlists
from .wordlists import MIN_COMPOUND_PART

LANGUAGES = ("nl", "en")
MAX_SENTENCE_WORDS = 15
# Dutch glues compounds together, so its words may be longer before they are hard to read.
MAX_WORD_LETTERS = {"nl": 16, "en": 13}
EASY_BELOW, OK_BELOW = 1.0, 2.5


@dataclass(frozen=True)
class Hint:
    kind: str  # "long_sentence" | "long_word" | "passive" | "jargon"
    text: str  # the sentence, word or phrase found, as it appears in the input
    start: int
    end: int
    suggestion: str | None = None  # a plainer alternative, for jargon


@dataclass(frozen=True)
class Review:
    level: str  # "easy" | "ok" | "hard"
    hints: tuple[Hint, ...]


# A word: letters and digits, with hyphens or apostrophes inside ("psycho-educatie", "OTS'en").
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n")
_LINK = re.compile(r"(?:https?://|www\.)\S+|[^\s@]+@[^\s@]+\.\w+")
# A full stop after these does not end the sentence.
_ABBREVIATIONS = frozenset(
    "bijv bv o.a e.g i.e etc enz dhr mevr mr mrs ms dr nr ca vs z.s.m m.b.t t.o.v a.u.b "
    "incl excl ong jl vgl zgn".split()
)


# Passives -----------------------------------------------------------------------------

_NL_AUX = frozenset({"word", "wordt", "worden", "werd", "werden"})
_NL_BE = frozenset({"ben", "bent", "is", "zijn", "was", "waren"})
_NL_PARTICIPLE = re.compile(
    r"(?:op|af|aan|uit|in|mee|door|na|over|terug|voor|bij|toe|weg|vast|samen|binnen|buiten"
    r"|thuis|neer|rond|langs|tegen|vrij|los|mis)?"
    r"(?:ge[a-z]{2,}(?:d|t|en)|(?:be|ver|ont|her|er)[a-z]{2,}[dt])"
)
# Strong participles with an unstressed prefix end in -en, like the infinitive: listed.
_NL_STRONG = frozenset(
    "besproken beschreven begonnen bekeken besloten bevonden bewezen bedreven vergeten "
    "verboden verloren verkozen verschenen vertrokken verzonden verbonden verschoven "
    "vergeven verkregen ontvangen ontslagen ontnomen herschreven".split()
)
# Words that look like participles but are not (nouns, adjectives, present tense).
_NL_NOT_PARTICIPLE = frozenset(
    "geen gezin gezinnen gebouwen geleden gewoon gezond gedachten gesprekken gebied gebieden "
    "gewicht gezicht gezichten geluid geluiden gerecht geduld genieten gebruiken geloven "
    "gebeuren gebeurt geheugen gemeen getallen gedicht gedichten geweten gelden geworden "
    "begint betekent bestaat verandert verdient verliest bereid verschillend".split()
)
_EN_BE = frozenset(
    "am is are was were be been being isnt arent wasnt werent aint".split()  # apostrophes gone
)
_EN_BETWEEN = frozenset(
    "not never often always also just already still usually sometimes really being all "
    "then now only soon rarely".split()
)
_EN_IRREGULAR = frozenset(
    "done made given taken seen written known told shown sent found held kept left paid "
    "brought bought thought taught built chosen spoken broken forgotten driven eaten hidden "
    "beaten met heard put set let cut said understood lost won caught drawn grown thrown "
    "worn torn born fed led hurt sold spent meant forgiven forbidden begun sung stolen "
    "shaken woken read run hit shut spread dealt sought bound fought hung overseen undertaken "
    "withdrawn".split()
)
_EN_NOT_PARTICIPLE = frozenset(
    "tired excited interested bored worried scared married pleased surprised relaxed "
    "stressed confused embarrassed annoyed ashamed supposed used hundred naked sacred "
    "wicked talented gifted skilled qualified related based involved called named "
    "determined prepared allowed".split()
)


def _nl_participle(key: str) -> bool:
    if key in _NL_STRONG:
        return True
    if key in _NL_NOT_PARTICIPLE or key.endswith(("heid", "end")) or key.startswith("gezin"):
        return False
    return _NL_PARTICIPLE.fullmatch(key) is not None


def _en_participle(key: str) -> bool:
    if key in _EN_IRREGULAR:
        return True
    if key in _EN_NOT_PARTICIPLE or key.endswith("eed"):
        return False
    return len(key) > 4 and key.endswith("ed")


class _Word(NamedTuple):
    start: int
    end: int
    key: str
    forms: tuple[str, ...]
    plain: str | None  # the alternative when the word alone is jargon
    participle: bool
    long: bool


@lru_cache(maxsize=16384)
def _analyse(word: str, lang: str) -> tuple:
    """Return what the review needs to know about one word (cached: texts repeat words)."""
    key = wordlists.key(word)
    forms = wordlists.forms(key, lang)
    lexicon = wordlists.lexicon(lang)
    plain = next((lexicon.words[f] for f in forms if f in lexicon.words), None)
    if plain is None and len(key) > MIN_COMPOUND_PART + 1 and lexicon.compound_parts:
        plain = _compound(forms, lexicon.compound_parts)
    participle = _en_participle(key) if lang == "en" else _nl_participle(key)
    limit = MAX_WORD_LETTERS[lang]
    # A hyphen already splits a compound into readable parts, so each part is measured.
    long = len(word) > limit and any(
        sum(c.isalpha() for c in part) > limit for part in word.split("-")
    )
    return key, forms, plain, participle, long


def _passives(words: list[_Word], lang: str, text: str) -> list[tuple[int, int]]:
    """Return (first, last) word indexes of each passive in one sentence's words."""
    found = []
    keys = [w.key for w in words]
    if lang == "en":
        for i, key in enumerate(keys):
            if key not in _EN_BE:
                continue
            j = i + 1
            while j < len(keys) and keys[j] in _EN_BETWEEN:
                j += 1
            if j < len(keys) and words[j].participle:
                found.append((i, j))
        return found
    participles = [i for i, w in enumerate(words) if w.participle]
    if not participles:
        return found
    has_be = not _NL_BE.isdisjoint(keys)
    auxiliaries = [
        i for i, key in enumerate(keys) if key in _NL_AUX or (key == "geworden" and has_be)
    ]
    # Pair the closest auxiliary and participle first, each used once, within one clause.
    pairs = sorted(
        (abs(p - a), min(a, p), max(a, p), a, p)
        for a in auxiliaries
        for p in participles
        if p != a and keys[p - 1 : p] != ["te"]  # "om te beginnen" is an infinitive
    )
    taken: set[int] = set()
    for _, first, last, a, p in pairs:
        if a in taken or p in taken or _clause_break(words, first, last, text):
            continue
        taken.update((a, p))
        found.append((first, last))
    return sorted(found)


_NL_CLAUSE_WORDS = frozenset(
    "omdat dat als want maar terwijl wanneer zodat doordat hoewel die wie wat of".split()
)


def _clause_break(words, first: int, last: int, text: str) -> bool:
    """Say whether a comma or a word that starts a new clause sits between two words."""
    if any(w.key in _NL_CLAUSE_WORDS for w in words[first + 1 : last]):
        return True
    return any(c in text[words[first].end : words[last].start] for c in ",;:()")


# The review ---------------------------------------------------------------------------


def _sentences(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each sentence; a line break also ends one."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.group() == ".":
            before = text[start : match.start()].rsplit(None, 1)
            last = before[-1].lower() if before else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        chunk = text[s:e]
        stripped = chunk.strip()
        if stripped:
            s += len(chunk) - len(chunk.lstrip())
            trimmed.append((s, s + len(stripped)))
    return trimmed


def _jargon(words: list[_Word], phrases: dict, hints: list[Hint], text: str) -> set[int]:
    """Add jargon hints for one sentence's words; return the indexes of the words used."""
    used: set[int] = set()
    i = 0
    while i < len(words):
        match = None  # (number of words, alternative)
        for form in words[i].forms:
            for keys, plain in phrases.get(form, ()):
                n = len(keys)
                if i + n <= len(words) and all(keys[k] in words[i + k].forms for k in range(1, n)):
                    match = (n, plain)
                    break
            if match:
                break
        if match is None and words[i].plain is not None:
            match = (1, words[i].plain)
        if match is None:
            i += 1
            continue
        n, plain = match
        start, end = words[i].start, words[i + n - 1].end
        hints.append(Hint("jargon", text[start:end], start, end, plain))
        used.update(range(i, i + n))
        i += n
    return used


def _compound(forms: tuple[str, ...], parts: dict[str, str]) -> str | None:
    """Return the alternative for a jargon term at the start or end of a compound."""
    key = forms[0]
    for cut in range(len(key) - 2, MIN_COMPOUND_PART - 1, -1):
        if key[:cut] in parts:
            return parts[key[:cut]]
    for form in forms:
        for cut in range(2, len(form) - MIN_COMPOUND_PART + 1):
            if form[cut:] in parts:
                return parts[form[cut:]]
    return None


def _level(words: int, sentences: int, points: int) -> str:
    average = words / max(sentences, 1)
    score = max(0.0, average - MAX_SENTENCE_WORDS) / 4 + 20 * points / max(words, 20)
    if score < EASY_BELOW:
        return "easy"
    return "ok" if score < OK_BELOW else "hard"


def word_count(text: str) -> int:
    """Return how many words `text` has."""
    return sum(1 for _ in _WORD.finditer(text))


def review(text: str, lang: str) -> Review:
    """Review `text` in `lang` ("nl" or "en") and return its level and hints."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    phrases = wordlists.lexicon(lang).phrases
    links = [m.span() for m in _LINK.finditer(text)] if "." in text else []
    hints: list[Hint] = []
    total_words = sentences = points = 0
    for s, e in _sentences(text):
        words = [
            _Word(m.start(), m.end(), *_analyse(m.group(), lang))
            for m in _WORD.finditer(text, s, e)
        ]
        if links:  # web and mail addresses are not words to judge
            words = [w for w in words if not any(a <= w.start < b for a, b in links)]
        if not words:
            continue
        sentences += 1
        total_words += len(words)
        before = len(hints)
        if len(words) > MAX_SENTENCE_WORDS:
            hints.append(Hint("long_sentence", text[s:e], s, e))
        used = _jargon(words, phrases, hints, text)
        for i, w in enumerate(words):
            # A capital inside a sentence starts a name ("De Kindertelefoon"): not a word to
            # make shorter.
            name = i > 0 and text[w.start].isupper()
            if w.long and i not in used and not name:
                hints.append(Hint("long_word", text[w.start : w.end], w.start, w.end))
        for first, last in _passives(words, lang, text):
            ps, pe = words[first].start, words[last].end
            hints.append(Hint("passive", text[ps:pe], ps, pe))
        points += len(hints) - before
    hints.sort(key=lambda h: (h.start, -h.end))
    return Review(_level(total_words, sentences, points), tuple(hints))
