"""Every door that changes a place's status applies the same rule (orgs.permissions.status_change_refusal):
the workflow actions of the admin list, the change form and the import. Each door is walked by every kind of
person: only administrators and editors of a province-wide unit publish or archive; a commune's editor
edits its own places but cannot put them online or take them off, by any door; the others cannot even
change them. A trusted command (the operator's import, the data loader) may."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xuthanh.catalog import importing
from xuthanh.catalog.fieldmaps import FIELDMAPS
from xuthanh.catalog.models import Place
from xuthanh.catalog.tests.test_admin import _change_data
from xuthanh.core.models import Status

pytestmark = pytest.mark.django_db

PUBLISHERS = {"admin", "dept_editor"}
ROLES = ["admin", "dept_editor", "sam_son_editor", "translator", "statistician", "business_rep", "outsider"]


@pytest.fixture
def draft(commune_sam_son) -> Place:
    """A place of the Sầm Sơn unit's commune (the Sầm Sơn editor's own), as a draft."""
    place = Place.objects.filter(commune=commune_sam_son, operator__isnull=True).first()
    Place.objects.filter(pk=place.pk).update(status=Status.DRAFT)
    place.refresh_from_db()
    return place


def _action(people, draft, role, status):
    client = Client()
    client.force_login(people[role])
    action = {Status.PUBLISHED: "publish", Status.ARCHIVED: "archive"}[status]
    client.post(reverse("admin:catalog_place_changelist"), {"action": action, "_selected_action": [draft.pk]})


def _form(people, draft, role, status):
    editor = Client()
    editor.force_login(people["admin"])
    data = _change_data(editor, draft, status=status)  # the form as it stands, with the new status
    client = Client()
    client.force_login(people[role])
    client.post(reverse("admin:catalog_place_change", args=[draft.pk]), data)


def _import(people, draft, role, status):
    header, rows = importing.read_table("places.csv", f"slug,status\n{draft.slug},{status}\n".encode())
    result = importing.import_rows(FIELDMAPS["place"](), header, rows, actor=people[role])
    if role not in PUBLISHERS:
        assert not result.ok and result.errors, "the import must say why it stored nothing"


DOORS = {"workflow action": _action, "change form": _form, "import": _import}


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.ARCHIVED])
@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("role", ROLES)
def test_only_publishers_publish_or_archive_by_any_door(people, draft, door, role, status):
    DOORS[door](people, draft, role, status)
    draft.refresh_from_db()
    expected = status if role in PUBLISHERS else Status.DRAFT
    assert draft.status == expected, f"{role} through the {door}: {draft.status}"


def test_the_import_names_the_rule_a_commune_editor_meets(people, draft):
    header, rows = importing.read_table("p.csv", f"slug,status\n{draft.slug},published\n".encode())
    result = importing.import_rows(FIELDMAPS["place"](), header, rows, actor=people["sam_son_editor"])
    assert [(e.line, e.column) for e in result.errors] == [(2, "status")]
    assert "publish or archive" in result.errors[0].message
    ok = importing.import_rows(  # the same editor may send it for review, as in the form
        FIELDMAPS["place"](), *importing.read_table("p.csv", f"slug,status\n{draft.slug},review\n".encode()),
        actor=people["sam_son_editor"],
    )
    assert ok.ok, [str(e) for e in ok.errors]
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW


def test_a_trusted_command_may_publish_through_the_import(draft):
    header, rows = importing.read_table("p.csv", f"slug,status\n{draft.slug},published\n".encode())
    assert importing.import_rows(FIELDMAPS["place"](), header, rows, actor=None).ok
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
