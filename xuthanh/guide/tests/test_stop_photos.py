"""A stop's photos are photos of its tour's place (the catalogue's, with their author, licence and checked
file): chosen in the back office (another place's refused with a message), given by the API and shown on the
tour page with their credit."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image

from xuthanh.catalog.models import Photo, Place
from xuthanh.guide.models import Stop


def photo_of(place: Place, author: str) -> Photo:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (150, 140, 120)).save(out, format="JPEG")
    photo = Photo(place=place, author=author, licence=Photo.Licence.CC_BY, width=800, height=600)
    photo.set_current_language("vi")
    photo.caption, photo.alt_text = "Cổng Nam nhìn từ phía trước", "Cổng đá ba cửa vòm"
    photo.image.save("cong-nam.jpg", ContentFile(out.getvalue()), save=False)
    photo.save()
    return photo


def test_a_stop_shows_a_photo_of_its_place_with_its_credit(tours: int, client: Any) -> None:
    stop = Stop.objects.get(qr="TNH-01")
    stop.photos.add(photo_of(stop.tour.place, "Nguyễn Văn A"))
    body = client.get("/api/v1/guide/tours/thanh-nha-ho?lang=vi").json()
    first = body["stops"][0]["photos"][0]
    assert first["author"] == "Nguyễn Văn A" and first["licence"] == "CC-BY-4.0"
    assert first["alt_text"] == "Cổng đá ba cửa vòm" and first["url"].startswith("/media/photos/")
    assert body["stops"][1]["photos"] == []
    page = client.get("/vi/audio-tours/thanh-nha-ho/").content.decode()
    assert 'alt="Cổng đá ba cửa vòm"' in page and "© Nguyễn Văn A" in page


def test_a_photo_of_another_place_is_refused_for_a_stop(tours: int, people: dict, client: Any) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["dept_editor"])
    stop = Stop.objects.get(qr="TNH-01")
    elsewhere = photo_of(Place.objects.get(slug="lam-kinh"), "B")
    own = photo_of(stop.tour.place, "C")
    url = f"/admin/guide/stop/{stop.pk}/change/?language=vi"
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "photos"}
    data.update({"name": "Cổng Nam", "script": stop.safe_translation_getter("script", language_code="vi"),
                 "sources": '["x"]', "tour": stop.tour_id})
    refused = client.post(url, {**data, "photos": [elsewhere.pk]})
    errors = refused.context["adminform"].form.errors
    assert refused.status_code == 200 and list(errors) == ["photos"], errors
    assert not stop.photos.exists()
    done = client.post(url, {**data, "photos": [own.pk]})
    assert done.status_code == 302 and list(stop.photos.all()) == [own]
