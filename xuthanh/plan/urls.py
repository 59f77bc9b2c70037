from django.urls import path

from xuthanh.plan import views

app_name = "plan"
urlpatterns = [path("plan/", views.public, name="public")]
