from django.urls import path

from rungs.promotions import views

app_name = "promotions"
urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.open_round, name="open"),
    path("calendar/", views.calendar, name="calendar"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/notice/", views.notice_page, name="notice"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/appointment/<int:cid>.<str:fmt>", views.appointment, name="appointment"),
]
