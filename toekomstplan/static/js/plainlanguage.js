// Taalhulp: plain-language tips under text fields marked with data-plain-language.
// It only advises; the form saves the same with or without it.
(function () {
  "use strict";

  var WAIT_MS = 600;
  var SHOWN_HINTS = 3; // the rest are folded under "More tips", never dropped
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

  // Put the plain words where the difficult ones are, if the text there did not change.
  var replace = function (control, hint) {
    var value = control.value;
    if (value.slice(hint.start, hint.end) !== hint.text) return false;
    var plain = hint.plain;
    var first = hint.text.charAt(0);
    if (first && first === first.toUpperCase() && first !== first.toLowerCase()) {
      plain = plain.charAt(0).toUpperCase() + plain.slice(1);
    }
    control.value = value.slice(0, hint.start) + plain + value.slice(hint.end);
    var caret = hint.start + plain.length;
    control.focus();
    control.setSelectionRange(caret, caret);
    control.dispatchEvent(new Event("input", { bubbles: true })); // counters, drafts, a new check
    return true;
  };

  var listOf = function (control, hints) {
    var list = document.createElement("ul");
    list.className = "plain-hints__list";
    hints.forEach(function (hint) {
      var item = document.createElement("li");
      item.className = "plain-hints__item plain-hints__item--" + hint.kind;
      item.textContent = hint.message;
      if (hint.replace) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button button--small plain-hints__replace";
        button.textContent = hint.replace;
        button.addEventListener("click", function () {
          if (replace(control, hint)) button.disabled = true;
        });
        item.appendChild(document.createTextNode(" "));
        item.appendChild(button);
      }
      list.appendChild(item);
    });
    return list;
  };

  var render = function (control, region, answer) {
    var title = document.createElement("p");
    title.className = "plain-hints__title";
    title.textContent = answer.title + ": " + answer.label;
    var nodes = [title, listOf(control, answer.hints.slice(0, SHOWN_HINTS))];
    var rest = answer.hints.slice(SHOWN_HINTS);
    if (rest.length) {
      var more = document.createElement("details");
      more.className = "plain-hints__more";
      var summary = document.createElement("summary");
      summary.textContent = answer.more + " (" + rest.length + ")";
      more.appendChild(summary);
      more.appendChild(listOf(control, rest));
      nodes.push(more);
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
            if (result.ok && answer.hints && !answer.hints.length) {
              // Easy to read: nothing to say, so the helper says nothing.
              show("", function () { clear(region); });
            } else if (result.ok && answer.hints) {
              var key = answer.level + "\n" + answer.hints
                .map(function (h) { return h.start + ":" + h.message; }).join("\n");
              show(key, function () { render(control, region, answer); });
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
