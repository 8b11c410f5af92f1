// Tick a step off with one tap, without reloading the page. Without this script the
// same form posts and the page comes back at the step.
(function () {
  "use strict";
  var progress = document.getElementById("progress");
  document.querySelectorAll("form[data-step-toggle]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      var field = form.querySelector('input[name="done"]');
      var step = form.closest(".step");
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (r) {
          if (!r.ok) throw new Error(String(r.status));
          return r.json();
        })
        .then(function (data) {
          field.value = data.done ? "0" : "1";
          button.setAttribute("aria-pressed", String(data.done));
          step.classList.toggle("step--done", data.done);
          if (progress) progress.innerHTML = data.progress_html;
          var timeline = document.querySelector("[data-timeline]");
          if (timeline && data.event_html) {
            timeline.insertAdjacentHTML("afterbegin", data.event_html.trim());
          }
        })
        .catch(function () {
          form.submit(); // let the server answer the plain way
        })
        .finally(function () {
          button.disabled = false;
        });
    });
  });
})();
