/* Geofence triggering of the audio guide, pure (no browser, no server): given the tour's stops and the phone's
   successive position fixes, say when the visitor has walked into a stop's zone, so that its narration starts
   by itself. The position never leaves the phone: this runs there (and in node for its tests).

   The rules, each against a known way GPS misleads:
   - a fix whose accuracy is worse than the zone it would trigger (or than `maxAccuracy`) neither enters nor
     leaves anything: the state holds and `poor` is reported, so the page can say "waiting for a better fix";
   - entering needs `dwell` consecutive good fixes inside the same zone: one stray fix never plays a stop;
   - once in a stop, the visitor leaves it only beyond `radius × exitFactor + exitMargin` (hysteresis): jitter
     at the boundary never replays it, and a neighbouring, overlapping zone cannot take over until then;
   - where zones overlap, the stop whose centre is nearest relative to its radius wins;
   - a stop already heard never plays again by itself; after one starts, the next waits `cooldownMs`;
   - stops whose point is an estimate (`auto: false`) never trigger: they play by QR code, keypad or a tap.
*/
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.GuideGeofence = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var EARTH_M = 6371008.8;

  function distanceM(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180;
    var dLat = (lat2 - lat1) * rad;
    var dLon = (lon2 - lon1) * rad;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  var DEFAULTS = { dwell: 2, exitFactor: 1.5, exitMargin: 10, maxAccuracy: 60, minAccuracy: 20, cooldownMs: 15000 };

  function create(stops, options) {
    var o = {};
    var key;
    for (key in DEFAULTS) o[key] = DEFAULTS[key];
    for (key in options || {}) o[key] = options[key];
    var current = null; // id of the stop the visitor is in
    var candidate = null; // id seen inside on the last good fixes, and how many
    var streak = 0;
    var heard = {};
    var lastStart = -Infinity;

    function byId(id) {
      for (var i = 0; i < stops.length; i++) if (stops[i].id === id) return stops[i];
      return null;
    }

    function update(fix) {
      var out = { enter: null, leave: null, current: current, poor: false };
      var time = fix.time == null ? Date.now() : fix.time;
      function start(id) {
        if (!heard[id] && time - lastStart >= o.cooldownMs) {
          heard[id] = true;
          lastStart = time;
          out.enter = id;
        }
      }
      var accuracy = fix.accuracy == null ? Infinity : fix.accuracy;
      if (accuracy > o.maxAccuracy) {
        out.poor = true; // the state holds, the count of fixes inside included
        return out;
      }
      if (current !== null) {
        var here = byId(current);
        var d = distanceM(fix.lat, fix.lon, here.lat, here.lon);
        if (d <= here.radius * o.exitFactor + o.exitMargin) { // still there (hysteresis)
          start(current); // it waited for the cooldown
          return out;
        }
        if (accuracy > Math.max(o.minAccuracy, here.radius)) {
          out.poor = true; // too vague to say the visitor left
          return out;
        }
        out.leave = current;
        current = null;
        out.current = null;
      }
      var best = null;
      var bestRatio = Infinity;
      stops.forEach(function (s) {
        if (!s.auto) return;
        var ratio = distanceM(fix.lat, fix.lon, s.lat, s.lon) / s.radius;
        if (ratio <= 1 && ratio < bestRatio) {
          best = s;
          bestRatio = ratio;
        }
      });
      if (best === null) {
        candidate = null;
        streak = 0;
        return out;
      }
      if (accuracy > Math.max(o.minAccuracy, best.radius)) {
        out.poor = true; // inside a zone on paper, but the fix could be anywhere around it
        return out;
      }
      streak = candidate === best.id ? streak + 1 : 1;
      candidate = best.id;
      if (streak < o.dwell) return out;
      current = best.id;
      out.current = current;
      start(best.id);
      return out;
    }

    return {
      update: update,
      /* A stop played by hand (tap, QR, keypad) counts as heard: walking past it later does not replay it. */
      markHeard: function (id) { heard[id] = true; },
      heard: function () { return Object.keys(heard); },
      reset: function () { current = null; candidate = null; streak = 0; heard = {}; lastStart = -Infinity; },
    };
  }

  return { create: create, distanceM: distanceM, DEFAULTS: DEFAULTS };
});
