"""The back office through real HTTP requests: pages, scoping, workflow, audit, import, photos, login limits."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuthanh.catalog.models import Photo, Place
from xuthanh.catalog.tasks import photo_small_rendition
from xuthanh.core.models import AuditEntry
from xuthanh.core.tests.test_images import jpeg_with_exif

pytestmark = pytest.mark.django_db
BAD_CSV = b"slug,kind,category,name_vi,commune_code,lat,lon\nabc,attraction,temple,ABC,14797,21.0,105.8\n"


@pytest.fixture
def sam_son_place(commune_sam_son):
    return Place.objects.filter(commune=commune_sam_son).first()


@pytest.fixture
def other_place(commune_sam_son):
    return Place.objects.exclude(commune=commune_sam_son).filter(operator__isnull=True).first()


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:index",
        "admin:catalog_place_changelist",
        "admin:catalog_event_changelist",
        "admin:catalog_specialty_changelist",
        "admin:catalog_tour_changelist",
        "admin:catalog_place_import",
        "admin:catalog_place_coverage",
        "admin:core_auditentry_changelist",
        "admin:areas_commune_changelist",
        "admin:orgs_organisation_changelist",
        "admin:catalog_place_add",
    ],
)
def test_admin_pages_load_for_the_administrator(client, people, url_name):
    response = login(client, people["admin"]).get(reverse(url_name))
    assert response.status_code == 200


def test_change_form_and_history_load(client, people):
    citadel = Place.objects.get(slug="thanh-nha-ho")
    client = login(client, people["admin"])
    for lang in ("vi", "en", "zh-hans", "fr"):
        assert (
            client.get(
                reverse("admin:catalog_place_change", args=[citadel.pk]) + f"?language={lang}"
            ).status_code
            == 200
        )
    assert client.get(reverse("admin:catalog_place_history", args=[citadel.pk])).status_code == 200


def test_unaccented_search_finds_the_citadel(client, people):
    response = login(client, people["admin"]).get(
        reverse("admin:catalog_place_changelist"), {"q": "thanh nha ho"}
    )
    assert "Thành nhà Hồ" in response.content.decode()


def test_a_commune_editor_does_not_see_or_open_other_places(client, people, sam_son_place, other_place):
    client = login(client, people["sam_son_editor"])
    listing = client.get(reverse("admin:catalog_place_changelist"), {"all": ""})
    assert listing.status_code == 200
    assert reverse("admin:catalog_place_change", args=[sam_son_place.pk]) in listing.content.decode()
    assert reverse("admin:catalog_place_change", args=[other_place.pk]) not in listing.content.decode()
    response = client.get(reverse("admin:catalog_place_change", args=[other_place.pk]))
    assert response.status_code == 302  # "does not exist" redirect, nothing shown


def _change_data(client, place, **overrides):
    """The change form's current values as POST data (management forms included)."""
    response = client.get(reverse("admin:catalog_place_change", args=[place.pk]))
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{management.prefix}-{name}"] = str(management[name].value())
        for sub in formset.formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value not in (None, False):
                    data[f"{sub.prefix}-{name}"] = "on" if value is True else str(value)
    data.update(overrides)
    return data


def test_a_commune_editor_cannot_move_a_place_out_of_its_commune(
    client, people, sam_son_place, commune_other
):
    client = login(client, people["sam_son_editor"])
    data = _change_data(client, sam_son_place, commune=str(commune_other.pk))
    response = client.post(reverse("admin:catalog_place_change", args=[sam_son_place.pk]), data)
    assert response.status_code == 200  # form shown again with an error
    sam_son_place.refresh_from_db()
    assert sam_son_place.commune.name == "Phường Sầm Sơn"


def test_an_edit_through_the_admin_is_audited_with_the_changed_fields(client, people, sam_son_place):
    client = login(client, people["sam_son_editor"])
    data = _change_data(client, sam_son_place, visit_minutes="95", status="review")
    response = client.post(reverse("admin:catalog_place_change", args=[sam_son_place.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    entry = AuditEntry.objects.filter(object_id=str(sam_son_place.pk)).latest("created_at")
    assert entry.actor.username == "sam_son_editor"
    assert entry.changes["visit_minutes"][1] == 95
    assert entry.changes["status"] == ["published", "review"]


def test_a_commune_editor_cannot_publish_but_the_department_can(client, people, sam_son_place):
    sam_son_place.status = "review"
    sam_son_place.save()
    action = {"action": "publish", "_selected_action": [sam_son_place.pk]}
    url = reverse("admin:catalog_place_changelist")
    login(client, people["sam_son_editor"]).post(url, action)
    sam_son_place.refresh_from_db()
    assert sam_son_place.status == "review"
    login(client, people["dept_editor"]).post(url, action)
    sam_son_place.refresh_from_db()
    assert sam_son_place.status == "published"


def test_statisticians_and_outsiders_cannot_change(client, people, other_place):
    url = reverse("admin:catalog_place_change", args=[other_place.pk])
    response = login(client, people["statistician"]).post(url, {"visit_minutes": "1"})
    assert response.status_code == 403
    response = login(client, people["outsider"]).get(url)
    assert response.status_code == 302  # not staff: sent to the login page


def test_import_page_reports_errors_and_stores_nothing(client, people):
    client = login(client, people["admin"])
    upload = {"file": SimpleUploadedFile("p.csv", BAD_CSV)}
    response = client.post(reverse("admin:catalog_place_import"), upload, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "line 2" in response.content.decode()
    assert not Place.objects.filter(slug="abc").exists()


def test_the_back_office_speaks_vietnamese_by_default(client, people):
    client = login(client, people["admin"])
    body = client.post(
        reverse("admin:catalog_place_import"), {"file": SimpleUploadedFile("p.csv", BAD_CSV)}
    ).content.decode()
    assert "dòng 2" in body and "nằm ngoài tỉnh Thanh Hóa" in body


def test_export_action_downloads_csv(client, people):
    client = login(client, people["admin"])
    citadel = Place.objects.get(slug="thanh-nha-ho")
    response = client.post(
        reverse("admin:catalog_place_changelist"), {"action": "export_csv", "_selected_action": [citadel.pk]}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "thanh-nha-ho" in response.content.decode("utf-8-sig")


def test_photo_upload_strips_gps_reads_date_and_makes_a_small_copy(
    client, people, sam_son_place, django_capture_on_commit_callbacks
):
    client = login(client, people["admin"])
    data = _change_data(client, sam_son_place)
    prefix = "photos"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-image": SimpleUploadedFile("beach.jpg", jpeg_with_exif(), content_type="image/jpeg"),
            f"{prefix}-0-author": "Nguyễn Văn A",
            f"{prefix}-0-licence": "CC-BY-4.0",
            f"{prefix}-0-remove_location": "on",
            f"{prefix}-0-position": "0",
            f"{prefix}-0-caption": "Bãi biển",
        }
    )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("admin:catalog_place_change", args=[sam_son_place.pk]), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][-1].formset.errors
    photo = Photo.objects.get(place=sam_son_place)
    renditions = [c for c in queued if getattr(c, "func", None) is photo_small_rendition]
    assert not photo.small and len(renditions) == 1  # queued once the photo is committed, not before
    renditions[0]()
    photo.refresh_from_db()
    assert photo.taken_at is not None and photo.width == 800
    from xuthanh.core import images

    with photo.image.open("rb") as handle:
        assert not images.inspect(io.BytesIO(handle.read()), max_bytes=10**8).has_gps
    assert photo.small.name.endswith(".webp")
    # the srcset copies: AVIF and WebP at each step below the original's 800 px
    assert {fmt: sorted(widths, key=int) for fmt, widths in photo.renditions.items()} == {
        "avif": ["320", "640"],
        "webp": ["320", "640"],
    }
    from django.core.files.storage import default_storage
    from PIL import Image

    with default_storage.open(photo.renditions["avif"]["320"]) as handle, Image.open(handle) as copy:
        assert copy.format == "AVIF" and copy.width == 320
    page = client.get(f"/en/places/{sam_son_place.slug}/").content.decode()
    assert '<picture><source type="image/avif" srcset="' in page and " 640w" in page
    assert f'<img src="{photo.small.url}" alt="' in page and 'width="800" height="600"' in page


def test_an_upload_that_is_not_an_image_is_refused_with_a_message(client, people, sam_son_place):
    client = login(client, people["admin"])
    data = _change_data(client, sam_son_place)
    data.update(
        {
            "photos-TOTAL_FORMS": "1",
            "photos-INITIAL_FORMS": "0",
            "photos-0-image": SimpleUploadedFile("x.jpg", b"GIF89a not really", content_type="image/jpeg"),
            "photos-0-author": "A",
            "photos-0-licence": "CC-BY-4.0",
            "photos-0-position": "0",
        }
    )
    response = client.post(reverse("admin:catalog_place_change", args=[sam_son_place.pk]), data)
    assert response.status_code == 200
    assert not Photo.objects.filter(place=sam_son_place).exists()


def test_login_is_rate_limited(client, people):
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": "dept_editor", "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    response = client.post(
        url, {"username": "dept_editor", "password": "correct horse battery"}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429


def test_a_translator_edits_a_translation_but_not_the_vietnamese_source_or_facts(client, people, other_place):
    client = login(client, people["translator"])
    url = reverse("admin:catalog_place_change", args=[other_place.pk])
    vi_form = client.get(url + "?language=vi").context["adminform"].form
    assert "name" not in vi_form.fields  # read-only in the source language
    fr_page = client.get(url + "?language=fr")
    fr_form = fr_page.context["adminform"].form
    assert "name" in fr_form.fields and "lat" not in fr_form.fields and "commune" not in fr_form.fields
    response = client.post(
        url + "?language=fr",
        {
            "name": "Nom révisé",
            "summary": "",
            "description": "",
            "accessibility": "",
            "translation_status": "reviewed",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    other_place.refresh_from_db()
    other_place.set_current_language("fr")
    assert other_place.name == "Nom révisé"
    assert other_place.translation_status == "reviewed"


def test_the_import_page_explains_every_column_and_offers_templates(client, people):
    """#15 item 9: the page listed 47 raw column names and offered no template."""
    client = login(client, people["admin"])
    body = client.get(reverse("admin:catalog_place_import"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("admin:catalog_place_import_template", args=["xlsx"]) in body
    assert reverse("admin:catalog_place_import_template", args=["csv"]) in body
    assert "<code>commune_code</code>" in body and "<code>name_zh-hans</code>" in body
    assert "attraction = Attraction" in body  # a choice column lists its codes and what they mean


def test_the_xlsx_template_has_the_sheet_to_fill_a_guide_and_the_codes(client, people):
    import openpyxl

    client = login(client, people["admin"])
    response = client.get(reverse("admin:catalog_place_import_template", args=["xlsx"]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    data, guide, communes, interests = workbook.worksheets
    header = [c.value for c in data[1]]
    assert header[0] == "slug" and data.max_row == 1  # nothing to overwrite by mistake: the header alone
    lines = {row[0]: row for row in guide.iter_rows(min_row=2, values_only=True)}
    assert set(lines) == set(header)
    assert lines["kind"][1] == "yes" and "accommodation = Accommodation" in lines["kind"][3]
    assert lines["lat"][4]  # an example from a published record
    assert communes.max_row == 167  # the header and the 166 communes and wards
    codes = {row[0] for row in communes.iter_rows(min_row=2, values_only=True)}
    assert Place.objects.get(slug="thanh-nha-ho").commune.code in codes
    assert "history" in {row[0] for row in interests.iter_rows(min_row=2, values_only=True)}
    # and a filled template imports: the guide's examples are the columns' own format
    data.append([lines[name][4] if name != "slug" else "mau-thu-nghiem" for name in header])
    data.cell(row=2, column=header.index("status") + 1, value="draft")
    for name in ("name_vi", "name_en"):
        data.cell(row=2, column=header.index(name) + 1, value="Địa điểm thử")
    out = io.BytesIO()
    workbook.save(out)
    upload = {"file": SimpleUploadedFile("filled.xlsx", out.getvalue())}
    imported = client.post(reverse("admin:catalog_place_import"), upload, HTTP_ACCEPT_LANGUAGE="en")
    assert imported.status_code == 302, imported.content.decode()[:2000]
    assert Place.objects.get(slug="mau-thu-nghiem").status == "draft"


def test_the_csv_template_is_the_header_alone(client, people):
    client = login(client, people["admin"])
    response = client.get(reverse("admin:catalog_place_import_template", args=["csv"]))
    text = response.content.decode("utf-8-sig")
    assert len(text.splitlines()) == 1 and text.startswith("slug,kind,category,name_vi,")
    assert client.get("/admin/catalog/place/import/template.pdf").status_code == 404


def test_the_templates_need_the_right_to_add(client, people):
    client = login(client, people["translator"])
    assert client.get(reverse("admin:catalog_place_import_template", args=["xlsx"])).status_code == 403


def test_the_list_says_each_translation_state_in_words_with_a_legend(client, people):
    """#15 item 9: the column read "vi✔ en≈ zh-hans≈ fr≈"."""
    client = login(client, people["admin"])
    body = client.get(reverse("admin:catalog_place_changelist"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<p class="tr-legend">Bản dịch: <span class="tr-state tr-reviewed">đã duyệt</span>' in body
    assert '<span class="tr-state tr-reviewed" title="Tiếng Việt: đã duyệt">VI đã duyệt</span>' in body
    assert "✔" not in body and "≈" not in body
    assert "xuthanh/admin.css" in body


def test_the_sign_in_protection_pages_speak_vietnamese(admin_client):
    """#15 item 9: django-axes and the admin's facet switch have no Vietnamese of their own."""
    body = admin_client.get("/admin/axes/accessattempt/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "các lần thử đăng nhập" in body.lower() and "Access attempts" not in body
    assert "Hiện số lượng" in body and "Show counts" not in body


def test_the_photo_wanted_list_counts_each_places_photos(client, people, sam_son_place):
    """#15 item 2: a "photo wanted" list in the back office with each place's photo count."""
    from django.core.files.base import ContentFile

    citadel = Place.objects.get(slug="thanh-nha-ho")
    Photo.objects.create(
        place=citadel, image=ContentFile(jpeg_with_exif(gps=False), name="c.jpg"), author="A", licence="CC-BY-4.0"
    )
    client = login(client, people["admin"])
    url = reverse("admin:catalog_place_changelist")
    wanted = client.get(url, {"photos": "0"}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "/thanh-nha-ho/" not in wanted and f"/{citadel.pk}/change/" not in wanted
    assert "cần ảnh" in wanted and f"/{Place.objects.get(slug='lam-kinh').pk}/change/" in wanted
    some = client.get(url, {"photos": "1-2"}).content.decode()
    assert f"/{citadel.pk}/change/" in some
    assert client.get(url, {"photos": "bogus"}).status_code == 200


def test_language_tabs_say_which_languages_are_translated_in_words(client, people):
    """#15 item 9: every translated language tab carried a red × (parler's delete link)."""
    client = login(client, people["admin"])
    citadel = Place.objects.get(slug="thanh-nha-ho")
    url = reverse("admin:catalog_place_change", args=[citadel.pk]) + "?language=en"
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    tabs = body.split('class="parler-language-tabs', 1)[1].split("</div>", 1)[0]
    assert "deletelink" not in tabs and "(đã dịch)" in tabs
    assert tabs.count("delete-translation/") == 1 and "Xóa bản dịch" in tabs
