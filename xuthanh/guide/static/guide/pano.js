/* The portal's 360° view of a tour (an ES module; progressive enhancement). The page already shows the first
   scene flat, every scene's notes, ways and narration, and links (?scene=) between them. With WebGL, the flat
   picture becomes the viewer (tour-viewer.js); the page's scene links move it, and the page follows it (the
   current scene marked, the address kept for sharing). Without WebGL the links swap the flat picture,
   without reloading. */
import { mountTour, webglWorks } from "./tour-viewer.js";

const box = document.getElementById("pano");
const data = JSON.parse(document.getElementById("pano-data").textContent);
const byId = new Map(data.nodes.map((n) => [n.slug, n]));
const labels = data.labels;
const flatPicture = box.querySelector("img.pano-flat");

function showCurrent(slug) {
  document.querySelectorAll("li.scene").forEach((li) => {
    const current = li.id === "scene-" + slug;
    li.classList.toggle("current", current);
    if (current) li.setAttribute("aria-current", "true"); else li.removeAttribute("aria-current");
    if (!current) li.querySelectorAll("audio").forEach((audio) => audio.pause());
  });
  box.setAttribute("aria-label", box.getAttribute("aria-label").replace(/:.*$/, ": " + byId.get(slug).title));
  box.dataset.scene = slug;
  const url = new URL(window.location.href);
  url.searchParams.set("scene", slug);
  window.history.replaceState(null, "", url);
}

function onSceneLinks(go) {
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[data-scene]");
    if (!link || !byId.has(link.dataset.scene)) return;
    event.preventDefault();
    go(link.dataset.scene);
  });
}

function flat() {
  box.replaceChildren(flatPicture);
  box.dataset.mode = "flat";
  box.dataset.scene = data.start;
  onSceneLinks((slug) => {
    const node = byId.get(slug);
    flatPicture.src = node.preview;
    flatPicture.alt = node.title + (node.sample ? " (" + labels.sample + ")" : "");
    showCurrent(slug);
  });
}

let mounted = null;
if (webglWorks()) {
  try {
    mounted = mountTour(box, data.nodes, data.start, labels, showCurrent);
    box.dataset.mode = "viewer";
    onSceneLinks((slug) => mounted.go(slug));
    window.xuthanhPano = mounted;  // for the browser tests and the kiosk shell
  } catch (error) {
    console.error(error);
    flat();  // never a blank box
  }
} else {
  flat();
}
