// Retraining progress on /admin/teach: polls the status endpoint while a run is going (no inline code: CSP).
(function () {
  "use strict";
  var box = document.getElementById("retrain-status");
  if (!box) { return; }
  var form = document.getElementById("retrain-form");
  var button = document.getElementById("retrain-button");
  var bar = document.getElementById("retrain-progress");
  var timer = null;

  function text(id, value) { document.getElementById(id).textContent = value || ""; }

  function show(s) {
    text("retrain-label", s.label);
    text("retrain-detail", s.detail);
    if (s.model) { text("model-in-use", s.model); }
    bar.hidden = !s.running;
    if (s.progress === null || s.progress === undefined) { bar.removeAttribute("value"); } else { bar.value = s.progress; }
    document.getElementById("retrain-error").hidden = s.state !== "failed";
    text("retrain-error-text", s.error);
    text("retrain-reason", s.reason);
    button.disabled = s.running;
    if (s.running && !timer) { timer = setInterval(poll, 1000); }
    if (!s.running && timer) { clearInterval(timer); timer = null; }
  }

  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); }).then(show).catch(function () {});
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    button.disabled = true;
    fetch(form.action, {method: "POST", credentials: "same-origin", body: new FormData(form),
                        headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (s) { if (s.error && !s.state) { text("retrain-label", s.error); button.disabled = false; } else { show(s); } })
      .catch(function () { button.disabled = false; });
  });

  if (box.dataset.running === "true") { timer = setInterval(poll, 1000); }
})();
