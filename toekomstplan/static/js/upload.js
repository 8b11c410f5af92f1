// Upload each chosen file in its own request, with a progress bar and a stop button.
// On the photos page the new card joins the gallery as soon as the server has it; on a
// goal (data-upload-then="open") the page the server names opens once it is done.
// Without this script the form posts its files at once.
// Files go two at a time (the server takes a few per person); when it says "wait" (429),
// the file waits its turn and is sent again, so none is lost.
(function () {
  "use strict";
  var grid = document.querySelector("[data-media-grid]");
  var AT_ONCE = 2;
  var running = 0;
  var waiting = [];

  function pump() {
    while (running < AT_ONCE && waiting.length) {
      running += 1;
      waiting.shift()();
    }
  }

  // A one-time token per file (see once.py): sent again after a "wait", the file is still
  // stored once.
  function newToken() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function finished() {
    running -= 1;
    pump();
  }

  function addCard(html) {
    var empty = document.querySelector("[data-media-empty]");
    if (empty) empty.remove();
    var holder = document.createElement("ul");
    holder.innerHTML = html.trim();
    var card = holder.firstElementChild;
    grid.insertBefore(card, grid.firstChild);
    watch(card);
  }

  // A video is prepared in the background: ask now and then until it is ready.
  function watch(card) {
    var url = card.dataset.statusUrl;
    if (!url) return;
    var tries = 0;
    var timer = setInterval(function () {
      tries += 1;
      if (tries > 400) return clearInterval(timer);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || data.status === "processing") return;
          clearInterval(timer);
          var holder = document.createElement("ul");
          holder.innerHTML = data.html.trim();
          card.replaceWith(holder.firstElementChild);
        })
        .catch(function () {});
    }, 3000);
  }

  // Open `url`; the same page with only another #part is loaded anew, not just scrolled.
  function openPage(url) {
    var target = new URL(url, window.location.href);
    var here = window.location;
    if (target.pathname === here.pathname && target.search === here.search) {
      here.hash = target.hash;
      here.reload();
    } else {
      here.assign(target.href);
    }
  }

  function setUp(form) {
    var input = form.querySelector("[data-upload-input]");
    var list = form.querySelector("[data-upload-list]") || document.querySelector("[data-upload-list]");
    var token = form.querySelector('input[name="csrf_token"]').value;
    var maxBytes = Number(form.dataset.maxBytes);
    var opens = form.dataset.uploadThen === "open";

    function uploadOne(file) {
      var row = document.createElement("li");
      row.className = "upload-row";
      var name = document.createElement("span");
      name.className = "upload-row__name";
      name.textContent = file.name;
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", file.name);
      var state = document.createElement("span");
      state.className = "upload-row__state";
      state.textContent = "0%";
      var stop = document.createElement("button");
      stop.type = "button";
      stop.className = "button button--small";
      stop.textContent = form.dataset.cancel;
      row.append(name, bar, state, stop);
      list.appendChild(row);

      if (file.size > maxBytes) {
        bar.remove();
        stop.remove();
        state.textContent = form.dataset.tooBig;
        row.classList.add("upload-row--error");
        return;
      }
      var xhr;
      var stopped = false;
      var once = newToken();
      stop.addEventListener("click", function () {
        stopped = true;
        if (xhr && xhr.readyState !== XMLHttpRequest.DONE) xhr.abort();
        else { // still waiting its turn
          stop.remove();
          bar.remove();
          state.textContent = form.dataset.cancelled;
        }
      });
      waiting.push(function send() {
        if (stopped) return finished();
        xhr = new XMLHttpRequest();
        sendFile(xhr, send);
      });
      pump();

      function sendFile(xhr, again) {
        xhr.open("POST", form.action);
        xhr.setRequestHeader("Accept", "application/json");
        xhr.upload.addEventListener("progress", function (event) {
          if (!event.lengthComputable) return;
          var percent = Math.round((event.loaded / event.total) * 100);
          bar.value = percent;
          state.textContent = percent + "%";
        });
        xhr.addEventListener("load", function () {
          var data = null;
          try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
          finished();
          if (xhr.status === 429) {
            // The server is busy with this person's other files: wait, then try again.
            bar.value = 0;
            state.textContent = (data && data.error) || form.dataset.failed;
            var seconds = Number(xhr.getResponseHeader("Retry-After")) || 3;
            setTimeout(function () { waiting.unshift(again); pump(); }, seconds * 1000);
            return;
          }
          stop.remove();
          if (xhr.status === 201 && data && opens) {
            bar.value = 100;
            state.textContent = form.dataset.done;
            openPage(data.location);
          } else if (xhr.status === 201 && data) {
            bar.value = 100;
            state.textContent = form.dataset.done;
            addCard(data.html);
            var used = document.querySelector("[data-storage-used]");
            if (used && data.used) {
              var fresh = document.createElement("div");
              fresh.innerHTML = data.used; // our own template's HTML, escaped on the server
              if (fresh.firstElementChild) used.replaceWith(fresh.firstElementChild);
            }
            setTimeout(function () { row.remove(); }, 2500);
          } else {
            bar.remove();
            state.textContent = (data && data.error) || (xhr.status === 413 ? form.dataset.tooBig : form.dataset.failed);
            row.classList.add("upload-row--error");
          }
        });
        xhr.addEventListener("error", function () {
          finished();
          stop.remove();
          state.textContent = form.dataset.failed;
          row.classList.add("upload-row--error");
        });
        xhr.addEventListener("abort", function () {
          finished();
          stop.remove();
          bar.remove();
          state.textContent = form.dataset.cancelled;
        });
        var body = new FormData();
        body.append("csrf_token", token);
        body.append("once", once);
        form.querySelectorAll("select[name]").forEach(function (select) {
          body.append(select.name, select.value); // evidence: with which step
        });
        body.append("file", file, file.name);
        xhr.send(body);
      }
    }

    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, uploadOne);
      input.value = "";
    });
    // The gallery's form only uploads; a goal's form also adds a photo already there.
    if (!opens) form.addEventListener("submit", function (event) { event.preventDefault(); });
  }

  document.querySelectorAll("[data-upload-form]").forEach(setUp);
  document.querySelectorAll("[data-status-url]").forEach(watch);
})();
