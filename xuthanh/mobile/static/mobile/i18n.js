/* UI strings: Django's JSON catalogue of the `djangojs` domain for the chosen language (/app/i18n/<lang>.json),
   with gettext/ngettext/interpolate as in Django's JavaScript catalogue. The language is the one chosen in
   the app, else the browser's first language that the platform offers, else the fallback (English: a
   traveller whose language the platform lacks reads it more often than Vietnamese). The plural rule is read by
   a small parser, never compiled as code: the app runs under a Content-Security-Policy without 'unsafe-eval'. */
let catalog = {};
let pluralIndex = (n) => (n === 1 ? 0 : 1);
let current = "vi";
const KEY = "xuthanh.lang";

export function gettext(message) {
  const value = catalog[message];
  if (value === undefined || value === "") return message;
  return Array.isArray(value) ? value[0] : value;
}

export function ngettext(singular, plural, count) {
  const value = catalog[singular];
  if (value === undefined) return count === 1 ? singular : plural;
  const forms = Array.isArray(value) ? value : [value];
  return forms[pluralIndex(count)] || forms[0];
}

export function interpolate(format, values) {
  return format.replace(/%\((\w+)\)s/g, (_match, name) => String(values[name]));
}

/* gettext's plural expression (C syntax: n, integers, ! % < <= > >= == != && || ?: and parentheses) as a
   function of n; anything else is refused (null). */
export function compilePlural(source) {
  const tokens = String(source).match(/\s*(\d+|n|&&|\|\||[<>!=]=|[-+*/%<>!?:()])\s*/gy);
  if (!tokens || tokens.join("").length !== String(source).length) return null;
  const list = tokens.map((t) => t.trim());
  let at = 0;
  const peek = () => list[at];
  const take = (t) => { if (list[at] !== t) throw new Error("plural"); at += 1; };
  const BINARY = [["||"], ["&&"], ["==", "!="], ["<", "<=", ">", ">="], ["+", "-"], ["*", "/", "%"]];
  const apply = {
    "||": (a, b) => (a || b ? 1 : 0), "&&": (a, b) => (a && b ? 1 : 0), "==": (a, b) => (a === b ? 1 : 0),
    "!=": (a, b) => (a !== b ? 1 : 0), "<": (a, b) => (a < b ? 1 : 0), "<=": (a, b) => (a <= b ? 1 : 0),
    ">": (a, b) => (a > b ? 1 : 0), ">=": (a, b) => (a >= b ? 1 : 0), "+": (a, b) => a + b, "-": (a, b) => a - b,
    "*": (a, b) => a * b, "/": (a, b) => Math.trunc(a / b), "%": (a, b) => a % b,
  };
  function unary() {
    const t = list[at++];
    if (t === "n") return (n) => n;
    if (/^\d+$/.test(t)) { const v = Number(t); return () => v; }
    if (t === "!") { const f = unary(); return (n) => (f(n) ? 0 : 1); }
    if (t === "(") { const f = ternary(); take(")"); return f; }
    throw new Error("plural");
  }
  function binary(level) {
    if (level === BINARY.length) return unary();
    let left = binary(level + 1);
    while (BINARY[level].includes(peek())) {
      const op = apply[list[at++]];
      const [l, r] = [left, binary(level + 1)];
      left = (n) => op(l(n), r(n));
    }
    return left;
  }
  function ternary() {
    const test = binary(0);
    if (peek() !== "?") return test;
    take("?");
    const yes = ternary();
    take(":");
    const no = ternary();
    return (n) => (test(n) ? yes(n) : no(n));
  }
  try {
    const f = ternary();
    return at === list.length ? (n) => Number(f(n)) : null;
  } catch (error) {
    return null;
  }
}

export function language() {
  return current;
}

/* The best configured language for the browser's list (e.g. ["fr-CA", "en"] → "fr"; "zh-CN" → "zh-hans"). */
export function matchLanguage(wanted, configured, fallback) {
  const codes = configured.map((l) => l.code);
  const aliases = { "zh-cn": "zh-hans", "zh-sg": "zh-hans", "zh-tw": "zh-hant", "zh-hk": "zh-hant", "zh-mo": "zh-hant", zh: "zh-hans" };
  for (const raw of wanted || []) {
    const tag = String(raw).toLowerCase();
    const candidates = [tag, aliases[tag], tag.split("-").slice(0, 2).join("-"), aliases[tag.split("-")[0]], tag.split("-")[0]];
    for (const candidate of candidates) if (candidate && codes.includes(candidate)) return candidate;
  }
  return fallback;
}

export function chosenLanguage(config) {
  const params = new URLSearchParams(location.search);
  let stored = null;
  try { stored = localStorage.getItem(KEY); } catch (error) { stored = null; }
  const codes = config.languages.map((l) => l.code);
  for (const candidate of [params.get("lang"), stored]) if (candidate && codes.includes(candidate)) return candidate;
  return matchLanguage(navigator.languages || [navigator.language], config.languages, config.fallback || config.default);
}

export function remember(code) {
  try { localStorage.setItem(KEY, code); } catch (error) { /* private mode: chosen for this visit only */ }
}

export async function load(code, root) {
  try {
    const response = await fetch(`${root}i18n/${code}.json`);
    const data = await response.json();
    catalog = data.catalog || {};
    pluralIndex = (data.plural && compilePlural(data.plural)) || ((n) => (n === 1 ? 0 : 1));
  } catch (error) {
    catalog = {}; // offline before the strings were stored: English source strings
  }
  current = code;
  document.documentElement.lang = code;
  const manifest = document.querySelector('link[rel="manifest"]');
  if (manifest) manifest.href = `${root}manifest.${code}.webmanifest`;
}
