from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# A write to any model of these apps makes the cached public pages stale (core.pagecache).
CONTENT_APPS = {"catalog", "news", "orgs", "areas", "guide"}
# Models of other apps whose writes change public pages (a contest's votes are not among them: they change
# one counter, never the cached pages' other content, and a vote must not empty everyone's cache).
CONTENT_MODELS = {("contests", "contest"), ("contests", "category"), ("contests", "entry"), ("contests", "award"),
                  ("campaigns", "link"), ("campaigns", "campaign"), ("campaigns", "market")}


class CoreConfig(AppConfig):
    name = "xuthanh.core"
    label = "core"
    verbose_name = _("Audit and shared data")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from xuthanh.core import pagecache
        from xuthanh.core.pagecache import bump_content_version

        request_started.connect(pagecache.request_started, dispatch_uid="pagecache-request-started")
        request_finished.connect(pagecache.request_finished, dispatch_uid="pagecache-request-finished")

        def on_write(sender, **kwargs) -> None:  # noqa: ANN001 - signal receiver
            meta = getattr(sender, "_meta", None)
            label = getattr(meta, "app_label", None)
            if label in CONTENT_APPS or (label, getattr(meta, "model_name", None)) in CONTENT_MODELS:
                bump_content_version()

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(on_write, dispatch_uid=f"pagecache-{signal!r}", weak=False)
