"""Regenerate thanh_hoa_communes.geojson: the seat point and area of Thanh Hóa's 166 commune-level units.

Source: the `vietnamadminunits` package (PyPI, MIT licence), table `admin_units` of its bundled
`data/dataset.db`, columns `wardLat`, `wardLon`, `wardAreaKm2`. Those values are the ones published by
sapnhap.bando.com.vn (the 2025 merger look-up of the state cartographic publisher) as `vido`, `kinhdo`,
`dientichkm2`: the point is the unit's administrative seat ("trung tâm hành chính", the commune
People's Committee), not the centroid of its shape; the area is the official area in km².

Units are joined to the project's official codes (`vietnam-provinces`, the package `xuthanh.areas` loads)
by name, which is unique inside one province; the package's own code is kept as `source_code` (the two
packages disagree on six codes, see README.md).

Run from the repository root, with `vietnamadminunits` installed:
    .venv/bin/python xuthanh/areas/data/extract_communes.py            # writes the file
    .venv/bin/python xuthanh/areas/data/extract_communes.py --check    # exit 1 if the file is stale

The output is GeoJSON Point features (one per line, sorted by code) so that package-data ships it.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

PROVINCE_CODE = 38
OUTPUT = Path(__file__).with_name("thanh_hoa_communes.geojson")


def source_rows(province_code: int = PROVINCE_CODE) -> list[tuple[str, str, float, float, float]]:
    """(name, source code, seat lat, seat lon, area km²) for one province, from the installed package."""
    # Located through the distribution's files, not imported: the package's __init__ pulls in shapely/geopy.
    path = Path(str(metadata.distribution("vietnamadminunits").locate_file("vietnamadminunits/data/dataset.db")))
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute(
            "SELECT ward, wardCode, wardLat, wardLon, wardAreaKm2 FROM admin_units"
            " WHERE CAST(provinceCode AS INTEGER) = ? ORDER BY ward",
            (province_code,),
        ).fetchall()
    finally:
        connection.close()


def official_codes(province_code: int = PROVINCE_CODE) -> dict[str, int]:
    """{unit name: official code} as the project loads them (vietnam-provinces)."""
    from vietnam_provinces import ProvinceCode, Ward

    return {ward.name: int(ward.code) for ward in Ward.iter_by_province(ProvinceCode(province_code))}


def build_geojson(province_code: int = PROVINCE_CODE) -> str:
    codes = official_codes(province_code)
    rows = source_rows(province_code)
    names = {row[0] for row in rows}
    if names != set(codes):
        raise SystemExit(
            f"units differ: only in vietnamadminunits {sorted(names - set(codes))}, "
            f"only in vietnam-provinces {sorted(set(codes) - names)}"
        )
    version = metadata.version("vietnamadminunits")
    head = {
        "type": "FeatureCollection",
        "metadata": {
            "source": f"vietnamadminunits {version} (PyPI), data/dataset.db table admin_units "
            "(wardLat, wardLon, wardAreaKm2 = vido, kinhdo, dientichkm2 of sapnhap.bando.com.vn)",
            "licence": "MIT, (c) 2025 Tran Ngoc Minh Hieu",
            "point": "administrative seat of the unit (not its centroid); area_km2 is the official area",
            "code": "official code as in vietnam-provinces (joined by name); source_code is the package's own",
            "generated_by": "xuthanh/areas/data/extract_communes.py",
        },
    }
    features = []
    for name, source_code, lat, lon, area in sorted(rows, key=lambda row: codes[row[0]]):
        if not (lat and lon and area):
            raise SystemExit(f"{name}: missing seat or area in the source")
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
            "properties": {
                "code": codes[name],
                "name": name,
                "area_km2": round(area, 2),
                "source_code": int(source_code),
            },
        }
        features.append(json.dumps(feature, ensure_ascii=False))
    opening = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    return opening + ',\n "features": [\n' + ",\n".join(features) + "\n ]\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    args = parser.parse_args(argv)
    text = build_geojson()
    if args.check:
        same = OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == text
        print(f"{OUTPUT.name}: {'up to date' if same else 'STALE'}")
        return 0 if same else 1
    OUTPUT.write_text(text, encoding="utf-8")
    count = len(json.loads(text)["features"])
    print(f"wrote {OUTPUT} ({count} units) from vietnamadminunits {metadata.version('vietnamadminunits')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
