from django.urls import path

from xuthanh.training import views

app_name = "training"
urlpatterns = [
    path("training/", views.class_list, name="list"),
    path("training/privacy/", views.privacy, name="privacy"),
    path("training/verify/", views.verify, name="verify"),
    path("training/<int:pk>/", views.class_detail, name="detail"),
    path("training/ticket/<str:token>/", views.ticket, name="ticket"),
    path("training/ticket/<str:token>/cancel/", views.cancel, name="cancel"),
    path("training/ticket/<str:token>/feedback/", views.feedback, name="feedback"),
    path("training/ticket/<str:token>/certificate.pdf", views.certificate_pdf, name="certificate"),
    path("training/ticket/<str:token>/materials/<int:pk>/", views.material, name="material"),
]
