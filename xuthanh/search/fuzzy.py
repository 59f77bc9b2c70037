"""Pure helpers for tolerant matching (no Django): bounded edit distance, typo candidates from a
vocabulary, and splitting words typed without spaces ("thanhnhaho" → "thanh nha ho")."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from functools import cache


class Vocabulary:
    """The indexed words, with fast prefix tests and candidates grouped by first letter."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = frozenset(t for t in terms if t)
        self.sorted = sorted(self.terms)
        self.by_initial: dict[str, list[str]] = {}
        for term in self.sorted:
            self.by_initial.setdefault(term[0], []).append(term)

    def __contains__(self, word: str) -> bool:
        return word in self.terms

    def has_prefix(self, word: str) -> bool:
        index = bisect.bisect_left(self.sorted, word)
        return index < len(self.sorted) and self.sorted[index].startswith(word)

    def near(self, word: str) -> list[str]:
        return self.by_initial.get(word[:1], [])


def within_distance(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance (with adjacent transpositions) of a and b is at most `limit`."""
    if abs(len(a) - len(b)) > limit:
        return False
    if a == b:
        return True
    previous2: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return False
        previous2, previous = previous, current
    return previous[-1] <= limit


def allowed_typos(word: str) -> int:
    """Two-letter words must be exact; 3–7 letters allow one typo, longer words two."""
    if len(word) < 3:
        return 0
    return 1 if len(word) < 8 else 2


def corrections(word: str, vocabulary: Iterable[str], *, limit: int = 5) -> list[str]:
    """Vocabulary terms within the allowed distance of `word`, closest-length first."""
    typos = allowed_typos(word)
    if typos == 0:
        return []
    found = [
        term
        for term in vocabulary
        if term[:1] == word[:1]
        and (len(word) > 3 or len(term) == 3)  # a 3-letter word: only swapped or replaced letters
        and within_distance(word, term, typos)
    ]
    found.sort(key=lambda term: (abs(len(term) - len(word)), term))
    return found[:limit]


def segment(word: str, vocabulary: frozenset[str] | set[str], *, max_parts: int = 6) -> list[str] | None:
    """Split a run of letters into vocabulary words, preferring fewer, longer parts; None if impossible."""

    @cache
    def best(start: int) -> tuple[str, ...] | None:
        if start == len(word):
            return ()
        options = []
        for end in range(len(word), start, -1):
            piece = word[start:end]
            if piece in vocabulary and (len(piece) > 1 or piece.isdigit()):
                rest = best(end)
                if rest is not None and len(rest) < max_parts:
                    options.append((piece, *rest))
        return min(options, key=len) if options else None

    parts = best(0)
    return list(parts) if parts and len(parts) > 1 else None


def expand(words: Sequence[str], vocabulary: Vocabulary) -> list[list[str]]:
    """For each typed word, the alternatives to search for (itself first); unknown runs may be split."""
    groups: list[list[str]] = []
    for word in words:
        if vocabulary.has_prefix(word):
            groups.append([word])
            continue
        parts = segment(word, vocabulary.terms) if len(word) >= 5 else None
        if parts:
            groups.extend([part] for part in parts)
            continue
        groups.append([word, *corrections(word, vocabulary.near(word))])
    return groups
