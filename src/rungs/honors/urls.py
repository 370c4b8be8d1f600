from django.urls import path

from rungs.honors import views

app_name = "honors"
urlpatterns = [
    path("", views.index, name="index"),
    path("define/", views.define, name="define"),
    path("<int:pk>/", views.honor_detail, name="honor"),
    path("<int:pk>/act/", views.act, name="act"),
    path("notices/<int:pk>/", views.notice_page, name="notice"),
    path("notices/<int:pk>/object/", views.object_notice, name="object"),
    path("board/", views.board_page, name="board"),
    path("thanks/", views.thanks, name="thanks"),
    path("awards/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
]
