from django.urls import path

from rungs.voice import dashboard_views, forum_views, survey_views, views

app_name = "voice"
urlpatterns = [
    path("suggestions/", views.index, name="suggestions"),
    path("suggestions/submit/", views.submit, name="submit"),
    path("suggestions/follow/", views.follow, name="follow"),
    path("suggestions/handle/", views.handle, name="handle"),
    path("suggestions/<uuid:pk>/act/", views.act, name="act"),
    path("suggestions/claims/", views.claims, name="claims"),
    path("surveys/", survey_views.index, name="surveys"),
    path("surveys/new/", survey_views.create, name="survey-create"),
    path("surveys/<int:pk>/", survey_views.detail, name="survey"),
    path("surveys/<int:pk>/act/", survey_views.act, name="survey-act"),
    path("surveys/<int:pk>/ballot/", survey_views.ballot, name="ballot"),
    path("surveys/<int:pk>/results/", survey_views.results_page, name="results"),
    path("surveys/<int:pk>/results.csv", survey_views.export, name="results-export"),
    path("surveys/<int:pk>/series/", survey_views.set_series, name="survey-series"),
    path("surveys/dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("surveys/dashboard.csv", dashboard_views.export, name="dashboard-export"),
    path("forums/", forum_views.index, name="forums"),
    path("forums/new/", forum_views.create, name="forum-create"),
    path("forums/<int:pk>/", forum_views.detail, name="forum"),
    path("forums/<int:pk>/issues/", forum_views.add_issue, name="forum-issue"),
    path("forums/<int:pk>/edit/", forum_views.edit, name="forum-edit"),
    path("forums/actions/<int:pk>/edit/", forum_views.action_edit, name="forum-action-edit"),
    path("forums/actions/<int:pk>/act/", forum_views.act, name="forum-act"),
]
