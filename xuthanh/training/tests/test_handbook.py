"""The officers' user guide in the back office: every page exists in Vietnamese and English and opens for staff
in both; others are sent to the sign-in or refused; every link to a screen names a URL that exists; raw HTML in
a page is shown as text; a page has its table of contents and its previous and next pages; a page missing in
the reader's language falls back to English with a note."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from xuthanh.training import handbook

pytestmark = pytest.mark.django_db

INDEX = "/admin/handbook/"
# Screens of the training programme, being built beside this guide: their URL names exist once it lands.
TRAINING_URL_NAMES = {
    "admin:training_course_changelist", "admin:training_courseclass_changelist",
    "admin:training_registration_changelist", "admin:training_certificate_changelist",
    "admin:training_studytour_changelist",
}


def _staff(client, people, language: str):  # noqa: ANN001, ANN202
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    client.force_login(people["dept_editor"])
    return client


def test_the_pages_parse_and_every_vietnamese_page_has_an_english_one() -> None:
    found = handbook.library()
    assert found.problems == ()
    vi, en = found.pages["vi"], found.pages["en"]
    assert len(vi) >= 12
    assert set(vi) == set(en)
    for slug, page in vi.items():  # the same place in the order, a title, a summary and an audience in each
        assert en[slug].order == page.order
        assert page.title and page.summary and page.audience and en[slug].title and en[slug].summary
        assert en[slug].audience == page.audience
        assert page.headings and en[slug].headings, slug
    assert list(found.order) == sorted(vi, key=lambda slug: vi[slug].order)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_staff_see_the_index_and_every_page(client, people, language) -> None:  # noqa: ANN001
    _staff(client, people, language)
    pages = handbook.library().pages[language]
    index = client.get(INDEX)
    assert index.status_code == 200
    text = index.content.decode()
    for slug, page in pages.items():
        assert reverse("handbook:page", args=[slug]) in text
        answer = client.get(reverse("handbook:page", args=[slug]))
        assert answer.status_code == 200, slug
        body = answer.content.decode()
        assert f'<h1 lang="{language}">{escape(page.title)}</h1>' in body, slug
        assert 'class="handbook-note"' not in body  # no "not yet translated" note in vi or en
        assert 'media="print"' in body


def test_anonymous_visitors_are_sent_to_the_sign_in(client) -> None:  # noqa: ANN001
    for url in (INDEX, reverse("handbook:page", args=[handbook.library().order[0]])):
        answer = client.get(url)
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("admin:login") + "?next=")


def test_a_signed_in_person_without_staff_status_is_refused(client, people) -> None:  # noqa: ANN001
    outsider = people["outsider"]
    assert not outsider.is_staff
    client.force_login(outsider)
    for url in (INDEX, reverse("handbook:page", args=[handbook.library().order[0]])):
        answer = client.get(url)
        assert answer.status_code == 302 and answer["Location"].startswith(reverse("admin:login"))
        assert b"handbook-article" not in answer.content


def test_an_unknown_page_is_not_found(client, people) -> None:  # noqa: ANN001
    _staff(client, people, "en")
    assert client.get("/admin/handbook/no-such-page/").status_code == 404


def _named_links() -> dict[str, set[str]]:
    """Every URL name and guide page linked from a page: target → the pages that link to it."""
    found: dict[str, set[str]] = {}
    for language, pages in handbook.library().pages.items():
        for slug, page in pages.items():
            for href in page.links():
                if handbook._URL_NAME.match(href) or handbook._PAGE_LINK.match(href):
                    found.setdefault(href, set()).add(f"{language}/{slug}")
    return found


def test_every_link_to_a_screen_or_a_page_resolves() -> None:
    links = _named_links()
    assert any(href.startswith("admin:") for href in links) and any(href.startswith("page:") for href in links)
    broken = {}
    for href, where in links.items():
        name = handbook._URL_NAME.match(href)
        if name is not None and name["name"] in TRAINING_URL_NAMES:
            continue  # checked below
        if handbook.resolve_link(href) is None:
            broken[href] = sorted(where)
    assert broken == {}


def test_links_to_a_section_of_another_page_find_its_heading() -> None:
    found = handbook.library()
    wrong = []
    for language, pages in found.pages.items():
        for slug, page in pages.items():
            for href in page.links():
                link = handbook._PAGE_LINK.match(href)
                if link is None or not link["fragment"]:
                    continue
                target = found.get(link["slug"], language)
                if target is None or link["fragment"][1:] not in {h.anchor for h in target.headings}:
                    wrong.append(f"{language}/{slug}: {href}")
    assert wrong == []


def test_the_training_screens_linked_from_the_guide_exist() -> None:
    """The training programme's screens (URL names agreed with the app being built beside this guide)."""
    linked = {handbook._URL_NAME.match(h)["name"] for h in _named_links() if handbook._URL_NAME.match(h)}
    assert linked >= TRAINING_URL_NAMES
    missing = []
    for name in sorted(TRAINING_URL_NAMES):
        try:
            reverse(name)
        except NoReverseMatch:
            missing.append(name)
    assert missing == []


def test_links_render_as_addresses_and_unknown_names_as_text() -> None:
    page = handbook.parse_page(
        "---\ntitle: T\nsummary: S\naudience: department\n---\n"
        "[Add a place](admin:catalog_place_add) · [Drafts](admin:catalog_place_changelist?status__exact=draft) · "
        "[Desk](translations:desk) · [Photos](page:places#photos) · [Gone](admin:nothing_here) · "
        "[Elsewhere](https://example.org/a) · [No page](page:no-such-page) · [API](api-v1:list_places)\n",
        slug="t", order=1, language="en")
    html = str(page.html())
    assert f'href="{reverse("admin:catalog_place_add")}"' in html
    assert f'href="{reverse("admin:catalog_place_changelist")}?status__exact=draft"' in html
    assert f'href="{reverse("translations:desk")}"' in html
    assert f'href="{reverse("handbook:page", args=["places"])}#photos"' in html
    assert 'href="https://example.org/a"' in html and f'href="{reverse("api-v1:list_places")}"' in html
    assert '<span class="handbook-missing" title="admin:nothing_here">Gone</span>' in html
    assert '<span class="handbook-missing" title="page:no-such-page">No page</span>' in html
    assert "admin:" not in html.replace('title="admin:nothing_here"', "")


def test_raw_html_in_a_page_is_shown_as_text() -> None:
    page = handbook.parse_page(
        "---\ntitle: T\nsummary: S\naudience: department\n---\n"
        "<script>alert(1)</script>\n\nText <img src=x onerror=alert(2)> and [a link](javascript:alert(3)).\n\n"
        '<div onclick="x()">block</div>\n',
        slug="t", order=1, language="en")
    html = str(page.html())
    assert "<script" not in html and "<img" not in html and "<div" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html


def test_a_page_has_its_contents_and_its_previous_and_next_pages(client, people) -> None:  # noqa: ANN001
    _staff(client, people, "en")
    order = handbook.library().order
    pages = handbook.library().pages["en"]
    second = pages[order[1]]
    body = client.get(reverse("handbook:page", args=[second.slug])).content.decode()
    assert 'class="handbook-toc"' in body
    for heading in second.headings:
        assert f'href="#{heading.anchor}"' in body and f'id="{heading.anchor}"' in body
    assert f'href="{reverse("handbook:page", args=[order[0]])}" rel="prev"' in body
    assert f'href="{reverse("handbook:page", args=[order[2]])}" rel="next"' in body
    first = client.get(reverse("handbook:page", args=[order[0]])).content.decode()
    last = client.get(reverse("handbook:page", args=[order[-1]])).content.decode()
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="next"' not in last and 'rel="prev"' in last


def test_a_page_missing_in_the_readers_language_is_shown_in_english_with_a_note(client, people) -> None:  # noqa: ANN001
    _staff(client, people, "fr")
    slug = handbook.library().order[0]
    body = client.get(reverse("handbook:page", args=[slug])).content.decode()
    assert 'class="handbook-note"' in body
    assert f'<h1 lang="en">{escape(handbook.library().pages["en"][slug].title)}</h1>' in body


def test_a_bad_page_file_is_left_out_and_named(tmp_path: Path) -> None:
    (tmp_path / "vi").mkdir()
    (tmp_path / "vi" / "01-good.md").write_text("---\ntitle: A\nsummary: B\naudience: commune\n---\n## One\n")
    (tmp_path / "vi" / "02-no-front-matter.md").write_text("## Just text\n")
    (tmp_path / "vi" / "03-bad-audience.md").write_text("---\ntitle: A\nsummary: B\naudience: mayor\n---\n")
    (tmp_path / "vi" / "notes.md").write_text("---\ntitle: A\nsummary: B\naudience: commune\n---\n")
    found = handbook.load(tmp_path)
    assert list(found.pages["vi"]) == ["good"] and found.order == ("good",)
    assert len(found.problems) == 3
    assert found.pages["vi"]["good"].headings == (handbook.Heading(2, "one", "One"),)
