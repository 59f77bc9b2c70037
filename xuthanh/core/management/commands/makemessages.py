"""Django's makemessages, also extracting the `_lazy("…")` calls: modules that use both `gettext` (as `_`) and
`gettext_lazy` import the lazy one as `_lazy` (admin labels, form fields), which xgettext does not know."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
