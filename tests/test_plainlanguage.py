"""The plain-language helper ("taalhulp"): the reviewer, its word lists and its endpoint."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from toekomstplan.plainlanguage import Hint, read_jargon, review
from toekomstplan.plainlanguage.views import MAX_TEXT

CATALOGUE = Path(__file__).parent.parent / "toekomstplan" / "translations" / "nl" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")

PLAIN = {
    "nl": "Ik heet Sam. Ik ben zestien jaar. Ik woon met mijn moeder in Utrecht. "
    "Ik kook graag. Later wil ik kok worden.",
    "en": "My name is Sam. I am sixteen. I live with my mum in Leeds. "
    "I like to cook. Later I want to be a chef.",
}
LONG_NL = (
    "Omdat mijn moeder en ik samen met de mensen van de woongroep al heel lang praten "
    "over wat ik na de zomer wil gaan doen op school en in mijn vrije tijd, "
    "weet ik nu eindelijk wat ik wil."
)


def hints(text: str, lang: str, kind: str) -> list[Hint]:
    return [h for h in review(text, lang).hints if h.kind == kind]


# The reviewer --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "found", "plain"),
    [
        ("nl", "Mijn indicatie loopt af.", "indicatie", "besluit over je hulp"),
        ("nl", "Ik krijg Ambulante Begeleiding.", "Ambulante Begeleiding", "hulp bij jou thuis"),
        ("nl", "Het perspectiefplan is klaar.", "perspectiefplan", "toekomstplan"),
        ("nl", "Ik heb twee indicaties.", "indicaties", "besluit over je hulp"),
        ("nl", "Het indicatiebesluit kwam.", "indicatiebesluit", "besluit over je hulp"),
        ("nl", "Ik heb psycho-educatie.", "psycho-educatie", None),
        ("en", "My care pathway is long.", "care pathway", "your help"),
        ("en", "There were two interventions.", "interventions", "help"),
        ("en", "Self-sufficiency matters.", "Self-sufficiency", "doing things yourself"),
    ],
)
def test_jargon_is_found_with_a_plainer_alternative(lang, text, found, plain):
    jargon = hints(text, lang, "jargon")
    assert [h.text for h in jargon] == [found]
    assert jargon[0].suggestion
    if plain:
        assert jargon[0].suggestion == plain


def test_a_long_sentence_is_flagged():
    text = "Dit is kort. " + LONG_NL
    (hint,) = hints(text, "nl", "long_sentence")
    assert hint.text == LONG_NL
    assert text[hint.start : hint.end] == LONG_NL


def test_only_sentences_over_fifteen_words_are_long():
    text = "Ik ga morgen met mijn zus en mijn moeder naar de stad om schoenen te kopen."
    assert len(text.split()) == 16
    assert hints(text, "nl", "long_sentence")
    assert not hints(text.replace(" om schoenen te kopen", " voor schoenen"), "nl", "long_sentence")


@pytest.mark.parametrize(
    ("lang", "text", "found"),
    [
        (
            "nl",
            "Het plan wordt door de begeleider besproken.",
            "wordt door de begeleider besproken",
        ),
        ("nl", "Ik wil graag gezien worden.", "gezien worden"),
        ("nl", "Het gesprek werd gisteren afgezegd.", "werd gisteren afgezegd"),
        ("en", "The plan was discussed by the team.", "was discussed"),
        ("en", "It has been done.", "been done"),
        ("en", "The letter is not always read.", "is not always read"),
    ],
)
def test_a_passive_is_flagged(lang, text, found):
    assert [h.text for h in hints(text, lang, "passive")] == [found]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("nl", "Ik wil later kok worden."),
        ("nl", "Het wordt een mooie dag met mijn gezin."),
        ("nl", "Ik wil verpleegkundige worden, omdat ik graag mensen help."),
        ("en", "I am tired and I was bored."),
        ("en", "We need more time."),
    ],
)
def test_active_sentences_are_not_passive(lang, text):
    assert hints(text, lang, "passive") == []


def test_long_words_are_flagged_per_language():
    assert [h.text for h in hints("Dat is verantwoordelijkheidsgevoel.", "nl", "long_word")] == [
        "verantwoordelijkheidsgevoel"
    ]
    assert hints("Ik heb een gebruikersnaam.", "nl", "long_word") == []
    assert [h.text for h in hints("Those are responsibilities.", "en", "long_word")] == [
        "responsibilities"
    ]
    assert hints("Ask your grandmother.", "en", "long_word") == []


def test_web_addresses_are_not_judged():
    text = "Kijk op https://www.jeugdzorgnederlandorganisatie.nl voor meer."
    assert review(text, "nl").hints == ()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_plain_text_is_easy_without_hints(lang):
    result = review(PLAIN[lang], lang)
    assert result.level == "easy"
    assert result.hints == ()


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_empty_text_is_easy_without_hints(text):
    assert review(text, "nl") == review(text, "en")
    assert review(text, "nl").level == "easy"
    assert review(text, "nl").hints == ()


def test_very_long_text_is_hard():
    assert review(LONG_NL + " " + LONG_NL, "nl").level == "hard"
    jargon = "De casusregie en de indicatie worden in het multidisciplinair overleg geëvalueerd."
    assert review(jargon, "nl").level == "hard"


def test_one_slightly_long_sentence_is_ok():
    text = "Ik ga morgen met mijn zus en mijn moeder naar de stad om schoenen te kopen."
    assert review(text, "nl").level == "ok"


def test_offsets_point_at_the_text_found():
    text = (
        "Hoi! " + LONG_NL + "\nMijn gezinsvoogd zegt dat de OTS'en worden verlengd. "
        "Het hulpverleningstraject is zorgcontinuïteit. Verantwoordelijkheidsgevoel."
    )
    result = review(text, "nl")
    assert {h.kind for h in result.hints} == {"long_sentence", "jargon", "passive", "long_word"}
    for hint in result.hints:
        assert text[hint.start : hint.end] == hint.text


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        review("Hallo", "de")


# The word lists ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_word_lists_hold_at_least_80_terms(lang):
    assert len(read_jargon(lang)) >= 80


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_jargon_term_is_found_and_its_alternative_is_plain(lang):
    missed, hard = [], []
    for term, plain in read_jargon(lang).items():
        if [h.text for h in hints(f"Dit: {term}.", lang, "jargon")] != [term]:
            missed.append(term)
        if hints(plain, lang, "jargon"):
            hard.append(f"{term} -> {plain}")
    assert missed == []
    assert hard == []


# The endpoint --------------------------------------------------------------------------


def ask(client, csrf_token, body, **kwargs):
    token = csrf_token(client)
    return client.post(
        "/plain-language/review", json=body, headers={"X-CSRFToken": token}, **kwargs
    )


def test_review_answers_with_level_and_hints(client, login, make_user, csrf_token):
    user = make_user(locale="en")
    login(client, user.username, user.password)
    text = "My care plan is ready."
    response = ask(client, csrf_token, {"text": text})
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["level"] in {"easy", "ok", "hard"}
    assert answer["label"]
    (hint,) = answer["hints"]
    assert hint["kind"] == "jargon"
    assert text[hint["start"] : hint["end"]] == hint["text"] == "care plan"
    assert hint["message"] == "Difficult word: ‘care plan’. Better say: ‘plan for your help’."
    assert hint["plain"] == "plan for your help" and hint["replace"] == "Use ‘plan for your help’"


def test_review_answers_in_dutch_for_a_dutch_user(client, login, make_user, csrf_token):
    user = make_user(locale="nl")
    login(client, user.username, user.password)
    text = "Mijn indicatie wordt door de gezinsvoogd besproken. " + LONG_NL
    answer = ask(client, csrf_token, {"text": text}).get_json()
    messages = [h["message"] for h in answer["hints"]]
    assert "Moeilijk woord: ‘indicatie’. Zeg liever: ‘besluit over je hulp’." in messages
    assert "Lijdende vorm: ‘wordt … besproken’. Zeg wie het doet." in messages
    count = len(LONG_NL.split())
    assert f"Lange zin ({count} woorden). Kun je hem in tweeën knippen?" in messages
    assert answer["title"] == "Taalhulp"
    assert (
        answer["label"]
        == {"easy": "makkelijk", "ok": "gaat wel", "hard": "moeilijk"}[answer["level"]]
    )


def test_review_uses_the_text_language_when_given(client, login, make_user, csrf_token):
    user = make_user(locale="nl")
    login(client, user.username, user.password)
    answer = ask(client, csrf_token, {"text": "My care plan.", "lang": "en"}).get_json()
    assert [h["text"] for h in answer["hints"]] == ["care plan"]
    assert answer["hints"][0]["message"].startswith("Moeilijk woord")


def test_plain_text_gets_no_hints(client, login, make_user, csrf_token):
    user = make_user(locale="nl")
    login(client, user.username, user.password)
    answer = ask(client, csrf_token, {"text": PLAIN["nl"]}).get_json()
    assert answer == {
        "level": "easy",
        "label": "makkelijk",
        "title": "Taalhulp",
        "more": "Meer tips",
        "hints": [],
    }


def test_review_needs_a_login(client, csrf_token):
    response = ask(client, csrf_token, {"text": "Hallo"})
    assert response.status_code == 401
    assert response.is_json


def test_review_needs_the_csrf_header(client, login, make_user):
    user = make_user()
    login(client, user.username, user.password)
    assert client.post("/plain-language/review", json={"text": "Hallo"}).status_code == 400


def test_too_long_text_is_refused(client, login, make_user, csrf_token):
    user = make_user()
    login(client, user.username, user.password)
    assert ask(client, csrf_token, {"text": "a" * MAX_TEXT}).status_code == 200
    response = ask(client, csrf_token, {"text": "a" * (MAX_TEXT + 1)})
    assert response.status_code == 413
    assert response.get_json()["error"]


@pytest.mark.parametrize(
    "body",
    [{"json": {}}, {"json": {"text": 5}}, {"json": ["text"]}, {"data": "text=Hallo"}],
)
def test_a_body_without_text_is_refused(client, login, make_user, csrf_token, body):
    user = make_user()
    login(client, user.username, user.password)
    token = csrf_token(client)
    response = client.post("/plain-language/review", headers={"X-CSRFToken": token}, **body)
    assert response.status_code == 400
    assert response.get_json()["error"]


# The pages -----------------------------------------------------------------------------


def test_free_text_fields_ask_for_language_help(client, login, make_user, post):
    user = make_user()
    login(client, user.username, user.password)
    plan_id = user.plan.id
    post(client, f"/plans/{plan_id}/about", {"kind": "hobby", "text": "Gamen"})
    edit = re.search(r'href="(/about/\d+/edit)"', client.get(f"/plans/{plan_id}/about").text)
    for path in (f"/plans/{plan_id}/intro", f"/plans/{plan_id}/about", edit.group(1)):
        html = client.get(path).get_data(as_text=True)
        assert re.search(r"<textarea[^>]*data-plain-language|<input[^>]*data-plain-language", html)
        assert '<div class="plain-hints" aria-live="polite" hidden></div>' in html, path
        assert "js/plainlanguage.js" in html, path


# The interface follows its own advice --------------------------------------------------


def test_no_dutch_interface_text_is_hard():
    with open(CATALOGUE / "messages.po", "rb") as fh:
        catalogue = read_po(fh)
    hard = []
    for message in catalogue:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            if message.id and string and review(PLACEHOLDER.sub("", string), "nl").level == "hard":
                hard.append(string)
    assert hard == []
