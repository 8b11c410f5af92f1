"""The inspiration cards data file: example goals in plain language, in Dutch and English."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from toekomstplan.plainlanguage.review import review

DATA_FILE = Path(__file__).resolve().parent.parent / "toekomstplan" / "data" / "inspiration.json"
LANGUAGES = ("nl", "en")
AREAS = (
    "school_work",
    "living",
    "money",
    "friends_family",
    "health",
    "free_time",
    "doing_myself",
)
TEXT_FIELDS = ("title", "why", "helpers")
MIN_CARDS = 28
MIN_CARDS_PER_AREA = 3
MIN_STEPS, MAX_STEPS = 3, 5
MAX_TITLE = 80
MAX_STEP = 120
KEBAB_CASE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Care words the young people do not use; the cards speak their language.
JARGON = ("zelfredzaam", "participatie", "traject", "hulpverlening", "indicatie", "casus")


@pytest.fixture(scope="module")
def data() -> dict:
    # json.loads fails the test when the file is not valid JSON.
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cards(data) -> list[dict]:
    return data["cards"]


def all_texts(card: dict, language: str) -> list[str]:
    return [card[field][language] for field in TEXT_FIELDS] + card["steps"][language]


def test_the_file_explains_its_fields(data):
    assert isinstance(data["_comment"], str) and data["_comment"].strip()


def test_areas_are_listed_once_in_order_with_labels(data):
    assert [area["key"] for area in data["areas"]] == list(AREAS)
    for area in data["areas"]:
        assert area["emoji"].strip(), area["key"]
        for language in LANGUAGES:
            assert area["label"][language].strip(), (area["key"], language)


def test_there_are_enough_cards(cards):
    assert len(cards) >= MIN_CARDS


def test_every_area_has_enough_cards(cards):
    per_area = Counter(card["area"] for card in cards)
    assert set(per_area) <= set(AREAS), "a card names an unknown area"
    for area in AREAS:
        assert per_area[area] >= MIN_CARDS_PER_AREA, (area, per_area[area])


def test_keys_are_unique_kebab_case(cards):
    keys = [card["key"] for card in cards]
    assert len(keys) == len(set(keys)), [key for key, n in Counter(keys).items() if n > 1]
    for key in keys:
        assert KEBAB_CASE.match(key), key


def test_every_card_has_one_emoji(cards):
    for card in cards:
        emoji = card["emoji"]
        assert emoji and len(emoji) <= 2 and not emoji.isascii(), (card["key"], emoji)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_there_in_both_languages(cards, language):
    for card in cards:
        for field in TEXT_FIELDS:
            text = card[field].get(language)
            assert isinstance(text, str) and text.strip(), (card["key"], field, language)
        for step in card["steps"][language]:
            assert isinstance(step, str) and step.strip(), (card["key"], language)


def test_steps_count_is_three_to_five_and_equal_in_both_languages(cards):
    for card in cards:
        counts = {language: len(card["steps"][language]) for language in LANGUAGES}
        assert counts["nl"] == counts["en"], (card["key"], counts)
        assert MIN_STEPS <= counts["nl"] <= MAX_STEPS, (card["key"], counts)


@pytest.mark.parametrize("language", LANGUAGES)
def test_titles_and_steps_are_short(cards, language):
    for card in cards:
        assert len(card["title"][language]) <= MAX_TITLE, (card["key"], language)
        for step in card["steps"][language]:
            assert len(step) <= MAX_STEP, (card["key"], step)


def test_titles_are_in_the_young_persons_own_voice(cards):
    for card in cards:
        assert card["title"]["nl"].startswith("Ik wil "), card["key"]
        assert card["title"]["en"].startswith("I want "), card["key"]


def test_no_care_jargon(cards):
    for card in cards:
        for text in all_texts(card, "nl"):
            for word in JARGON:
                assert word not in text.lower(), (card["key"], word)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_plain_language_helper_has_nothing_to_say_about_any_card(cards, language):
    # The app's own examples are what plain language looks like: the helper under the text
    # fields must not flag them when a young person picks one.
    flagged = {}
    for card in cards:
        texts = [card["title"], card["why"], card["helpers"]]
        texts = [t[language] for t in texts] + card["steps"][language]
        for text in texts:
            if hints := review(text, language).hints:
                flagged[text] = [(h.kind, h.text) for h in hints]
    assert flagged == {}
