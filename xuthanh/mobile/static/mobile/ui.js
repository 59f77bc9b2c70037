/* DOM helpers: elements built with text nodes (never HTML strings from data), messages, formatting. */
import { gettext, language } from "./i18n.js";

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let toastTimer = null;
export function toast(message, ms = 6000) {
  const box = document.getElementById("toast");
  if (!box) return;
  box.textContent = message;
  box.classList.add("show");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => box.classList.remove("show"), ms);
}

export function quotaMessage() {
  return gettext("This phone has no storage space left for the app. Delete a downloaded area or free some space, then try again.");
}

/* A sentence for the traveller, in their language, for what went wrong. A raw browser message ("Failed to
   fetch", a JSON parse error from a hotel Wi-Fi login page) is never shown. */
export function explain(error) {
  if (error && error.name === "QuotaExceededError") return quotaMessage();
  if (!navigator.onLine || (error && error.offline)) return gettext("You are offline. This needs an internet connection.");
  if (error && ["TypeError", "SyntaxError", "TimeoutError", "AbortError"].includes(error.name)) {
    return gettext("The connection failed or is too weak. Check your signal and try again.");
  }
  if (error && error.message && !/^HTTP \d+$/.test(error.message)) return error.message;
  return gettext("Something went wrong. Please try again.");
}

/* The JSON of an API answer, or an error carrying the server's message, its status and whether the service
   worker answered for a network that is not there (`detail: "offline"`). */
export async function answer(response) {
  let data = null;
  try {
    data = await response.json();
  } catch (error) {
    if (response.ok) throw error;
  }
  if (response.ok) return data;
  const error = new Error((data && data.message) || `HTTP ${response.status}`);
  error.status = response.status;
  error.offline = Boolean(data && data.detail === "offline");
  throw error;
}

export function bytes(n) {
  const format = new Intl.NumberFormat(language(), { maximumFractionDigits: 1 });
  if (n >= 1e6) return format.format(n / 1e6) + " MB";
  if (n >= 1e3) return format.format(n / 1e3) + " kB";
  return format.format(n) + " B";
}

export function vnd(amount) {
  return new Intl.NumberFormat(language()).format(amount) + " ₫";
}

export function km(distance) {
  return new Intl.NumberFormat(language(), { maximumFractionDigits: distance < 10 ? 1 : 0 }).format(distance) + " km";
}

export function dateLabel(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Intl.DateTimeFormat(language(), { day: "numeric", month: "short", weekday: "short", timeZone: "UTC" })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

export function spanLabel([start, end]) {
  return start === end ? dateLabel(start) : dateLabel(start) + " – " + dateLabel(end);
}

export function kindLabel(kind) {
  const labels = {
    attraction: gettext("Attraction"),
    accommodation: gettext("Accommodation"),
    food: gettext("Food and drink"),
    shopping: gettext("Shopping"),
    transport: gettext("Transport hub"),
    service: gettext("Tourist service"),
    festival: gettext("Traditional festival"),
    event: gettext("Event"),
    sport: gettext("Sport"),
    exhibition: gettext("Exhibition / fair"),
    dish: gettext("Dish"),
    product: gettext("Product"),
    drink: gettext("Drink"),
  };
  return labels[kind] || kind;
}

export function openBadge(open) {
  if (open === null) return null;
  return h("span", { class: open ? "badge open" : "badge closed" }, open ? gettext("Open now") : gettext("Closed now"));
}

export function photo(url, alt, size = 320) {
  if (!url) return null;
  return h("img", { src: url, alt: alt || "", loading: "lazy", decoding: "async", width: size, height: Math.round(size * 0.66), class: "photo" });
}
