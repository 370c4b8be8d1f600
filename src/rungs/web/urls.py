from django.urls import path

from rungs.web import audit, tokens, views

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people, name="people"),
    path("audit/", audit.index, name="audit-index"),
    path("audit/export.csv", audit.export, name="audit-export"),
    path("tokens/", tokens.index, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.revoke, name="tokens-revoke"),
]
