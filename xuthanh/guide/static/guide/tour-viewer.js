/* A 360° tour in PhotoSphereViewer (an ES module; the page's import map names the packages), shared by the
   portal's view (pano.js) and the app's screen (mobile/guide.js): the scenes as the API gives them (slug,
   title, panorama, preview, initial view, ways, information spots), ways drawn in the panorama as named
   buttons leading to the next scene, information spots as markers whose text opens in the side panel, the
   opening view of each scene, drag, keys, zoom, gyroscope and full screen. */
import { Viewer } from "@photo-sphere-viewer/core";
import { MarkersPlugin } from "@photo-sphere-viewer/markers-plugin";
import { VirtualTourPlugin } from "@photo-sphere-viewer/virtual-tour-plugin";
import { GyroscopePlugin } from "@photo-sphere-viewer/gyroscope-plugin";

export function webglWorks() {
  try {
    const canvas = document.createElement("canvas");
    return Boolean(window.WebGLRenderingContext && (canvas.getContext("webgl2") || canvas.getContext("webgl")));
  } catch (error) {
    return false;
  }
}

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

const rad = (degrees) => (degrees * Math.PI) / 180;
const ARROW = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" aria-hidden="true" focusable="false">' +
  '<circle cx="50" cy="50" r="44" fill="rgba(0,0,0,.45)" stroke="#fff" stroke-width="6"/>' +
  '<path d="M28 60 L50 36 L72 60" fill="none" stroke="#fff" stroke-width="10" stroke-linecap="round"/></svg>';

function node(n, labels) {
  return {
    id: n.slug,
    panorama: n.panorama,
    thumbnail: n.preview,
    name: escapeHtml(n.title),  // the plugin writes it into the ways' tooltips as HTML
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
    })),
    data: { initial: n.initial },
  };
}

/* The arrow keys, + and - look around and zoom while the focus is in the viewer's box (reached with Tab). */
export function focusKeys(box, viewer) {
  box.tabIndex = 0;
  box.addEventListener("focusin", () => viewer.startKeyboardControl());
  box.addEventListener("focusout", (event) => {
    if (!box.contains(event.relatedTarget)) viewer.stopKeyboardControl();
  });
}

/* Mount the tour in `box` (emptied) at the scene `start`; `changed(slug)` after each move. Returns
   { viewer, tour, go(slug), destroy() }. */
export function mountTour(box, scenes, start, labels, changed) {
  const first = scenes.find((n) => n.slug === start) || scenes[0];
  const arrow = (link) => {  // a named button for each way (the plugin's own has no name)
    const button = document.createElement("button");
    button.type = "button";
    button.className = "psv-virtual-tour-arrow";
    button.dataset.to = link.nodeId;
    button.setAttribute("aria-label", labels.goTo + ": " + link.data.title);
    button.title = link.data.title;
    button.innerHTML = ARROW;
    return button;
  };
  box.replaceChildren();
  const viewer = new Viewer({
    container: box,
    lang: labels,
    keyboard: false,  // the keys move the view only while it has the focus (focusKeys): never a form's keys
    mousewheelCtrlKey: true,
    defaultYaw: rad(first.initial.yaw),
    defaultPitch: rad(first.initial.pitch),
    defaultZoomLvl: first.initial.zoom,
    navbar: ["zoom", "move", "gyroscope", "caption", "fullscreen"],
    plugins: [
      MarkersPlugin,
      GyroscopePlugin,
      [VirtualTourPlugin, {
        positionMode: "manual",
        renderMode: "2d",
        nodes: scenes.map((n) => node(n, labels)),
        startNodeId: first.slug,
        preload: true,
        arrowStyle: { element: arrow, size: { width: 72, height: 72 } },
        transitionOptions: { showLoader: true, effect: "fade", rotation: false },
      }],
    ],
  });
  focusKeys(box, viewer);
  const tour = viewer.getPlugin(VirtualTourPlugin);
  tour.addEventListener("node-changed", ({ node: shown }) => {
    const initial = shown.data.initial;
    viewer.rotate({ yaw: rad(initial.yaw), pitch: rad(initial.pitch) });
    viewer.zoom(initial.zoom);
    if (changed) changed(shown.id);
  });
  return { viewer, tour, go: (slug) => tour.setCurrentNode(slug), destroy: () => viewer.destroy() };
}
