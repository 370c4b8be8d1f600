from django.urls import path

from rungs.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.open_cases, name="open"),
    path("<int:pk>/", views.detail, name="case"),
    path("<int:pk>/act/", views.act, name="act"),
]
