/* Text folding for offline search: the same rules as xuthanh/core/text.py `fold` (tested for parity):
   đ→d (and a few Latin letters without a decomposition), accents removed, case folded, runs of anything
   that is not a letter or digit (underscore included) collapsed to one space; each CJK character a word. */
const SPECIAL = { "đ": "d", "Đ": "d", "ð": "d", "ƀ": "b", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l" };
const SPECIAL_RE = /[đĐðƀøØłŁ]/g;
// Python's str.casefold() beyond toLowerCase() for the letters a traveller may type.
const CASEFOLD = { "ß": "ss", "ẞ": "ss", "ς": "σ", "ſ": "s", "ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st" };
const CASEFOLD_RE = /[ßẞςſﬀ-ﬆ]/g;

// Each Chinese/Japanese character and Hangul syllable is a word of its own (names have no spaces).
const CJK_RE = /([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af])/g;

export function fold(text) {
  if (!text) return "";
  let s = String(text).replace(SPECIAL_RE, (c) => SPECIAL[c]);
  s = s.normalize("NFD").replace(/\p{Mn}/gu, "").normalize("NFC").toLowerCase();
  s = s.replace(CASEFOLD_RE, (c) => CASEFOLD[c] || c);
  s = s.replace(CJK_RE, " $1 ");
  return s.replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

/* Rank items for a query: every folded query word must start a word of the item's name or search text.
   Name matches count more than other words, a name that starts with the query most, then the query's words in
   a row in the search text (the Vietnamese name typed in another language's app); popularity breaks ties. */
export function search(items, query, limit = 50) {
  const words = fold(query).split(" ").filter(Boolean);
  if (!words.length) return [];
  const phrase = words.join(" ");
  const scored = [];
  for (const item of items) {
    const name = item._name || (item._name = fold(item.name));
    const nameWords = name.split(" ");
    const textWords = item._words || (item._words = (item.text || "").split(" "));
    let score = 0;
    let all = true;
    for (const word of words) {
      if (nameWords.some((w) => w.startsWith(word))) score += 3;
      else if (textWords.some((w) => w.startsWith(word))) score += 1;
      else { all = false; break; }
    }
    if (!all) continue;
    if (name.startsWith(phrase)) score += 4;
    else if (name.includes(phrase)) score += 2;
    // The words in a row in the search text (the Vietnamese name, typed without accents in any language's app)
    if (words.length > 1 && (" " + (item.text || "")).includes(" " + phrase)) score += 3;
    scored.push([score + (item.popularity || 0) / 1000, item]);
  }
  scored.sort((a, b) => b[0] - a[0]);
  return scored.slice(0, limit).map((pair) => pair[1]);
}
