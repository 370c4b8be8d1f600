from django.urls import path

from rungs.talent import views

app_name = "talent"
urlpatterns = [
    path("", views.index, name="index"),
    path("pools/new/", views.pool_create, name="pool-create"),
    path("pools/<int:pk>/", views.pool_detail, name="pool"),
    path("pools/<int:pk>/act/", views.pool_act, name="pool-act"),
    path("me/", views.my_file, name="me"),
    path("people/<str:code>/", views.career_file, name="file"),
    path("people/<str:code>/plan/", views.plan_new, name="plan-new"),
    path("people/<str:code>/talk/", views.talk_record, name="talk"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/review/", views.plan_review, name="plan-review"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
]
