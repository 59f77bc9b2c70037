"""Permissions per unit, from every side: who may edit, translate, publish, and who may not."""

import pytest

from xuthanh.catalog.models import Place, Tour
from xuthanh.orgs import permissions

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam_son_place(commune_sam_son):
    return Place.objects.filter(commune=commune_sam_son).first()


@pytest.fixture
def other_place(commune_sam_son):
    return Place.objects.exclude(commune=commune_sam_son).filter(operator__isnull=True).first()


def test_a_commune_editor_edits_places_of_its_commune_only(people, sam_son_place, other_place):
    editor = people["sam_son_editor"]
    assert permissions.can_edit(editor, sam_son_place)
    assert not permissions.can_edit(editor, other_place)


def test_the_commune_editors_list_is_scoped(people, sam_son_place, other_place):
    q = permissions.scope_q(people["sam_son_editor"], Place, permissions.EDIT_ROLES)
    scoped = Place.objects.filter(q)
    assert scoped.filter(pk=sam_son_place.pk).exists()
    assert not scoped.filter(pk=other_place.pk).exists()


def test_department_editors_edit_everything_and_publish(people, sam_son_place, other_place):
    editor = people["dept_editor"]
    assert permissions.can_edit(editor, other_place)
    assert permissions.can_publish(editor, other_place)


def test_commune_editors_cannot_publish(people, sam_son_place):
    assert not permissions.can_publish(people["sam_son_editor"], sam_son_place)


def test_translators_translate_but_do_not_edit(people, other_place):
    assert permissions.can_translate(people["translator"], other_place)
    assert not permissions.can_edit(people["translator"], other_place)


def test_statisticians_only_read(people, other_place):
    assert permissions.can_view(people["statistician"], Place)
    assert not permissions.can_edit(people["statistician"], other_place)
    assert not permissions.can_add(people["statistician"], Place)


def test_business_representatives_edit_only_what_their_business_operates(people, other_place):
    rep, business = people["business_rep"], people["business"]
    own_tour = Tour.objects.filter(operator=business).first()
    assert own_tour is not None
    assert permissions.can_edit(rep, own_tour)
    assert not permissions.can_edit(rep, Tour.objects.exclude(operator=business).first())
    assert not permissions.can_edit(rep, other_place)


def test_outsiders_and_anonymous_users_may_do_nothing(people, other_place):
    from django.contrib.auth.models import AnonymousUser

    for user in (people["outsider"], AnonymousUser()):
        assert not permissions.can_view(user, Place)
        assert not permissions.can_edit(user, other_place)
        assert permissions.scope_q(user, Place, permissions.EDIT_ROLES) is None


def test_an_unsaved_place_is_judged_by_its_commune(people, commune_sam_son, commune_other):
    editor = people["sam_son_editor"]
    assert permissions.can_edit(editor, Place(commune=commune_sam_son))
    assert not permissions.can_edit(editor, Place(commune=commune_other))


def test_site_boards_edit_the_sites_they_manage(people, department):
    from xuthanh.orgs.models import Membership, Organisation, Role

    board = Organisation.objects.get(slug="tt-bao-ton-thanh-nha-ho")
    user = people["outsider"]
    Membership.objects.create(user=user, organisation=board, role=Role.EDITOR)
    user._xt_memberships = None
    citadel = Place.objects.get(slug="thanh-nha-ho")
    assert citadel.managed_by == board
    assert permissions.can_edit(user, citadel)
    assert not permissions.can_edit(user, Place.objects.get(slug="lam-kinh"))


def test_membership_changes_are_audited_on_the_organisation(client, people, sam_son_unit):
    from django.urls import reverse

    from xuthanh.core.audit import history

    client.force_login(people["admin"])
    url = reverse("admin:orgs_organisation_change", args=[sam_son_unit.pk])
    form = client.get(url).context["adminform"].form
    membership = sam_son_unit.memberships.get()
    data = {
        "name": sam_son_unit.name,
        "slug": sam_son_unit.slug,
        "kind": sam_son_unit.kind,
        "communes": [str(c.pk) for c in sam_son_unit.communes.all()],
        "business_type": "",
        "licence_no": "",
        "address": "",
        "phone": "",
        "email": "",
        "website": "",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(membership.pk),
        "memberships-0-organisation": str(sam_son_unit.pk),
        "memberships-0-user": str(membership.user_id),
        "memberships-0-role": "translator",
    }
    assert form is not None
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = history(sam_son_unit).first()
    assert entry.actor.username == "admin"
    assert "memberships" in entry.changes


def test_a_unit_admin_manages_only_its_own_unit(client, people, sam_son_unit, department):
    from django.urls import reverse

    from xuthanh.orgs.models import Membership, Role

    Membership.objects.create(user=people["outsider"], organisation=sam_son_unit, role=Role.ADMIN)
    client.force_login(people["outsider"])
    assert client.get(reverse("admin:orgs_organisation_change", args=[sam_son_unit.pk])).status_code == 200
    response = client.get(reverse("admin:orgs_organisation_change", args=[department.pk]))
    assert response.status_code == 302  # not in its list: treated as missing
