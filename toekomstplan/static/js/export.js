// The PDF page: say that the PDF is being made while the download is on its way.
(function () {
  "use strict";
  var note = document.querySelector("[data-pdf-note]");
  if (!note) return;
  var text = note.textContent;
  var timer = null;
  var making = function () {
    note.textContent = note.dataset.making;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { note.textContent = text; }, 12000);
  };
  document.querySelectorAll("a[data-pdf-download]").forEach(function (link) {
    link.addEventListener("click", making);
  });
  var form = document.querySelector("form[data-pdf-form]");
  if (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.hasAttribute("data-pdf-download")) making();
    });
  }
})();
