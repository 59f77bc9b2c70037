"""Glossary checks, pure (no Django): which approved terms a Vietnamese text contains, and whether a
translation keeps each one's approved rendering.

Matching in the source is case-insensitive but keeps Vietnamese accents (they change the word: "đền" is a
temple, "đen" is black) and respects word boundaries; longer terms win over the shorter ones inside them
("di tích quốc gia đặc biệt" over "di tích quốc gia"), and a word inside one of its term's `not_in` phrases
is not the term ("động" in "hoạt động"). A rendering may list accepted alternatives separated
by " | ". In the translation, a rendering found only without its accents ("Ho Dynasty" for "Hồ Dynasty") is
flagged as changed, one not found at all as dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from xuthanh.core.text import fold


@dataclass(frozen=True)
class Term:
    vi: str
    renderings: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    kind: str = "general"
    note: str = ""
    not_in: tuple[str, ...] = ()  # phrases in which the word is not this term ("hoạt động" for "động")

    def accepted(self, lang: str) -> list[str]:
        value = self.renderings.get(lang, "")
        return [part.strip() for part in value.split(" | ") if part.strip()]


@dataclass(frozen=True)
class Hit:
    term: Term
    start: int
    end: int


@dataclass(frozen=True)
class Flag:
    term: Term
    expected: str
    problem: str  # "dropped" | "changed"


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def _pattern(words: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(_norm(words)) + r"(?!\w)", re.IGNORECASE)


class Glossary:
    """Terms compiled once for many checks."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms = sorted(terms, key=lambda t: -len(t.vi))
        self._patterns = [(term, _pattern(term.vi)) for term in self.terms if term.vi.strip()]
        self._not_in = {term.vi: [_pattern(p) for p in term.not_in if p.strip()] for term in self.terms}

    def find(self, source: str) -> list[Hit]:
        """The terms in `source`, in order of position, without overlaps (the longest term wins)."""
        source = _norm(source)
        taken: list[tuple[int, int]] = []
        hits = []
        for term, pattern in self._patterns:
            excluded = [m.span() for p in self._not_in[term.vi] for m in p.finditer(source)]
            for match in pattern.finditer(source):
                start, end = match.span()
                if any(start < e and s < end for s, e in taken):
                    continue
                if any(s <= start and end <= e for s, e in excluded):
                    continue
                taken.append((start, end))
                hits.append(Hit(term, start, end))
        return sorted(hits, key=lambda h: h.start)

    def check(self, source: str, target: str, lang: str) -> list[Flag]:
        """Each term of `source` whose approved rendering in `lang` the translation does not keep."""
        if not target.strip():
            return []
        target_n = _norm(target).casefold()
        target_f = fold(target)
        flags = []
        seen = set()
        for hit in self.find(source):
            accepted = hit.term.accepted(lang)
            if not accepted or hit.term.vi in seen:
                continue
            seen.add(hit.term.vi)
            if any(_norm(a).casefold() in target_n for a in accepted):
                continue
            problem = "changed" if any(fold(a) and fold(a) in target_f for a in accepted) else "dropped"
            flags.append(Flag(hit.term, accepted[0], problem))
        return flags


def highlight(source: str, hits: list[Hit]) -> list[tuple[str, Hit | None]]:
    """`source` cut into pieces, each with the term it is (or None): for the editor to mark terms up."""
    source = _norm(source)
    pieces: list[tuple[str, Hit | None]] = []
    at = 0
    for hit in hits:
        if hit.start > at:
            pieces.append((source[at : hit.start], None))
        pieces.append((source[hit.start : hit.end], hit))
        at = hit.end
    if at < len(source):
        pieces.append((source[at:], None))
    return pieces
