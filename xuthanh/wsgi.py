"""WSGI entry point for gunicorn or any WSGI server."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuthanh.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, the URL configuration) lives as long as the process: move it out
# of the garbage collector's reach, so its full collections do not walk it again and again (they took about
# 80 ms every few hundred requests, a pause of every request in flight). Run in each worker as it starts.
gc.freeze()
