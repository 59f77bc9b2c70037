"""The desk's pages, under /admin/desk/ (signed-in back-office users; each view checks the user's units)."""

from django.contrib import admin
from django.urls import path

from xuthanh.translations import views

app_name = "translations"
_v = admin.site.admin_view

urlpatterns = [
    path("", _v(views.desk), name="desk"),
    path("<slug:content>/<int:pk>/<str:lang>/", _v(views.edit), name="edit"),
    path("batches/", _v(views.batches), name="batches"),
    path("batches/import/", _v(views.batch_import), name="batch_import"),
    path("batches/<int:pk>/xliff/", _v(views.batch_export), name="batch_export"),
    path("coverage/", _v(views.coverage), name="coverage"),
]
