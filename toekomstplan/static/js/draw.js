// A simple drawing canvas: finger or mouse, a few colours and brush sizes, undo.
// The drawing is saved as a PNG through the same upload as a photo.
(function () {
  "use strict";
  var root = document.querySelector("[data-draw]");
  if (!root) return;
  root.hidden = false;
  var canvas = root.querySelector("[data-draw-canvas]");
  var ctx = canvas.getContext("2d");
  var status = root.querySelector("[data-draw-status]");
  var strokes = [];
  var current = null;
  var colour = "#1b1b1f";
  var size = 16;

  function redraw() {
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    strokes.forEach(function (s) {
      ctx.strokeStyle = s.colour;
      ctx.fillStyle = s.colour;
      ctx.lineWidth = s.size;
      if (s.points.length === 1) {
        ctx.beginPath();
        ctx.arc(s.points[0][0], s.points[0][1], s.size / 2, 0, Math.PI * 2);
        ctx.fill();
        return;
      }
      ctx.beginPath();
      ctx.moveTo(s.points[0][0], s.points[0][1]);
      s.points.slice(1).forEach(function (p) { ctx.lineTo(p[0], p[1]); });
      ctx.stroke();
    });
  }

  function point(event) {
    var rect = canvas.getBoundingClientRect();
    return [
      ((event.clientX - rect.left) / rect.width) * canvas.width,
      ((event.clientY - rect.top) / rect.height) * canvas.height,
    ];
  }

  canvas.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    current = { colour: colour, size: size * (canvas.width / canvas.getBoundingClientRect().width) / 2, points: [point(event)] };
    strokes.push(current);
    redraw();
  });
  // While drawing, add only the newest bit of line; a full redraw is for undo.
  canvas.addEventListener("pointermove", function (event) {
    if (!current) return;
    var last = current.points[current.points.length - 1];
    var next = point(event);
    current.points.push(next);
    ctx.strokeStyle = current.colour;
    ctx.lineWidth = current.size;
    ctx.lineCap = "round";
    ctx.beginPath();
    ctx.moveTo(last[0], last[1]);
    ctx.lineTo(next[0], next[1]);
    ctx.stroke();
  });
  ["pointerup", "pointercancel"].forEach(function (name) {
    canvas.addEventListener(name, function () { current = null; });
  });

  function choose(selector, attr, apply) {
    root.querySelectorAll(selector).forEach(function (button) {
      button.addEventListener("click", function () {
        root.querySelectorAll(selector).forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
        button.setAttribute("aria-pressed", "true");
        apply(button.dataset[attr]);
      });
    });
  }
  choose("[data-colour]", "colour", function (value) { colour = value; });
  choose("[data-size]", "size", function (value) { size = Number(value); });

  root.querySelector("[data-draw-undo]").addEventListener("click", function () {
    strokes.pop();
    redraw();
  });
  root.querySelector("[data-draw-clear]").addEventListener("click", function () {
    if (!strokes.length || !window.confirm(root.dataset.startAgain)) return;
    strokes.length = 0;
    redraw();
  });

  var saveButton = root.querySelector("[data-draw-save]");
  saveButton.addEventListener("click", function () {
    if (saveButton.disabled) return;
    saveButton.disabled = true; // one tap, one drawing
    status.textContent = root.dataset.saving;
    canvas.toBlob(function (blob) {
      var body = new FormData();
      body.append("csrf_token", root.dataset.csrf);
      body.append("file", blob, "drawing.png");
      body.append("caption", root.dataset.caption);
      body.append("drawing", "1");
      fetch(root.dataset.uploadUrl, {
        method: "POST",
        body: body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
        .then(function (result) {
          if (!result.ok) {
            status.textContent = result.data.error || root.dataset.failed;
            saveButton.disabled = false;
            return;
          }
          window.location.href = result.data.url;
        })
        // Offline, or an answer that is no JSON: never show the browser's own (English) error.
        .catch(function () {
          status.textContent = root.dataset.failed;
          saveButton.disabled = false;
        });
    }, "image/png");
  });

  redraw();
})();
