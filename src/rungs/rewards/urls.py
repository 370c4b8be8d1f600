from django.urls import path

from rungs.rewards import views

app_name = "rewards"
urlpatterns = [
    path("", views.plans, name="plans"),
    path("statement/", views.statement, name="statement"),
    path("lines/<int:pk>/dispute/", views.dispute, name="dispute"),
    path("team/", views.team, name="team"),
    path("runs/", views.runs, name="runs"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("runs/<int:pk>/act/", views.run_act, name="run-act"),
    path("awards/", views.awards, name="awards"),
    path("disputes/", views.disputes, name="disputes"),
    path("disputes/<int:pk>/decide/", views.decide, name="decide"),
    path("payroll/<str:cycle>/", views.payroll, name="payroll"),
    path("what-if/", views.what_if, name="whatif"),
]
