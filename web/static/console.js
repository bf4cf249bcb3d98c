// Console keyboard shortcuts (listed on the case page): 1-3 choose a draft, A accepts and sends the
// chosen draft, E puts it into the reply box to edit, R jumps to its reject reason, N opens the next
// case, Ctrl+Enter sends the reply box. Keys are ignored while typing in a field. A draft is shown as the
// resident will see it; E puts its Markdown source (data-source) into the box.
// The single-key shortcuts can be turned off (WCAG 2.1 2.1.4: speech input and a stray key press type
// letters, and "a" sends a reply); the choice is kept in this browser. Ctrl+Enter stays.
(function () {
  "use strict";
  var box = document.getElementById("reply-text");
  var draftField = document.querySelector("#reply-form input[name=draft_id]");
  var drafts = Array.prototype.slice.call(document.querySelectorAll(".drafts .draft"));
  // the first draft not rejected or sent yet (a rejected draft stays first on the page)
  var chosen = drafts.filter(function (d) { return d.classList.contains("draft-proposed"); })[0] || drafts[0] || null;
  var singleKeys = document.getElementById("single-keys");
  var STORE = "tinget.singleKeys";
  if (singleKeys) {
    try { singleKeys.checked = localStorage.getItem(STORE) !== "off"; } catch (err) { /* storage blocked: on */ }
    singleKeys.addEventListener("change", function () {
      try { localStorage.setItem(STORE, singleKeys.checked ? "on" : "off"); } catch (err) { /* not kept */ }
    });
  }

  function choose(item) {
    if (!item) { return; }
    drafts.forEach(function (d) { d.classList.remove("chosen"); d.removeAttribute("aria-current"); });
    item.classList.add("chosen");
    item.setAttribute("aria-current", "true");
    chosen = item;
    item.focus();
  }
  // The reply form's button is named "submit" (WTForms), which hides form.submit(): requestSubmit() sends
  // the form as its button would (and checks its required fields); the prototype's submit() is the fallback.
  function send(form) {
    if (form.requestSubmit) { form.requestSubmit(); } else { HTMLFormElement.prototype.submit.call(form); }
  }
  function edit(item) {
    if (!item) { return; }
    if (box) { box.value = item.querySelector(".draft-text").getAttribute("data-source"); box.focus(); }
    if (draftField) { draftField.value = item.getAttribute("data-draft-id"); }
  }
  document.querySelectorAll(".use-draft").forEach(function (b) {
    b.addEventListener("click", function () { edit(b.closest(".draft")); });
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.tagName === "SELECT" || t.isContentEditable);
    if (e.ctrlKey && e.key === "Enter" && t === box) { e.preventDefault(); send(document.getElementById("reply-form")); return; }
    if (typing || e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (singleKeys && !singleKeys.checked) { return; }
    var key = e.key.toLowerCase();
    if (/^[1-9]$/.test(key) && drafts[Number(key) - 1]) { e.preventDefault(); choose(drafts[Number(key) - 1]); return; }
    if (key === "a" && chosen && chosen.querySelector(".accept-form")) {
      e.preventDefault(); send(chosen.querySelector(".accept-form")); return;
    }
    if (key === "e" && chosen) { e.preventDefault(); edit(chosen); return; }
    if (key === "r" && chosen && chosen.querySelector(".reject-reason")) {
      e.preventDefault(); chosen.querySelector(".reject-reason").focus(); return;
    }
    if (key === "n" && document.getElementById("next-case")) { e.preventDefault(); document.getElementById("next-case").click(); }
  });
})();
