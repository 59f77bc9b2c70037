from xuthanh.core.text import fold, slugify_vi


def test_it_removes_vietnamese_accents_and_lowercases():
    assert fold("Thành nhà Hồ") == "thanh nha ho"


def test_it_maps_d_with_stroke_to_d():
    assert fold("Đền Độc Cước") == "den doc cuoc"
    assert fold("đ") == fold("d")


def test_it_collapses_punctuation_and_spaces():
    assert fold("  Đền Nưa – Am Tiên!  ") == "den nua am tien"


def test_it_keeps_chinese_characters_each_a_word():
    assert fold("胡朝城") == "胡 朝 城"  # names without spaces: any part of them finds them


def test_it_handles_empty_and_none():
    assert fold("") == ""
    assert fold(None) == ""


def test_slug_is_ascii():
    assert slugify_vi("Suối cá thần Cẩm Lương") == "suoi-ca-than-cam-luong"
