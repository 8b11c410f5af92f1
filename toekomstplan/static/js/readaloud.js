// Read aloud ("Lees voor"): the browser's own voice (window.speechSynthesis) reads a text
// on the page. This file calls no external service (see findVoice for the browser's own
// online voices, which we avoid when the device has a voice of its own).
//
// Expected markup (the button starts hidden; this file shows it only when the browser can
// speak AND has a voice for the page language, <html lang="nl"> or "en"):
//
//   <button type="button" class="button button--small read-aloud" data-read-aloud
//           data-read-target="intro-text" hidden aria-pressed="false">
//     <span aria-hidden="true">🔊</span> Lees voor
//   </button>
//   <div id="intro-text">...the text to read...</div>
//
// - data-read-target="<id>": read that element's textContent (read when pressed, so edits
//   on the page are included).
// - or data-read-text="...": read this text instead.
// Pressing the button while it reads stops it (aria-pressed="true" and the class
// "is-reading" while reading, for styling). Only one
// text is read at a time: pressing another button stops the first one.
// Load it with: <script src="{{ static_url('js/readaloud.js') }}" defer></script>
(function () {
  "use strict";

  var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-read-aloud]"));
  if (!buttons.length) return;

  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") return;

  var pageLang = normalise(document.documentElement.lang || "nl");
  var baseLang = pageLang.split("-")[0];
  var voice = null;
  var current = null; // {button, utterance} while something is being read

  // "nl_NL" (some Android versions) and "nl-nl" both become "nl-nl".
  function normalise(lang) {
    return String(lang || "").replace(/_/g, "-").toLowerCase();
  }

  // The best voice on the device for the page language: an exact match ("nl-nl") first,
  // then the browser's default; "nl-be" also counts for a page in "nl". Online voices
  // (desktop Chrome's "Google" voices send the text to a server) are never used.
  function findVoice() {
    var voices;
    try {
      voices = synth.getVoices() || [];
    } catch (error) {
      return null;
    }
    // Only voices on the device: a plan's text never goes to an online speech service.
    var matching = Array.prototype.filter.call(voices, function (candidate) {
      var lang = normalise(candidate.lang);
      var sameLang = lang === baseLang || lang.indexOf(baseLang + "-") === 0;
      return sameLang && candidate.localService !== false;
    });
    if (!matching.length) return null;
    var score = function (candidate) {
      return (
        (candidate.localService ? 4 : 0) +
        (normalise(candidate.lang) === pageLang ? 2 : 0) +
        (candidate.default ? 1 : 0)
      );
    };
    return matching.reduce(function (best, candidate) {
      return score(candidate) > score(best) ? candidate : best;
    });
  }

  function textFor(button) {
    var text = button.dataset.readText;
    if (text == null && button.dataset.readTarget) {
      var target = document.getElementById(button.dataset.readTarget);
      text = target ? target.textContent : "";
    }
    // One stop after a sentence: "Leren koken!." and "Cv maken.." are read without a pause
    // for a second full stop.
    return String(text || "").replace(/\s+/g, " ").replace(/([.!?…])(\s*\.)+/g, "$1").trim();
  }

  function hasText(button) {
    return button.dataset.readText != null ||
      Boolean(button.dataset.readTarget && document.getElementById(button.dataset.readTarget));
  }

  function markPressed(button, pressed) {
    button.setAttribute("aria-pressed", String(pressed));
    button.classList.toggle("is-reading", pressed);
  }

  function stop() {
    var was = current;
    current = null;
    if (was) markPressed(was.button, false);
    synth.cancel();
  }

  function start(button) {
    var text = textFor(button);
    if (!text || !voice) return;
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = String(voice.lang || pageLang).replace(/_/g, "-");
    utterance.rate = 0.95; // a little slower than normal: easier to follow
    var finished = function () {
      // A cancelled utterance also ends; only reset when it is still the current one.
      if (current && current.utterance === utterance) {
        current = null;
        markPressed(button, false);
      }
    };
    utterance.onend = finished;
    utterance.onerror = finished;
    current = { button: button, utterance: utterance };
    markPressed(button, true);
    synth.speak(utterance);
  }

  function update() {
    voice = findVoice();
    buttons.forEach(function (button) {
      button.hidden = !(voice && hasText(button));
    });
    if (!voice && current) stop();
  }

  buttons.forEach(function (button) {
    markPressed(button, false);
    button.addEventListener("click", function () {
      var wasReading = current && current.button === button;
      // Only one text at a time: stop whatever is being read first.
      if (current || synth.speaking || synth.pending) stop();
      if (!wasReading) start(button);
    });
  });

  // Voices often load after the page (Chrome): check now and again when they change.
  if (typeof synth.addEventListener === "function") {
    synth.addEventListener("voiceschanged", update);
  } else {
    synth.onvoiceschanged = update;
  }
  update();

  // Leaving the page stops the voice; it must not keep reading on the next page.
  window.addEventListener("pagehide", function () {
    if (current || synth.speaking) stop();
  });
})();
