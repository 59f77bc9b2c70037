import pytest

from xuthanh.areas.models import Commune, Province

pytestmark = pytest.mark.django_db


def test_thanh_hoa_has_166_commune_level_units_keyed_by_official_code():
    assert Province.objects.get(code=38).name == "Thanh Hóa"
    assert Commune.objects.count() == 166
    assert Commune.objects.filter(kind=Commune.Kind.WARD).count() == 19
    assert Commune.objects.get(code=14797).name == "Phường Hạc Thành"


def test_every_unit_keeps_its_former_district():
    assert not Commune.objects.filter(former_districts="").exists()
    assert "TP Thanh Hóa" in Commune.objects.get(name="Phường Hạc Thành").former_districts


def test_units_can_be_found_by_former_district_without_accents():
    vinh_loc = Commune.objects.filter(search_text__contains="vinh loc")
    assert vinh_loc.exists()
    assert all("Vĩnh Lộc" in c.former_districts or "vinh loc" in c.search_text for c in vinh_loc)


def test_a_unit_spanning_two_former_districts_lists_both():
    bim_son = Commune.objects.get(name="Phường Bỉm Sơn")
    assert "TX Bỉm Sơn" in bim_son.former_districts
    assert "Hà Trung" in bim_son.former_districts
