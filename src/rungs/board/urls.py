from django.urls import path

from rungs.board import views

app_name = "board"
urlpatterns = [
    path("", views.board, name="index"),
    path("export.xlsx", views.board_export, name="export"),
    path("me/", views.my_progress, name="me"),
    path("employee/<str:employee_id>/", views.employee_progress, name="employee"),
    path("team/", views.team_view, name="team"),
]
