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

export function explain(error) {
  if (error && error.name === "QuotaExceededError") return quotaMessage();
  if (!navigator.onLine) return gettext("You are offline. This needs an internet connection.");
  return (error && error.message) || gettext("Something went wrong. Please try again.");
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
