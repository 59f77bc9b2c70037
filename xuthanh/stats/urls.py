"""The statistics pages of the back office, under /admin/stats/ (each view checks the user's units)."""

from django.contrib import admin
from django.urls import path

from xuthanh.stats import views

app_name = "stats"
_v = admin.site.admin_view

urlpatterns = [
    path("", _v(views.dashboard), name="dashboard"),
    path("file/", _v(views.filing), name="filing"),
    path("report/<slug:code>/<str:period>/<str:start>/", _v(views.report), name="report"),
    path("late/", _v(views.late), name="late"),
    path("commune/<int:code>/", _v(views.commune), name="commune"),
    path("export/year.xlsx", _v(views.export_year), name="export_year"),
    path("export/department.xlsx", _v(views.export_department), name="export_department"),
    path("import/", _v(views.import_year), name="import"),
]
