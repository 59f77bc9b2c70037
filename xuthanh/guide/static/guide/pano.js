/* The 360° view of a tour (an ES module; progressive enhancement). The page already shows the first scene
   flat, every scene's notes, ways and narration, and links (?scene=) between them. With WebGL, the flat
   picture becomes PhotoSphereViewer with its virtual-tour plugin (ways drawn in the panorama, leading to the
   next scene) and markers (the information spots; their text opens in the side panel); the scene links of
   the page move the viewer, and the page follows the viewer (the current scene marked, the URL kept for
   sharing). Without WebGL the links swap the flat picture, without reloading. */
import { Viewer } from "@photo-sphere-viewer/core";
import { MarkersPlugin } from "@photo-sphere-viewer/markers-plugin";
import { VirtualTourPlugin } from "@photo-sphere-viewer/virtual-tour-plugin";
import { GyroscopePlugin } from "@photo-sphere-viewer/gyroscope-plugin";

const box = document.getElementById("pano");
const data = JSON.parse(document.getElementById("pano-data").textContent);
const byId = new Map(data.nodes.map((n) => [n.slug, n]));
const labels = data.labels;
const flatPicture = box.querySelector("img.pano-flat");

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function webglWorks() {
  try {
    const canvas = document.createElement("canvas");
    return Boolean(window.WebGLRenderingContext && (canvas.getContext("webgl2") || canvas.getContext("webgl")));
  } catch (error) {
    return false;
  }
}

function showCurrent(slug) {
  document.querySelectorAll("li.scene").forEach((li) => {
    const current = li.id === "scene-" + slug;
    li.classList.toggle("current", current);
    if (current) li.setAttribute("aria-current", "true"); else li.removeAttribute("aria-current");
    if (!current) li.querySelectorAll("audio").forEach((audio) => audio.pause());
  });
  const node = byId.get(slug);
  box.setAttribute("aria-label", box.getAttribute("aria-label").replace(/:.*$/, ": " + node.title));
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
  const img = flatPicture;
  box.replaceChildren(img);
  box.dataset.mode = "flat";
  box.dataset.scene = data.start;
  onSceneLinks((slug) => {
    const node = byId.get(slug);
    img.src = node.preview;
    img.alt = node.title + (node.sample ? " (" + labels.sample + ")" : "");
    showCurrent(slug);
  });
}

const rad = (degrees) => (degrees * Math.PI) / 180;
const ARROW = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" aria-hidden="true" focusable="false">' +
  '<circle cx="50" cy="50" r="44" fill="rgba(0,0,0,.45)" stroke="#fff" stroke-width="6"/>' +
  '<path d="M28 60 L50 36 L72 60" fill="none" stroke="#fff" stroke-width="10" stroke-linecap="round"/></svg>';

function arrow(link) {  // a named button for each way (the plugin's own has no name)
  const button = document.createElement("button");
  button.type = "button";
  button.className = "psv-virtual-tour-arrow";
  button.dataset.to = link.nodeId;
  button.setAttribute("aria-label", labels.goTo + ": " + link.data.title);
  button.title = link.data.title;
  button.innerHTML = ARROW;
  return button;
}

function viewerNode(n) {
  return {
    id: n.slug,
    panorama: n.panorama,
    thumbnail: n.preview,
    name: n.title,
    caption: escapeHtml(n.title) + (n.sample ? " · " + escapeHtml(labels.sample) : ""),
    links: n.links.map((way) => ({
      nodeId: way.to, position: { yaw: rad(way.yaw), pitch: rad(way.pitch) }, data: { title: way.title },
    })),
    markers: n.info.map((spot) => ({
      id: "info-" + spot.id,
      position: { yaw: rad(spot.yaw), pitch: rad(spot.pitch) },
      html: '<span class="pano-info" aria-hidden="true">i</span>',
      size: { width: 32, height: 32 },
      anchor: "center center",
      tooltip: { content: escapeHtml(spot.title), position: "top center" },
      content: "<h3>" + escapeHtml(spot.title) + "</h3><p>" + escapeHtml(spot.text) + "</p>",
      data: { title: spot.title },
    })),
    data: { initial: n.initial },
  };
}

function viewer() {
  const start = byId.get(data.start);
  box.dataset.mode = "viewer";
  box.replaceChildren();
  const psv = new Viewer({
    container: box,
    lang: labels,
    keyboard: "always",
    mousewheelCtrlKey: true,
    touchmoveTwoFingers: false,
    defaultYaw: rad(start.initial.yaw),
    defaultPitch: rad(start.initial.pitch),
    defaultZoomLvl: start.initial.zoom,
    navbar: ["zoom", "move", "gyroscope", "caption", "fullscreen"],
    plugins: [
      MarkersPlugin,
      GyroscopePlugin,
      [VirtualTourPlugin, {
        positionMode: "manual",
        renderMode: "2d",
        nodes: data.nodes.map(viewerNode),
        startNodeId: data.start,
        preload: true,
        arrowStyle: { element: arrow, size: { width: 72, height: 72 } },
        transitionOptions: { showLoader: true, effect: "fade", rotation: false },
      }],
    ],
  });
  const tour = psv.getPlugin(VirtualTourPlugin);
  tour.addEventListener("node-changed", ({ node }) => {
    const initial = node.data.initial;
    psv.rotate({ yaw: rad(initial.yaw), pitch: rad(initial.pitch) });
    psv.zoom(initial.zoom);
    showCurrent(node.id);
  });
  onSceneLinks((slug) => tour.setCurrentNode(slug));
  window.xuthanhPano = { viewer: psv, tour: tour };  // for the browser tests and the kiosk shell
}

if (webglWorks()) {
  try {
    viewer();
  } catch (error) {
    console.error(error);
    flat();  // never a blank box
  }
} else {
  flat();
}
