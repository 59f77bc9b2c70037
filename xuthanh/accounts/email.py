"""E-mail verification: a signed link (user, address, expiry) sent to the address; opening it and pressing
the button stores the address as verified. Nothing is stored before that, so an address nobody confirms
leaves no trace."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xuthanh.accounts.models import EmailAddress
from xuthanh.core import ratelimit

SALT = "xuthanh.accounts.email"
MAX_AGE = 48 * 3600


class VerificationError(ValueError):
    """The link cannot verify an address; the message says why."""


def verified_email(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    found = EmailAddress.objects.filter(user=user).values_list("email", flat=True).first()
    return found


def token(user: Any, email: str) -> str:
    return signing.dumps({"u": user.pk, "e": email.strip().lower()}, salt=SALT, compress=True)


def send_link(user: Any, email: str, *, base_url: str, address: str, next_url: str = "") -> None:
    """Send the verification link for `email` (limited per user and per address: a form, not a mail relay)."""
    for bucket in (f"verify-mail:{user.pk}", f"verify-mail-ip:{address}"):
        if ratelimit.hit(bucket, limit=settings.EMAIL_VERIFICATIONS_PER_HOUR, period=3600) is not None:
            raise VerificationError(_("Too many verification e-mails; try again in an hour."))
    link = base_url + reverse("accounts:email_confirm", args=[token(user, email)])
    if next_url:
        link += "?next=" + next_url
    send_mail(
        _("Confirm your e-mail address – Xứ Thanh"),
        _("Open this link to confirm that %(email)s is yours (it works for 48 hours):\n\n%(link)s\n\n"
          "If you did not ask for it, ignore this message: nothing is kept.") % {"email": email, "link": link},
        None,
        [email],
    )


def confirm(raw: str, user: Any) -> EmailAddress:
    """Store the address the link names as `user`'s verified address (the link must be theirs)."""
    try:
        data = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise VerificationError(_("This link has expired; ask for a new one.")) from exc
    except signing.BadSignature as exc:
        raise VerificationError(_("This link is not valid.")) from exc
    if data.get("u") != user.pk:
        raise VerificationError(_("This link was sent for another account; sign in with that account."))
    if not get_user_model().objects.filter(pk=user.pk, is_active=True).exists():
        raise VerificationError(_("This link is not valid."))
    with transaction.atomic():
        found, _created = EmailAddress.objects.update_or_create(
            user=user, defaults={"email": data["e"], "verified_at": timezone.now()}
        )
        user.email = data["e"]
        user.save(update_fields=["email"])
    return found
