// Retraining progress on /admin/teach: polls the status endpoint while a run is going (no inline code: CSP).
// A start that fails (session expired, CSRF token refused, server error, an answer that is not JSON, no
// answer) is said in #retrain-failure, an alert live region, in the page's language (data-* attributes).
(function () {
  "use strict";
  var box = document.getElementById("retrain-status");
  if (!box) { return; }
  var form = document.getElementById("retrain-form");
  var button = document.getElementById("retrain-button");
  var bar = document.getElementById("retrain-progress");
  var failure = document.getElementById("retrain-failure");
  var timer = null;

  function text(id, value) { document.getElementById(id).textContent = value || ""; }

  function fail(message) {  // a new paragraph in the live region: read out even when the text repeats
    failure.textContent = "";
    if (!message) { return; }
    var p = document.createElement("p");
    p.className = "flash flash-error";
    p.textContent = message;
    failure.appendChild(p);
  }

  function why(status) {
    if (status === 401) { return failure.dataset.session; }
    if (status === 400) { return failure.dataset.expired; }  // the CSRF token refused (the page is too old)
    return failure.dataset.server;
  }

  function show(s) {
    text("retrain-label", s.label);
    text("retrain-detail", s.detail);
    if (s.model) { text("model-in-use", s.model); }
    bar.hidden = !s.running;
    if (s.progress === null || s.progress === undefined) { bar.removeAttribute("value"); } else { bar.value = s.progress; }
    document.getElementById("retrain-error").hidden = s.state !== "failed";
    text("retrain-error-text", s.error);
    text("retrain-reason", s.reason);
    if (button) { button.disabled = s.running; }  // no button for an admin outside the bot team
    if (s.running && !timer) { timer = setInterval(poll, 1000); }
    if (!s.running && timer) { clearInterval(timer); timer = null; }
  }

  // The answer as JSON, or null when it is not JSON (a proxy's error page, a login form).
  function json(r) {
    var type = r.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") !== 0) { return Promise.resolve(null); }
    return r.json().catch(function () { return null; });
  }

  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) {
        return json(r).then(function (s) {
          if (r.ok && s && s.state) { show(s); return; }
          if (r.status === 401 || r.status === 403) {  // logged out: polling on cannot help
            clearInterval(timer); timer = null;
            fail(why(r.status));
          }
        });
      })
      .catch(function () { /* a missed poll: the next one tries again */ });
  }

  if (form) form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    button.disabled = true;
    fail("");
    fetch(form.action, {method: "POST", credentials: "same-origin", body: new FormData(form),
                        headers: {"Accept": "application/json"}})
      .then(function (r) {
        return json(r).then(function (s) {
          if (r.ok && s && s.state) { show(s); return; }
          button.disabled = false;
          // a refusal the app words itself (a retraining already running) is shown as it is
          fail(s && typeof s.error === "string" ? s.error : why(r.status));
        });
      })
      .catch(function () { button.disabled = false; fail(failure.dataset.network); });
  });

  if (box.dataset.running === "true") { timer = setInterval(poll, 1000); }
})();
