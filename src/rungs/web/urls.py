from django.urls import path

from rungs.web import audit, org, tokens, views

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.people, name="people"),
    path("messages/read/", views.messages_read, name="messages-read"),
    path("audit/", audit.index, name="audit-index"),
    path("audit/export.csv", audit.export, name="audit-export"),
    path("tokens/", tokens.index, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.revoke, name="tokens-revoke"),
    path("org/", org.index, name="org"),
    path("org/departments/new/", org.department, name="org-department-new"),
    path("org/departments/<int:pk>/", org.department, name="org-department"),
    path("org/teams/new/", org.team, name="org-team-new"),
    path("org/teams/<int:pk>/", org.team, name="org-team"),
    path("org/employees/", org.employees, name="org-employees"),
    path("org/employees/new/", org.employee_edit, name="org-employee-new"),
    path("org/employees/<str:employee_id>/", org.employee_edit, name="org-employee"),
    path("org/posts/", org.posts, name="org-posts"),
    path("org/posts/<int:pk>/", org.post_change, name="org-post"),
    path("org/logins/", org.logins, name="org-logins"),
    path("org/logins/active/", org.logins_active, name="org-logins-active"),
]
