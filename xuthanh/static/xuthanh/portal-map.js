/* Portal maps (progressive enhancement): the pages already show coordinates, links and a list of places;
   this script only adds a Leaflet map when Leaflet loaded. Without it the map containers stay hidden. */
(function () {
  "use strict";
  if (typeof window.L === "undefined") return;

  function baseMap(el, center, zoom) {
    el.hidden = false;
    if (el.dataset.icon) {
      // Leaflet guesses its marker images from its CSS, which fails once static files carry content hashes.
      L.Icon.Default.imagePath = ""; // our URLs are whole: Leaflet would prefix its guessed folder again
      L.Icon.Default.mergeOptions({ iconUrl: el.dataset.icon, iconRetinaUrl: el.dataset.icon2x, shadowUrl: el.dataset.shadow });
    }
    var map = L.map(el, { scrollWheelZoom: false }).setView(center, zoom);
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
    return map;
  }

  var single = document.getElementById("place-map");
  if (single) {
    var point = [parseFloat(single.dataset.lat), parseFloat(single.dataset.lon)];
    var map = baseMap(single, point, 14);
    if (single.dataset.radius) {
      // An unchecked point: show the area it may be in, never a pin that looks exact.
      var area = L.circle(point, { radius: parseFloat(single.dataset.radius), color: "#8a5a00", dashArray: "6 4", fillOpacity: 0.12 });
      area.bindTooltip(single.dataset.name).addTo(map);
      map.fitBounds(area.getBounds(), { padding: [10, 10] });
    } else {
      L.marker(point, { title: single.dataset.name, alt: single.dataset.name }).addTo(map);
    }
  }

  var many = document.getElementById("places-map");
  if (many && window.fetch) {
    var bigMap = baseMap(many, [19.95, 105.5], 8); // Thanh Hóa province
    var layer = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup() : L.layerGroup();
    layer.addTo(bigMap);
    fetch(many.dataset.points, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var bounds = [];
        data.places.forEach(function (p) {
          var marker = p.approx
            ? L.circleMarker([p.lat, p.lon], { radius: 9, color: "#8a5a00", dashArray: "4 3", fillOpacity: 0.15 })
            : L.marker([p.lat, p.lon], { title: p.name, alt: p.name });
          var link = document.createElement("a");
          link.href = p.url;
          link.textContent = p.name;
          var popup = document.createElement("span");
          popup.appendChild(link);
          if (p.approx) {
            popup.appendChild(document.createElement("br"));
            popup.appendChild(document.createTextNode(many.dataset.approximate));
          }
          marker.bindPopup(popup);
          layer.addLayer(marker);
          bounds.push([p.lat, p.lon]);
        });
        if (bounds.length) bigMap.fitBounds(bounds, { padding: [20, 20], maxZoom: 13 });
      })
      .catch(function () {
        many.hidden = true; // the list below still works
      });
  }
})();
