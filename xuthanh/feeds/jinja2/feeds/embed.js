/* Xứ Thanh widget loader. Paste where the widget should appear:
   <script src="https://…/widgets/embed.js" data-kind="events" data-commune="16531" data-lang="en" async></script>
   data-kind: events | places; data-lang, data-commune, data-type (event or place kind), data-category,
   data-tag, data-limit (1–20); data-width, data-height in pixels. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || !script.parentNode) { return; }
  var widget = script.getAttribute("data-kind") === "places" ? "places" : "events";
  var url = new URL("/widgets/" + widget, script.src);
  var params = { lang: "lang", commune: "commune", type: "kind", category: "category", tag: "tag", limit: "limit" };
  Object.keys(params).forEach(function (attr) {
    var value = script.getAttribute("data-" + attr);
    if (value) { url.searchParams.set(params[attr], value); }
  });
  function pixels(attr, fallback, max) {
    var n = parseInt(script.getAttribute("data-" + attr) || "", 10);
    return n > 0 ? Math.min(n, max) : fallback;
  }
  var limit = Math.min(pixels("limit", 5, 20), 20);
  var frame = document.createElement("iframe");
  frame.src = url.href;
  frame.title = widget === "places" ? "Xứ Thanh – places" : "Xứ Thanh – festivals and events";
  frame.loading = "lazy";
  frame.style.cssText = "display:block;border:0;width:100%;max-width:" + pixels("width", 420, 2000) +
    "px;height:" + pixels("height", 80 + 58 * limit, 3000) + "px";
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
