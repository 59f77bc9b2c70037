from xuthanh.search.fuzzy import Vocabulary, corrections, expand, segment, within_distance

VOCAB = Vocabulary(
    ["thanh", "nha", "ho", "sam", "son", "lam", "kinh", "pu", "luong", "cam", "den", "ba", "trieu"]
)


def test_edit_distance_with_transpositions():
    assert within_distance("luong", "luong", 0)
    assert within_distance("loung", "luong", 1)  # swapped letters
    assert within_distance("kinhh", "kinh", 1)
    assert not within_distance("kinh", "linh", 0)
    assert not within_distance("thanh", "thuong", 1)


def test_typo_candidates_respect_length_rules():
    assert corrections("trieuu", VOCAB.near("trieuu")) == ["trieu"]
    assert corrections("nah", VOCAB.near("nah")) == ["nha"]
    assert corrections("ho", VOCAB.near("ho")) == []  # two letters: exact only


def test_words_typed_without_spaces_are_split():
    assert segment("thanhnhaho", VOCAB.terms) == ["thanh", "nha", "ho"]
    assert segment("samson", VOCAB.terms) == ["sam", "son"]
    assert segment("xyz", VOCAB.terms) is None


def test_expand_keeps_known_words_and_prefixes():
    assert expand(["thanh", "nh"], VOCAB) == [["thanh"], ["nh"]]
    assert expand(["pulong"], VOCAB)[0][0] == "pulong"
    assert expand(["thanhnhaho"], VOCAB) == [["thanh"], ["nha"], ["ho"]]
