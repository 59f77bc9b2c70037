// The translation desk's editor: character counts against the screen hints, the memory's "Use" buttons,
// and keys for long sessions (Ctrl+Enter: save as reviewed, Ctrl+S: save as draft). Works without it.
(function () {
  "use strict";
  var form = document.getElementById("desk-form");
  if (!form) return;
  function count(field) {
    var out = form.querySelector('.count[data-for="' + field.id + '"]');
    if (!out) return;
    var n = Array.from(field.value).length;
    out.textContent = String(n);
    var limit = parseInt(field.getAttribute("data-screen-limit") || "0", 10);
    field.classList.toggle("over-screen", limit > 0 && n > limit);
  }
  form.querySelectorAll("input[type=text], textarea").forEach(function (field) {
    count(field);
    field.addEventListener("input", function () { count(field); });
  });
  form.querySelectorAll(".use-memory").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-target"));
      field.value = button.getAttribute("data-text");
      count(field);
      field.focus();
    });
  });
  function submitWith(action) {
    var button = form.querySelector('button[name=action][value="' + action + '"]');
    if (button) form.requestSubmit(button);
  }
  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey)) return;
    if (event.key === "Enter") { event.preventDefault(); submitWith("reviewed"); }
    else if (event.key === "s" || event.key === "S") { event.preventDefault(); submitWith("draft"); }
  });
})();
