// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Show or hide what is typed in a password field.
  document.querySelectorAll("[data-show-password]").forEach(function (button) {
    var input = document.getElementById(button.dataset.showPassword);
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var show = input.type === "password";
      input.type = show ? "text" : "password";
      button.setAttribute("aria-pressed", String(show));
    });
  });

  // "120 / 200" under fields with a length limit.
  document.querySelectorAll("[data-counter]").forEach(function (input) {
    var out = document.querySelector('[data-counter-for="' + input.id + '"]');
    if (!out) return;
    var max = Number(input.dataset.counter);
    var update = function () {
      var left = max - input.value.length;
      out.textContent = input.value.length + " / " + max;
      out.classList.toggle("field__error", left < 0);
    };
    input.addEventListener("input", update);
    update();
  });

  // Ask before something is deleted.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // One tap, one result: while a form is being sent, its buttons are off and a second tap is
  // ignored. Forms that scripts send themselves (ticks, uploads) have prevented the default
  // already. A download keeps the page, so its buttons come back after a few seconds.
  document.addEventListener("submit", function (event) {
    var sent = event.target;
    if (event.defaultPrevented || !(sent instanceof HTMLFormElement)) return;
    if (sent.dataset.sending) {
      event.preventDefault();
      return;
    }
    sent.dataset.sending = "1";
    var buttons = sent.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
    // After this event, so the pressed button's name and value still go with the form.
    window.setTimeout(function () {
      buttons.forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      });
    }, 0);
    window.setTimeout(function () { release(sent); }, 8000);
  });
  var release = function (form) {
    delete form.dataset.sending;
    form.querySelectorAll("[aria-busy]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    });
  };
  // Back to a page from the browser's cache: its forms can be sent again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(release);
  });

  // An invitation link: the phone's own share sheet (WhatsApp, mail, ...) where there is one,
  // and a copy button everywhere. Without this script the link is in a field to copy by hand.
  document.querySelectorAll("[data-share-link]").forEach(function (row) {
    var input = document.getElementById(row.dataset.shareLink);
    var status = row.parentNode.querySelector("[data-share-status]");
    var native = row.querySelector("[data-share-native]");
    var copy = row.querySelector("[data-share-copy]");
    if (!input) return;
    row.hidden = false;
    input.addEventListener("focus", function () { input.select(); });
    if (native && navigator.share) {
      native.hidden = false;
      native.addEventListener("click", function () {
        navigator.share({ title: row.dataset.shareTitle, url: input.value }).catch(function () {});
      });
    }
    copy.addEventListener("click", function () {
      var done = function () { if (status) status.textContent = row.dataset.copied; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          input.select();
          if (document.execCommand("copy")) done();
        });
      } else {
        input.select();
        if (document.execCommand("copy")) done();
      }
    });
  });

  // Close the menu when tapping elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });

  // Live preview of the cover while designing it.
  var form = document.querySelector("[data-cover-form]");
  var cover = document.querySelector("[data-cover]");
  if (form && cover) {
    var root = document.documentElement;
    var setColours = function (bg, ink, accent) {
      root.style.setProperty("--theme", bg);
      root.style.setProperty("--on-theme", ink);
      root.style.setProperty("--theme-accent", accent);
    };
    var luminance = function (hex) {
      var c = [1, 3, 5].map(function (i) {
        var v = parseInt(hex.substr(i, 2), 16) / 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
      });
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    // Same rule as themes.ink_for on the server: the text colour with the most contrast.
    var inkFor = function (hex) {
      var l = luminance(hex);
      var dark = (l + 0.05) / (luminance("#1b1b1f") + 0.05);
      var light = 1.05 / (l + 0.05);
      return dark >= light ? "#1b1b1f" : "#ffffff";
    };
    var colourInput = form.querySelector('input[type="color"]');
    var customRadio = form.querySelector('input[name="theme"][value="custom"]');
    var customChip = form.querySelector(".swatch__chip--custom");
    var applyTheme = function () {
      var picked = form.querySelector('input[name="theme"]:checked');
      if (!picked) return;
      if (picked.value === "custom" && colourInput) {
        var ink = inkFor(colourInput.value);
        setColours(colourInput.value, ink, ink);
      } else {
        setColours(picked.dataset.bg, picked.dataset.ink, picked.dataset.accent);
      }
    };
    form.querySelectorAll('input[name="theme"]').forEach(function (radio) {
      radio.addEventListener("change", applyTheme);
    });
    if (colourInput) {
      colourInput.addEventListener("input", function () {
        if (customRadio) customRadio.checked = true;
        if (customChip) {
          customChip.style.background = colourInput.value;
          customChip.style.color = inkFor(colourInput.value);
        }
        applyTheme();
      });
    }
    var photoBox = cover.querySelector("[data-cover-photo]");
    var focus = function () {
      var picked = form.querySelector('input[name="focus"]:checked');
      return picked ? picked.value : "center";
    };
    var showPhoto = function () {
      var picked = form.querySelector('input[name="photo"]:checked');
      if (!photoBox || !picked) return;
      var img = photoBox.querySelector("img");
      if (!picked.dataset.photoSrc) {
        if (img) img.remove();
        photoBox.classList.remove("cover__photo--filled");
        return;
      }
      if (!img) {
        img = document.createElement("img");
        img.alt = "";
        photoBox.insertBefore(img, photoBox.firstChild);
      }
      img.removeAttribute("srcset");
      img.src = picked.dataset.photoSrc;
      img.className = "cover__img cover__img--" + focus();
      photoBox.classList.add("cover__photo--filled");
    };
    form.querySelectorAll('input[name="photo"], input[name="focus"]').forEach(function (radio) {
      radio.addEventListener("change", showPhoto);
    });
    // A draft: what the young person changed stays in this tab (sessionStorage) until it is
    // saved, also when they leave to add a photo and come back.
    var draftKey = form.dataset.draftKey;
    var note = form.querySelector("[data-draft-note]");
    var fields = function () {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name && el.name !== "csrf_token" && el.type !== "submit" && el.type !== "button";
      });
    };
    var saveDraft = function () {
      var values = {};
      fields().forEach(function (el) {
        if (el.type === "radio") { if (el.checked) values[el.name] = el.value; }
        else values[el.name] = el.value;
      });
      try { sessionStorage.setItem(draftKey, JSON.stringify(values)); } catch (e) { /* private mode */ }
    };
    var draft = null;
    try { draft = JSON.parse(sessionStorage.getItem(draftKey) || "null"); } catch (e) { draft = null; }
    var restored = [];
    if (draft && !form.querySelector(".field--error")) {
      fields().forEach(function (el) {
        if (!(el.name in draft)) return;
        if (el.type === "radio") {
          var pick = el.value === draft[el.name];
          if (el.checked !== pick) { el.checked = pick; restored.push(el); }
        } else if (el.value !== draft[el.name]) {
          el.value = draft[el.name];
          restored.push(el);
        }
      });
      if (restored.length && note) note.hidden = false;
    }
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", saveDraft);
    form.addEventListener("submit", function () {
      try { sessionStorage.removeItem(draftKey); } catch (e) { /* private mode */ }
    });
    var discard = form.querySelector("[data-draft-discard]");
    if (discard) {
      discard.addEventListener("click", function () {
        try { sessionStorage.removeItem(draftKey); } catch (e) { /* private mode */ }
        window.location.reload();
      });
    }

    form.querySelectorAll('input[name="layout"]').forEach(function (radio) {
      radio.addEventListener("change", function () {
        cover.className = cover.className.replace(/cover--\w+/, "cover--" + radio.value);
      });
    });
    [["title", "[data-cover-title]"], ["subtitle", "[data-cover-subtitle]"]].forEach(function (pair) {
      var input = form.querySelector('[data-preview="' + pair[0] + '"]');
      var target = cover.querySelector(pair[1]);
      if (!input || !target) return;
      input.addEventListener("input", function () {
        target.textContent = input.value;
      });
    });
    // Show the kept draft in the preview too.
    restored.forEach(function (el) {
      el.dispatchEvent(new Event(el.type === "radio" ? "change" : "input", { bubbles: true }));
    });
  }
})();
