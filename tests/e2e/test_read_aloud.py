"""Read aloud ("Lees voor"): readaloud.js on a small static page, with a stubbed speech engine.

Headless Chromium here has no voices, so every test injects its own `speechSynthesis` (or
removes it) before the page loads, and reads back what the script asked the engine to do.
The page is written with `set_content` and does not need the app.
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import PHONE_HEIGHT, PHONE_WIDTH

pytestmark = pytest.mark.e2e

READALOUD_JS = (
    Path(__file__).resolve().parents[2] / "toekomstplan" / "static" / "js" / "readaloud.js"
)

INTRO = "Hoi! Ik ben Sam en ik woon in Deventer.\n    Later wil ik met dieren werken."
GOAL = "Ik wil leren koken voor mezelf."

TEST_PAGE = f"""<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>Lees voor</title></head>
<body>
  <p id="intro-text">{INTRO}</p>
  <button type="button" id="read-intro" class="button button--small read-aloud"
          data-read-aloud data-read-target="intro-text" hidden aria-pressed="false">
    <span aria-hidden="true">🔊</span> Lees voor</button>
  <button type="button" id="read-goal" class="button button--small read-aloud"
          data-read-aloud data-read-text="{GOAL}" hidden aria-pressed="false">
    <span aria-hidden="true">🔊</span> Lees voor</button>
</body>
</html>"""

# A fake speech engine: records speak() and cancel() in window.__speech.calls.
# `voices` is what getVoices() returns; with `later`, it returns nothing until
# window.__speech.loadVoices() fires "voiceschanged", as Chrome does.
STUB = """
(() => {
  const config = %s;
  const calls = [];
  const listeners = [];
  let loaded = !config.later;
  const voices = () => (loaded ? config.voices : []).map((voice) => ({
    name: voice.name, lang: voice.lang, voiceURI: voice.name,
    default: false, localService: true,
  }));
  const synth = {
    speaking: false,
    pending: false,
    paused: false,
    current: null,
    onvoiceschanged: null,
    getVoices: () => voices(),
    speak(utterance) {
      calls.push({
        method: "speak",
        text: utterance.text,
        lang: utterance.lang,
        voice: utterance.voice ? utterance.voice.lang : null,
      });
      this.current = utterance;
      this.speaking = true;
    },
    cancel() {
      calls.push({ method: "cancel" });
      this.finish();
    },
    finish() {
      const utterance = this.current;
      this.current = null;
      this.speaking = false;
      if (utterance && utterance.onend) utterance.onend(new Event("end"));
    },
    pause() {},
    resume() {},
    addEventListener(type, listener) {
      if (type === "voiceschanged") listeners.push(listener);
    },
    removeEventListener() {},
  };
  class FakeUtterance {
    constructor(text) {
      this.text = text;
      this.lang = "";
      this.voice = null;
      this.rate = 1;
      this.onend = null;
      this.onerror = null;
    }
  }
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  Object.defineProperty(window, "SpeechSynthesisUtterance", {
    value: FakeUtterance, configurable: true, writable: true,
  });
  window.__speech = {
    calls,
    finish: () => synth.finish(),
    loadVoices() {
      loaded = true;
      const event = new Event("voiceschanged");
      listeners.forEach((listener) => listener(event));
      if (synth.onvoiceschanged) synth.onvoiceschanged(event);
    },
  };
})();
"""

NO_SPEECH = """
delete window.speechSynthesis;
delete window.SpeechSynthesisUtterance;
"""

DUTCH = [{"name": "Dutch (Netherlands)", "lang": "nl-NL"}]
ENGLISH = [{"name": "English (US)", "lang": "en-US"}]


@pytest.fixture
def open_page(browser: Browser):
    """Return a function that opens the test page with a given speech engine (or none)."""
    contexts = []
    errors: list[str] = []

    def open_page(*, voices=None, later: bool = False, speech: bool = True) -> Page:
        context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": PHONE_HEIGHT})
        context.set_default_timeout(5_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        if speech:
            page.add_init_script(STUB % json.dumps({"voices": voices or [], "later": later}))
        else:
            page.add_init_script(NO_SPEECH)
        # Init scripts run on navigation; the first blank page of a tab does not get them.
        page.goto("about:blank")
        page.set_content(TEST_PAGE)
        page.add_script_tag(path=str(READALOUD_JS))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], "readaloud.js raised an error on the page"


def calls(page: Page) -> list[dict]:
    return page.evaluate("window.__speech.calls")


def plain(text: str) -> str:
    return " ".join(text.split())


def test_a_dutch_voice_shows_the_button_which_reads_the_target_and_stops(open_page):
    page = open_page(voices=DUTCH)
    button = page.locator("#read-intro")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-pressed", "false")

    button.click()
    [spoken] = calls(page)
    assert spoken["method"] == "speak"
    assert spoken["text"] == plain(page.locator("#intro-text").text_content())
    assert spoken["lang"].startswith("nl")
    assert spoken["voice"] == "nl-NL"
    expect(button).to_have_attribute("aria-pressed", "true")

    button.click()
    assert [call["method"] for call in calls(page)] == ["speak", "cancel"]
    expect(button).to_have_attribute("aria-pressed", "false")


def test_data_read_text_is_read_as_given(open_page):
    page = open_page(voices=DUTCH)
    page.locator("#read-goal").click()
    [spoken] = calls(page)
    assert spoken["text"] == GOAL
    assert spoken["lang"].startswith("nl")


def test_only_one_text_is_read_at_a_time(open_page):
    page = open_page(voices=DUTCH)
    intro, goal = page.locator("#read-intro"), page.locator("#read-goal")
    intro.click()
    goal.click()
    assert [call["method"] for call in calls(page)] == ["speak", "cancel", "speak"]
    assert calls(page)[-1]["text"] == GOAL
    expect(intro).to_have_attribute("aria-pressed", "false")
    expect(goal).to_have_attribute("aria-pressed", "true")


def test_the_button_is_released_when_reading_ends(open_page):
    page = open_page(voices=DUTCH)
    button = page.locator("#read-intro")
    button.click()
    page.evaluate("window.__speech.finish()")
    expect(button).to_have_attribute("aria-pressed", "false")
    # Pressing again starts over instead of stopping.
    button.click()
    assert [call["method"] for call in calls(page)] == ["speak", "speak"]
    expect(button).to_have_attribute("aria-pressed", "true")


def test_voices_that_load_later_show_the_button(open_page):
    page = open_page(voices=DUTCH, later=True)
    button = page.locator("#read-intro")
    expect(button).to_be_hidden()
    page.evaluate("window.__speech.loadVoices()")
    expect(button).to_be_visible()
    expect(page.locator("#read-goal")).to_be_visible()


def test_only_an_english_voice_on_a_dutch_page_keeps_the_button_hidden(open_page):
    page = open_page(voices=ENGLISH)
    page.evaluate("window.__speech.loadVoices()")
    expect(page.locator("#read-intro")).to_be_hidden()
    expect(page.locator("#read-goal")).to_be_hidden()
    assert calls(page) == []


def test_without_speech_synthesis_the_button_stays_hidden(open_page):
    page = open_page(speech=False)
    assert page.evaluate("'speechSynthesis' in window") is False
    expect(page.locator("#read-intro")).to_be_hidden()
    expect(page.locator("#read-goal")).to_be_hidden()


def test_a_sentence_that_ends_in_its_own_stop_gets_no_second_one(open_page):
    page = open_page(voices=DUTCH)
    # The goal page joins a title and its steps with ". "; a title may end in "!" or ".".
    page.evaluate(
        "document.getElementById('intro-text').textContent = "
        "'Leren koken!. Boodschappen doen.. Klaar'"
    )
    page.locator("#read-intro").click()
    [spoken] = calls(page)
    assert spoken["text"] == "Leren koken! Boodschappen doen. Klaar"
