"""Test fixtures shared by every app: the real Thanh Hóa data loaded once per test database, and named
people from every side of a permission (an administrator, editors of two units, a translator, a
statistician, a business representative, an outsider)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from xuthanh.areas.models import Commune
from xuthanh.orgs.models import Membership, Organisation, Role


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # noqa: ANN001 - pytest fixture signature
    from django.db import connections

    from xuthanh.catalog.loader import load_all

    with django_db_blocker.unblock():
        load_all()
        # Transactional tests (the browser tests: a live server needs committed data) end with a flush. When
        # one asks for serialized_rollback, pytest-django has the database serialized at creation, before
        # this load: serialize again so that each such test starts with the Thanh Hóa data (~0.5 s).
        for connection in connections.all(initialized_only=True):
            if hasattr(connection, "_test_serialized_contents"):
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()


def _user(username: str, org: Organisation | None = None, role: str | None = None, **extra):
    user = get_user_model().objects.create_user(username=username, password="correct horse battery", **extra)
    if org is not None and role is not None:
        Membership.objects.create(user=user, organisation=org, role=role)
        user.refresh_from_db()
    return user


@pytest.fixture
def commune_sam_son() -> Commune:
    return Commune.objects.get(name="Phường Sầm Sơn")


@pytest.fixture
def commune_other() -> Commune:
    return Commune.objects.get(name="Phường Hạc Thành")


@pytest.fixture
def department() -> Organisation:
    return Organisation.objects.get(kind=Organisation.Kind.DEPARTMENT)


@pytest.fixture
def sam_son_unit(commune_sam_son: Commune) -> Organisation:
    org = Organisation.objects.get(slug="ubnd-phuong-sam-son")
    assert list(org.communes.all()) == [commune_sam_son]
    return org


@pytest.fixture
def people(db, department, sam_son_unit):
    """Named people: admin, dept_editor, sam_son_editor, translator, statistician, business_rep, outsider."""
    business = Organisation.objects.filter(kind=Organisation.Kind.BUSINESS).first()
    return {
        "admin": _user("admin", department, Role.ADMIN),
        "dept_editor": _user("dept_editor", department, Role.EDITOR),
        "sam_son_editor": _user("sam_son_editor", sam_son_unit, Role.EDITOR),
        "translator": _user("translator", department, Role.TRANSLATOR),
        "statistician": _user("statistician", department, Role.STATISTICIAN),
        "business_rep": _user("business_rep", business, Role.BUSINESS),
        "outsider": _user("outsider"),
        "business": business,
    }


@pytest.fixture(autouse=True)
def english_messages():
    """Messages are asserted in English; tests about Vietnamese (the default) switch explicitly."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="session", autouse=True)
def jinja2_templates_seen_by_the_test_client():
    """The test client learns a page's templates and context from the `template_rendered` signal, which only
    Django's own template engine sends; public pages are Jinja2 (xuthanh/portal/jinja2env.py), so their
    renders send it here too, as Django's test set-up does for its engine (tests only)."""
    from django.template.backends import jinja2 as backend
    from django.test.signals import template_rendered

    original = backend.Template.render

    def render(self, context=None, request=None):  # noqa: ANN001, ANN202 - the backend's signature
        context = {} if context is None else context
        template_rendered.send(sender=self, template=self, context=context)
        return original(self, context, request)

    backend.Template.name = property(lambda self: self.template.name)
    backend.Template.render = render
    yield
    backend.Template.render = original
    del backend.Template.name
