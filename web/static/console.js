// Console keyboard shortcuts: 1-3 put a suggested draft into the reply box; Ctrl+Enter sends.
(function () {
  "use strict";
  var box = document.getElementById("reply-text");
  var draftField = document.querySelector("#reply-form input[name=draft_id]");
  function useDraft(button) {
    var text = button.parentElement.querySelector(".draft-text").textContent;
    if (box) { box.value = text; box.focus(); }
    if (draftField) { draftField.value = button.getAttribute("data-draft-id"); }
  }
  document.querySelectorAll(".use-draft").forEach(function (b) {
    b.addEventListener("click", function () { useDraft(b); });
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.tagName === "SELECT");
    if (e.ctrlKey && e.key === "Enter" && t === box) { document.getElementById("reply-form").submit(); return; }
    if (typing || e.altKey || e.ctrlKey || e.metaKey) { return; }
    var b = document.querySelector('.use-draft[data-shortcut="' + e.key + '"]');
    if (b) { e.preventDefault(); useDraft(b); }
  });
})();
