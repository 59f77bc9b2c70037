"""Vietnamese-aware text folding for search and matching (pure Python, no Django).

`fold("Thành nhà Hồ")` gives `"thanh nha ho"`: lower case, diacritics removed, `đ` mapped to `d`, runs of
punctuation and white space collapsed to one space. The same rules are used by the server's search and by
the mobile app's offline search, so they must stay simple and stable.
"""

from __future__ import annotations

import re
import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ƀ": "b", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"})
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Chinese, Japanese and Korean write names without spaces between words: each ideograph, kana and Hangul
# syllable is a word of its own, so "朝城" finds 胡朝城 and "호아" finds 타인호아 (every typed character must
# start a word, as every typed word must elsewhere).
_CJK = re.compile("([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af])")


def fold(text: str | None) -> str:
    """Lower-case, strip accents (Vietnamese and Latin), map đ→d, make each CJK character a word and normalise
    separators to one space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = _CJK.sub(r" \1 ", unicodedata.normalize("NFC", text).casefold())
    return _NON_WORD.sub(" ", text).strip()


def slugify_vi(text: str) -> str:
    """ASCII slug of a Vietnamese text: `Đền Bà Triệu` → `den-ba-trieu`."""
    return fold(text).replace(" ", "-")
