"""The jury's arithmetic without Django: even spread, conflicts, quorum, scores and who goes on."""

from __future__ import annotations

from collections import Counter

import pytest

from xuthanh.contests import judging


def test_each_entry_gets_quorum_jurors_spread_evenly() -> None:
    pairs = judging.assign(range(1, 31), [10, 11, 12, 13], [], quorum=2)
    per_entry = Counter(e for e, _j in pairs)
    assert set(per_entry.values()) == {2} and len(per_entry) == 30
    load = Counter(j for _e, j in pairs)
    assert max(load.values()) - min(load.values()) <= 1
    assert len(set(pairs)) == len(pairs)  # never the same juror twice for one entry


def test_a_conflicted_juror_never_gets_the_entry() -> None:
    pairs = judging.assign([1, 2, 3], [10, 11, 12], [(10, 1), (11, 2)], quorum=2)
    assert (1, 10) not in pairs and (2, 11) not in pairs
    assert Counter(e for e, _j in pairs) == {1: 2, 2: 2, 3: 2}


def test_too_few_free_jurors_is_refused_with_the_entry_named() -> None:
    with pytest.raises(judging.JudgingError, match="entry #1 has 1 jurors"):
        judging.assign([1, 2], [10, 11], [(10, 1)], quorum=2)
    with pytest.raises(judging.JudgingError, match="at least 3 jurors"):
        judging.assign([1], [10, 11], [], quorum=3)


def test_assignment_is_reproducible() -> None:
    args = (range(50), [5, 3, 9, 1], [(3, 7), (9, 7)], 2)
    assert judging.assign(*args) == judging.assign(*args)


def test_scores_and_advancing() -> None:
    yes = judging.tally("yesno", {1: [1, 1], 2: [1, 0], 3: [0, 0]})
    assert [(s.entry, s.score) for s in yes] == [(1, 1.0), (2, 0.5), (3, 0.0)]
    assert judging.advancing("yesno", yes) == {1, 2}
    rating = judging.tally("rating", {1: [5, 4], 2: [3, 3], 3: [4, 5], 4: [2, 1]})
    assert [s.entry for s in rating] == [1, 3, 2, 4]  # tie at 4.5 broken by number
    assert judging.advancing("rating", rating, keep=1) == {1, 3}  # ties at the cut all go on
    assert judging.advancing("rating", rating, threshold=3.0) == {1, 2, 3}
    ranking = judging.tally("ranking", {7: [1, 2], 8: [2, 1], 9: [3, 3]})
    assert ranking[-1].entry == 9 and ranking[-1].score == 0.0 and ranking[0].score == 0.75


def test_quorum_and_values() -> None:
    assert judging.short_of_quorum({1: [1, 0], 2: [1], 3: []}, 2) == [2, 3]
    assert judging.valid_value("yesno", 1) and not judging.valid_value("yesno", 2)
    assert judging.valid_value("rating", 5) and not judging.valid_value("rating", 0)
    assert judging.valid_value("ranking", 3, size=3) and not judging.valid_value("ranking", 4, size=3)
