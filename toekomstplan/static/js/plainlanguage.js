// Taalhulp: plain-language tips under text fields marked with data-plain-language.
// It only advises; the form saves the same with or without it.
(function () {
  "use strict";

  var WAIT_MS = 600;
  var MAX_HINTS = 5;
  // The review URL comes from the page: <script ... data-review-url="...">.
  var script = document.currentScript;
  var URL = script && script.dataset.reviewUrl;
  if (!URL) return;

  var csrfToken = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) return meta.content;
    var input = document.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  };

  var regionFor = function (control) {
    var field = control.closest(".field") || control.parentNode;
    var region = field.querySelector(".plain-hints");
    if (!region) {
      region = document.createElement("div");
      region.className = "plain-hints";
      region.setAttribute("aria-live", "polite");
      control.insertAdjacentElement("afterend", region);
    }
    // Shown (and empty) from the start: screen readers only announce changes in a live
    // region that was already on the page.
    region.hidden = false;
    return region;
  };

  var render = function (region, answer) {
    var hints = answer.hints.slice(0, MAX_HINTS);
    var title = document.createElement("p");
    title.className = "plain-hints__title";
    title.textContent = answer.title + ": " + answer.label;
    if (answer.level === "easy") {
      var thumb = document.createElement("span");
      thumb.setAttribute("aria-hidden", "true");
      thumb.textContent = " 👍";
      title.appendChild(thumb);
    }
    var nodes = [title];
    if (hints.length) {
      var list = document.createElement("ul");
      list.className = "plain-hints__list";
      hints.forEach(function (hint) {
        var item = document.createElement("li");
        item.className = "plain-hints__item plain-hints__item--" + hint.kind;
        item.textContent = hint.message;
        list.appendChild(item);
      });
      nodes.push(list);
    }
    region.className = "plain-hints plain-hints--" + answer.level;
    region.replaceChildren.apply(region, nodes);
  };

  var clear = function (region) {
    region.className = "plain-hints";
    region.replaceChildren();
  };

  document.querySelectorAll("textarea[data-plain-language], input[data-plain-language]")
    .forEach(function (control) {
      var region = regionFor(control);
      var timer = null;
      var latest = 0; // number of the newest request; older answers are ignored
      var controller = null;
      var shown = ""; // what the region shows now, so unchanged advice is not read out again

      var show = function (key, draw) {
        if (key === shown) return;
        shown = key;
        draw();
      };

      var check = function () {
        var text = control.value;
        var number = ++latest;
        if (controller) controller.abort();
        if (!text.trim()) {
          show("", function () { clear(region); });
          return;
        }
        controller = window.AbortController ? new AbortController() : null;
        var body = { text: text };
        if (control.dataset.plainLanguage) body.lang = control.dataset.plainLanguage;
        fetch(URL, {
          method: "POST",
          credentials: "same-origin",
          headers: {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-CSRFToken": csrfToken()
          },
          body: JSON.stringify(body),
          signal: controller ? controller.signal : undefined
        })
          .then(function (response) {
            return response.json().then(function (answer) {
              return { ok: response.ok, answer: answer };
            });
          })
          .then(function (result) {
            if (number !== latest) return;
            var answer = result.answer;
            if (result.ok && answer.hints) {
              var key = answer.level + "\n" + answer.hints.slice(0, MAX_HINTS)
                .map(function (h) { return h.message; }).join("\n");
              show(key, function () { render(region, answer); });
            } else if (answer && answer.error) {
              show("error\n" + answer.error, function () {
                var note = document.createElement("p");
                note.className = "plain-hints__title";
                note.textContent = answer.error;
                region.className = "plain-hints";
                region.replaceChildren(note);
              });
            }
          })
          .catch(function () {
            // Offline, aborted or logged out: the tips are extra, so stay quiet.
          });
      };

      control.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(check, WAIT_MS);
      });
      if (control.value.trim()) check();
    });
})();
