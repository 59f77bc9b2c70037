from django.urls import path

from xuthanh.news import views

app_name = "news"
urlpatterns = [
    path("news/<slug:slug>/", views.article_detail, name="article_detail"),
]
