"""The glossary check alone (pure): terms found with accents and word boundaries, the longest first, and a
translation that drops or changes a term's approved rendering flagged."""

from xuthanh.translations.glossary import Glossary, Term, highlight

TERMS = [
    Term("di tích quốc gia đặc biệt", {"en": "special national relic", "zh-hans": "特别国家级遗迹"}),
    Term("di tích quốc gia", {"en": "national relic"}),
    Term("Thành nhà Hồ", {"en": "Citadel of the Hồ Dynasty | Hồ Citadel", "zh-hans": "胡朝城"}),
    Term("đền", {"en": "temple"}),
    Term("xã", {"en": "commune"}),
]


def test_longest_term_wins_and_accents_count():
    glossary = Glossary(TERMS)
    hits = glossary.find("Lam Kinh là di tích quốc gia đặc biệt; đen không phải đền.")
    assert [h.term.vi for h in hits] == ["di tích quốc gia đặc biệt", "đền"]  # "đen" (black) is not "đền"


def test_word_boundaries():
    assert Glossary(TERMS).find("xã hội") != []  # a word
    assert Glossary(TERMS).find("xãhội") == []  # not inside another word


def test_a_kept_term_is_not_flagged_and_alternatives_count():
    glossary = Glossary(TERMS)
    assert glossary.check("Thành nhà Hồ", "The Hồ Citadel", "en") == []
    assert glossary.check("Thành nhà Hồ", "胡朝城的城墙", "zh-hans") == []


def test_dropped_and_changed_terms_are_flagged():
    glossary = Glossary(TERMS)
    dropped = glossary.check("Thành nhà Hồ là di tích quốc gia đặc biệt.", "The Ho fortress is a relic.", "en")
    assert [(f.term.vi, f.problem, f.expected) for f in dropped] == [
        ("Thành nhà Hồ", "dropped", "Citadel of the Hồ Dynasty"),
        ("di tích quốc gia đặc biệt", "dropped", "special national relic"),
    ]
    changed = glossary.check("Thành nhà Hồ", "Citadel of the Ho Dynasty", "en")
    assert [(f.problem) for f in changed] == ["changed"]  # the accent was lost


def test_terms_without_a_rendering_and_empty_translations_are_not_flagged():
    glossary = Glossary(TERMS)
    assert glossary.check("đền", "神社", "ja") == []
    assert glossary.check("đền", "", "en") == []


def test_highlight_cuts_the_source_at_terms():
    glossary = Glossary(TERMS)
    text = "Đền ở xã Hà Trung"
    pieces = highlight(text, glossary.find(text))
    assert "".join(p for p, _hit in pieces) == text
    assert [p for p, hit in pieces if hit] == ["Đền", "xã"]


def test_a_word_inside_a_phrase_that_means_something_else_is_not_the_term():
    glossary = Glossary([Term("động", {"en": "cave"}, not_in=("hoạt động", "động vật"))])
    assert glossary.find("Hoạt động du lịch và động vật hoang dã") == []
    assert [h.term.vi for h in glossary.find("Động Từ Thức và hoạt động")] == ["động"]
