/* UI strings: Django's JSON catalogue of the `djangojs` domain for the chosen language (/app/i18n/<lang>.json),
   with gettext/ngettext/interpolate as in Django's JavaScript catalogue. The language is the one chosen in
   the app, else the browser's first language that the platform offers, else the default. */
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
  return matchLanguage(navigator.languages || [navigator.language], config.languages, config.default);
}

export function remember(code) {
  try { localStorage.setItem(KEY, code); } catch (error) { /* private mode: chosen for this visit only */ }
}

export async function load(code, root) {
  try {
    const response = await fetch(`${root}i18n/${code}.json`);
    const data = await response.json();
    catalog = data.catalog || {};
    pluralIndex = data.plural ? new Function("n", "return Number(" + data.plural + ");") : () => 0;
  } catch (error) {
    catalog = {}; // offline before the strings were stored: English source strings
  }
  current = code;
  document.documentElement.lang = code;
  const manifest = document.querySelector('link[rel="manifest"]');
  if (manifest) manifest.href = `${root}manifest.${code}.webmanifest`;
}
