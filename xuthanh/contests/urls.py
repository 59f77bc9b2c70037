from django.urls import path

from xuthanh.contests import views

app_name = "contests"
urlpatterns = [
    path("contests/", views.contest_list, name="list"),
    path("contests/jury/", views.jury, name="jury"),
    path("contests/jury/<int:pk>/", views.jury_round, name="jury_round"),
    path("contests/<slug:slug>/", views.contest_detail, name="detail"),
    path("contests/<slug:slug>/privacy/", views.privacy, name="privacy"),
    path("contests/<slug:slug>/enter/", views.enter, name="enter"),
    path("contests/<slug:slug>/mine/", views.mine, name="mine"),
    path("contests/<slug:slug>/mine/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("contests/<slug:slug>/mine/<int:pk>/appeal/", views.appeal, name="appeal"),
    path("contests/<slug:slug>/gallery/", views.gallery, name="gallery"),
    path("contests/<slug:slug>/entries/<int:pk>/", views.entry_detail, name="entry"),
    path("contests/<slug:slug>/entries/<int:pk>/vote/", views.vote, name="vote"),
    path("contests/<slug:slug>/results/", views.results, name="results"),
    path("contests/<slug:slug>/certificate/<str:token>/", views.certificate, name="certificate"),
]
