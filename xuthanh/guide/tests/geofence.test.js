/* The guide's geofence alone (xuthanh/guide/static/guide/geofence.js), in node: `node --test` (run by
   test_geofence.py). Positions are metres east/north of a point at Thành nhà Hồ. */
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const G = require("../static/guide/geofence.js");

const ORIGIN = { lat: 20.07806, lon: 105.60472 };
const M_LAT = 1 / 111195;
const M_LON = 1 / (111195 * Math.cos((ORIGIN.lat * Math.PI) / 180));
const at = (east, north, accuracy = 8, time = 0) =>
  ({ lat: ORIGIN.lat + north * M_LAT, lon: ORIGIN.lon + east * M_LON, accuracy, time });
const stop = (id, east, north, radius = 30, auto = true) =>
  ({ id, lat: ORIGIN.lat + north * M_LAT, lon: ORIGIN.lon + east * M_LON, radius, auto });

function walk(fence, fixes) {
  return fixes.map((f, i) => fence.update({ ...f, time: f.time || i * 5000 }));
}
const entered = (events) => events.map((e) => e.enter).filter(Boolean);

test("distances are metres on the ground", () => {
  const a = at(0, 0), b = at(300, 400);
  assert.ok(Math.abs(G.distanceM(a.lat, a.lon, b.lat, b.lon) - 500) < 1);
});

test("walking into a zone plays its stop once, after two fixes inside", () => {
  const fence = G.create([stop("A", 0, 0)]);
  const events = walk(fence, [at(0, -100), at(0, -50), at(0, -20), at(0, -10), at(0, 0)]);
  assert.deepEqual(events.map((e) => e.enter), [null, null, null, "A", null]);
  assert.equal(events[4].current, "A");
});

test("one stray fix inside a zone plays nothing", () => {
  const fence = G.create([stop("A", 0, 0)]);
  assert.deepEqual(entered(walk(fence, [at(0, -100), at(0, 5), at(0, -100), at(0, -120)])), []);
});

test("jitter at the boundary never leaves, replays or flips the stop", () => {
  const fence = G.create([stop("A", 0, 0, 30)]);
  const jitter = [];
  for (let i = 0; i < 40; i++) jitter.push(at(0, i % 2 ? 26 : 36)); // ±5 m around the 30 m edge
  const events = walk(fence, [at(0, 0), at(0, 5), ...jitter]);
  assert.deepEqual(entered(events), ["A"]);
  assert.ok(events.every((e) => e.leave === null));
});

test("leaving beyond the exit ring and coming back does not play the stop again", () => {
  const fence = G.create([stop("A", 0, 0, 30)]);
  const events = walk(fence, [at(0, 0), at(0, 0), at(0, 80), at(0, 90), at(0, 0), at(0, 0), at(0, 0)]);
  assert.deepEqual(events.map((e) => e.leave).filter(Boolean), ["A"]);
  assert.deepEqual(entered(events), ["A"]);
});

test("a fix less accurate than the zone neither enters nor leaves, and says so", () => {
  const fence = G.create([stop("A", 0, 0, 30)]);
  const vague = walk(fence, [at(0, 0, 45), at(0, 0, 45), at(0, 0, 200)]);
  assert.deepEqual(entered(vague), []);
  assert.ok(vague.every((e) => e.poor));
  assert.deepEqual(entered(walk(fence, [at(0, 0, 10), at(0, 0, 10)])), ["A"]);
  const stillThere = fence.update(at(0, 200, 150, 99000)); // far, but the fix could be anywhere
  assert.equal(stillThere.leave, null);
  assert.equal(stillThere.current, "A");
});

test("where zones overlap the nearest centre wins, and the stop being heard keeps its place", () => {
  const fence = G.create([stop("A", 0, 0, 40), stop("B", 50, 0, 40)], { cooldownMs: 0 });
  const first = walk(fence, [at(30, 0), at(30, 0)]); // inside both, nearer B (20 m) than A (30 m)
  assert.deepEqual(entered(first), ["B"]);
  const fence2 = G.create([stop("A", 0, 0, 40), stop("B", 50, 0, 40)], { cooldownMs: 0 });
  const events = walk(fence2, [at(0, 0), at(0, 0), at(20, 0), at(35, 0), at(40, 0), at(60, 0), at(75, 0),
    at(75, 0), at(80, 0)]);
  // A is left only past 40 × 1.5 + 10 = 70 m from its centre; B then takes over.
  assert.deepEqual(entered(events), ["A", "B"]);
  assert.equal(events.findIndex((e) => e.enter === "B"), 7);
});

test("the next stop waits for the cooldown, then plays if the visitor is still there", () => {
  const fence = G.create([stop("A", 0, 0, 20), stop("B", 60, 0, 20)], { cooldownMs: 30000 });
  const events = [
    fence.update(at(0, 0, 8, 0)), fence.update(at(0, 0, 8, 2000)), // A at t=2 s
    fence.update(at(60, 0, 8, 10000)), fence.update(at(60, 0, 8, 12000)), // in B at 12 s: too soon
    fence.update(at(60, 0, 8, 20000)), fence.update(at(60, 0, 8, 33000)), // 31 s after A: B plays
  ];
  assert.deepEqual(events.map((e) => e.enter), [null, "A", null, null, null, "B"]);
});

test("a stop whose point is an estimate never plays by itself; one played by hand is not replayed", () => {
  const fence = G.create([stop("A", 0, 0, 30, false), stop("B", 100, 0, 30)]);
  assert.deepEqual(entered(walk(fence, [at(0, 0), at(0, 0), at(0, 0)])), []);
  fence.markHeard("B");
  assert.deepEqual(entered(walk(fence, [at(100, 0), at(100, 0)])), []);
  assert.deepEqual(fence.heard(), ["B"]);
});

test("a fix without accuracy is treated as unusable", () => {
  const fence = G.create([stop("A", 0, 0)]);
  const events = walk(fence, [{ lat: ORIGIN.lat, lon: ORIGIN.lon }, { lat: ORIGIN.lat, lon: ORIGIN.lon }]);
  assert.deepEqual(entered(events), []);
  assert.ok(events.every((e) => e.poor));
});
