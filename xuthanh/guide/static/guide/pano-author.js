/* The back office's authoring view of one 360° scene (an ES module): the panorama with its hotspots; a click
   fills the new hotspot's direction and height (degrees) and shows where it will be; "Use the view shown
   now" fills the opening view. The texts are shown in the language chosen for the preview. */
import { Viewer } from "@photo-sphere-viewer/core";
import { MarkersPlugin } from "@photo-sphere-viewer/markers-plugin";
import { escapeHtml, focusKeys } from "./tour-viewer.js";

const box = document.getElementById("pano");
const data = JSON.parse(document.getElementById("pano-data").textContent);
const node = data.nodes.find((n) => n.slug === data.start);
const rad = (degrees) => (degrees * Math.PI) / 180;
const deg = (radians) => Math.round(((radians * 180) / Math.PI) * 10) / 10;
const yawDeg = (radians) => { const d = deg(radians); return d > 180 ? Math.round((d - 360) * 10) / 10 : d; };


function marker(id, yaw, pitch, label, kind) {
  return {
    id: id,
    position: { yaw: rad(yaw), pitch: rad(pitch) },
    html: '<span class="pano-info pano-' + kind + '" aria-hidden="true">' + (kind === "way" ? "→" : kind === "new" ? "+" : "i") + "</span>",
    size: { width: 32, height: 32 },
    anchor: "center center",
    tooltip: { content: escapeHtml(label), position: "top center" },
  };
}

if (node) {
  box.replaceChildren();
  const markers = node.links.map((way, i) => marker("way-" + i, way.yaw, way.pitch, "→ " + way.title, "way"))
    .concat(node.info.map((spot) => marker("info-" + spot.id, spot.yaw, spot.pitch, spot.title, "info")));
  const viewer = new Viewer({
    container: box,
    panorama: node.panorama,
    caption: escapeHtml(node.title),
    lang: data.labels,
    keyboard: false,  // the keys move the view only while it has the focus (focusKeys): never a form's keys
    defaultYaw: rad(node.initial.yaw),
    defaultPitch: rad(node.initial.pitch),
    defaultZoomLvl: node.initial.zoom,
    navbar: ["zoom", "move", "caption", "fullscreen"],
    plugins: [[MarkersPlugin, { markers: markers }]],
  });
  focusKeys(box, viewer);
  const pins = viewer.getPlugin(MarkersPlugin);
  const field = (name) => document.querySelector('[name="' + name + '"]');
  viewer.addEventListener("click", ({ data: click }) => {
    if (click.rightclick || click.marker) return;
    const yaw = yawDeg(click.yaw);
    const pitch = deg(click.pitch);
    if (field("yaw")) field("yaw").value = yaw;
    if (field("pitch")) field("pitch").value = pitch;
    const spot = marker("new", yaw, pitch, yaw + "°, " + pitch + "°", "new");
    if (pins.getMarkers().some((m) => m.id === "new")) pins.updateMarker(spot); else pins.addMarker(spot);
  });
  const use = document.getElementById("use-current-view");
  if (use) {
    use.addEventListener("click", () => {
      const position = viewer.getPosition();
      field("initial_yaw").value = yawDeg(position.yaw);
      field("initial_pitch").value = deg(position.pitch);
      field("initial_zoom").value = Math.round(viewer.getZoomLevel());
    });
  }
  window.xuthanhPano = { viewer: viewer };
}
