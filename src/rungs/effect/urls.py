from django.urls import path

from rungs.effect import views

app_name = "effect"
urlpatterns = [
    path("", views.index, name="index"),
    path("study/", views.study, name="study"),
]
