"""manage.py create_demo_admin: a local administrator for trying the back office (development only)."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from xuthanh.orgs.models import Membership, Organisation, Role


class Command(BaseCommand):
    help = "Create (or reset) the demo administrator 'admin' of the department and print its password."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Refusing to create a demo admin with DEBUG off (production).")
        password = secrets.token_urlsafe(12)
        user, _created = get_user_model().objects.get_or_create(
            username="admin", defaults={"email": "admin@localhost"}
        )
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()
        department = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).first()
        if department:
            Membership.objects.get_or_create(user=user, organisation=department, role=Role.ADMIN)
        self.stdout.write(
            self.style.SUCCESS(f"Back office: {settings.SITE_URL}/admin/  user: admin  password: {password}")
        )
