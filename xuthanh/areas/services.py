"""Loading the commune-level units of Thanh Hóa from maintained packages.

Units and their official codes come from `vietnam-provinces`; the former district(s) and former communes of
each new unit come from the old-to-new mapping of `vietnam-address-converter`, joined by name within the
province (the two packages number units differently, and names are unique inside one province).
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from xuthanh.areas.models import THANH_HOA_CODE, Commune, Province
from xuthanh.core.text import fold

_KIND = {"xã": Commune.Kind.COMMUNE, "phường": Commune.Kind.WARD, "đặc khu": Commune.Kind.SPECIAL}


def _district_label(name: str) -> str:
    """'Huyện Vĩnh Lộc' → 'Vĩnh Lộc'; 'Thành Phố Thanh Hóa' → 'TP Thanh Hóa'; 'Thị Xã Bỉm Sơn' → 'TX Bỉm Sơn'."""
    lowered = name.lower()
    for prefix, label in (("thành phố ", "TP "), ("thị xã ", "TX "), ("huyện ", "")):
        if lowered.startswith(prefix):
            return label + name[len(prefix) :]
    return name


def former_units(province_name: str) -> dict[str, tuple[list[str], list[str]]]:
    """{folded new unit name: (former district labels, former commune names)} for one province."""
    from vietnam_address_converter import data as converter_data

    districts: dict[str, set[str]] = defaultdict(set)
    communes: dict[str, set[str]] = defaultdict(set)
    for row in converter_data.mapping["rows"]:
        if fold(row["new"]["province_name"]).endswith(fold(province_name)):
            key = fold(row["new"]["ward_name"])
            districts[key].add(_district_label(row["old"]["district_name"]))
            communes[key].add(row["old"]["ward_name"])
    return {key: (sorted(districts[key]), sorted(communes[key])) for key in districts}


@transaction.atomic
def communes_load(province_code: int = THANH_HOA_CODE) -> tuple[int, int]:
    """Create or update the province and all its units; returns (created, updated)."""
    from vietnam_provinces import Province as VNProvince
    from vietnam_provinces import ProvinceCode, Ward

    source = VNProvince.from_code(ProvinceCode(province_code))
    province, _ = Province.objects.update_or_create(code=province_code, defaults={"name": source.name})
    former = former_units(source.name)
    created = updated = 0
    missing = []
    for ward in Ward.iter_by_province(source.code):
        districts, old_communes = former.get(fold(ward.name), ([], []))
        if not districts:
            missing.append(ward.name)
        _, was_created = Commune.objects.update_or_create(
            code=int(ward.code),
            defaults={
                "province": province,
                "name": ward.name,
                "kind": _KIND.get(ward.division_type.value, Commune.Kind.COMMUNE),
                "codename": ward.codename,
                "former_districts": "; ".join(districts),
                "former_communes": "; ".join(old_communes),
            },
        )
        created += was_created
        updated += not was_created
    if missing:
        raise ValueError(f"no former-district mapping for: {', '.join(missing)}")
    return created, updated
