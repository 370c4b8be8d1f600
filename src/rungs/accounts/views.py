from django.contrib.auth import views as auth
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse


class LoginView(auth.LoginView):
    template_name = "rungs/login.html"
    redirect_authenticated_user = True


class LogoutView(auth.LogoutView):
    pass


@login_not_required
def healthz(request):
    """For load balancers: the process is up and the database answers."""
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"ok": True})
