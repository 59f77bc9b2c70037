"""Bulk import: every row validated first, all stored or none, each problem with its line and column."""

import io

import pytest
from openpyxl import Workbook

from xuthanh.catalog import importing
from xuthanh.catalog.fieldmaps import FIELDMAPS
from xuthanh.catalog.models import Place
from xuthanh.core.models import AuditEntry

pytestmark = pytest.mark.django_db

HEADER = "slug,kind,category,name_vi,name_en,commune_code,lat,lon,opening_hours,tickets,tags"
GOOD = [
    "cho-test-mot,shopping,market,Chợ thử một,Test market one,14797,19.8075,105.7770,Mo-Su 05:00-18:00,,shopping",
    "den-thu-hai,attraction,temple,Đền thử hai,Test temple two,14797,19.8070,105.7800,Tu-Su 07:00-17:00,"
    "adult: Người lớn / Adult = 20000,spirituality",
]


def run(csv_text: str, actor=None):
    header, rows = importing.read_table("places.csv", csv_text.encode("utf-8"))
    return importing.import_rows(FIELDMAPS["place"](), header, rows, actor=actor)


def test_a_clean_file_is_stored_with_hours_tickets_tags_and_audit():
    result = run("\n".join([HEADER, *GOOD]))
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated) == (2, 0)
    temple = Place.objects.get(slug="den-thu-hai")
    assert temple.hours_text == "Tu-Su 07:00-17:00"
    assert [t.price_vnd for t in temple.tickets.all()] == [20000]
    assert [t.slug for t in temple.tags.all()] == ["spirituality"]
    assert "den thu hai" in temple.search_text
    assert AuditEntry.objects.filter(object_id=str(temple.pk), action="create").exists()


def test_one_bad_row_stores_nothing_and_names_line_column_and_reason():
    bad = "ho-sai,attraction,lake,Hồ sai,Wrong lake,14797,21.03,105.85,Mo-Su 25:00-26:00,,nature"
    result = run("\n".join([HEADER, *GOOD, bad]))
    assert not result.ok
    assert not Place.objects.filter(slug__in=["cho-test-mot", "den-thu-hai"]).exists()
    messages = [str(e) for e in result.errors]
    assert any("line 4" in m and "category" in m and "lake" in m for m in messages)
    assert any("line 4" in m and "opening_hours" in m for m in messages)


def test_points_outside_the_province_are_refused_with_a_clear_message():
    swapped = "dao-nguoc,attraction,temple,Đảo ngược,Swapped,14797,105.78,19.80,,,"
    outside = "ha-noi,attraction,temple,Hà Nội,Hanoi,14797,21.03,105.85,,,"
    result = run("\n".join([HEADER, swapped, outside]))
    messages = " ".join(str(e) for e in result.errors)
    assert "line 2" in messages and "line 3" in messages
    assert "outside Thanh Hóa" in messages


def test_unknown_commune_code_unknown_column_and_duplicates_are_reported():
    result = run("\n".join([HEADER + ",colour", GOOD[0] + ",red"]))
    assert any(e.column == "colour" for e in result.errors)
    row = GOOD[0].replace("14797", "99999")
    result = run("\n".join([HEADER, row, row]))
    messages = [str(e) for e in result.errors]
    assert any("99999" in m and "commune_code" in m for m in messages)
    assert any("also on line 2" in m for m in messages)


def test_existing_records_are_updated_and_the_change_audited():
    run("\n".join([HEADER, *GOOD]))
    result = run("slug,name_en,popularity\nden-thu-hai,Temple Two (renamed),77")
    assert result.ok and result.updated == 1
    temple = Place.objects.get(slug="den-thu-hai")
    temple.set_current_language("en")
    assert temple.name == "Temple Two (renamed)"
    assert temple.popularity == 77
    entry = AuditEntry.objects.filter(object_id=str(temple.pk), action="import").latest("created_at")
    assert entry.changes["name[en]"] == ["Test temple two", "Temple Two (renamed)"]


def test_xlsx_export_and_reimport_round_trip():
    fieldmap = FIELDMAPS["place"]()
    places = Place.objects.filter(slug__in=["thanh-nha-ho", "lam-kinh"]).prefetch_related(*fieldmap.prefetch)
    data = importing.export_xlsx(fieldmap, places)
    header, rows = importing.read_table("export.xlsx", data)
    assert len(rows) == 2
    result = importing.import_rows(fieldmap, header, rows, actor=None)
    assert result.ok, [str(e) for e in result.errors]
    assert result.updated == 2
    citadel = Place.objects.get(slug="thanh-nha-ho")
    assert citadel.hours_text == next(r for _l, r in rows if r["slug"] == "thanh-nha-ho")["opening_hours"]


def test_an_xlsx_with_numbers_in_cells_is_read():
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.split(","))
    ws.append(GOOD[0].split(",")[:5] + [14797, 19.8075, 105.777, "Mo-Su 05:00-18:00", "", "shopping"])
    out = io.BytesIO()
    wb.save(out)
    header, rows = importing.read_table("x.xlsx", out.getvalue())
    result = importing.import_rows(FIELDMAPS["place"](), header, rows, actor=None)
    assert result.ok, [str(e) for e in result.errors]


def test_garbage_files_get_a_message_not_a_crash():
    with pytest.raises(importing.CellError, match="XLSX"):
        importing.read_table("x.xlsx", b"not a zip")
    with pytest.raises(importing.CellError, match="UTF-8"):
        importing.read_table("x.csv", "slug\nchợ".encode("cp1258", errors="replace") + b"\xff\xfe")
    with pytest.raises(importing.CellError, match=".csv or .xlsx"):
        importing.read_table("x.pdf", b"%PDF")


def test_an_editor_cannot_import_into_another_communes_area(people):
    result = run("\n".join([HEADER, *GOOD]), actor=people["sam_son_editor"])
    assert not result.ok
    assert all("outside the area" in e.message for e in result.errors)
    assert not Place.objects.filter(slug="cho-test-mot").exists()


def test_an_editor_imports_into_its_own_commune(people, commune_sam_son):
    row = f"cho-sam-son-thu,shopping,market,Chợ thử,Test market,{commune_sam_son.code},19.7425,105.9042,,,"
    result = run("\n".join([HEADER, row]), actor=people["sam_son_editor"])
    assert result.ok, [str(e) for e in result.errors]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_cannot_carry_a_formula_and_reimport_exactly(fmt):
    """A name a spreadsheet would run (=, +, -, @ first) is exported with a leading apostrophe, as OWASP
    advises, in CSV and XLSX; importing the file back stores the names exactly as they were."""
    import csv

    from openpyxl import load_workbook

    names = ['=HYPERLINK("http://evil.example","x")', "+1", "-2", "@SUM(A1)", "'=quoted", "Đền Sòng"]
    places = list(Place.objects.order_by("pk")[: len(names)])
    for place, name in zip(places, names, strict=True):
        place.set_current_language("vi")
        place.name = name
        place.save()
    fieldmap = FIELDMAPS["place"]()
    data = (importing.export_csv if fmt == "csv" else importing.export_xlsx)(fieldmap, places)
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)  # no formula at all
        table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    written = [row[table[0].index("name_vi")] for row in table[1:]]
    assert written == ["'" + name for name in names[:5]] + ["Đền Sòng"]
    header, rows = importing.read_table(f"places.{fmt}", data)
    assert [row["name_vi"] for _line, row in rows] == names
    assert importing.import_rows(fieldmap, header, rows, actor=None).ok
    for place, name in zip(places, names, strict=True):
        place.refresh_from_db()
        place.set_current_language("vi")
        assert place.name == name


def test_an_empty_status_cell_keeps_a_published_record_published():
    """A default fills a new record's empty cell; on an existing record an empty cell keeps what is stored
    (an update file without a status would otherwise quietly unpublish every record it touches)."""
    assert run("\n".join([HEADER + ",status", GOOD[0] + ",published"])).ok
    assert Place.objects.get(slug="cho-test-mot").status == "published"
    result = run("\n".join([HEADER + ",status", GOOD[0].replace("Test market one", "Market one") + ",",
                            GOOD[1] + ","]))
    assert result.ok, [str(e) for e in result.errors]
    assert Place.objects.get(slug="cho-test-mot").status == "published"
    assert Place.objects.get(slug="den-thu-hai").status == "draft"  # new: the default
