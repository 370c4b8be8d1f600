"""/api/…: the ninja API. Its views authenticate by token themselves, so the site's login redirect
(LoginRequiredMiddleware) must not apply to them; the docs page and the schema are public."""

from django.contrib.auth.decorators import login_not_required

from rungs.api.api import api

urlpatterns, _, app_name = api.urls  # app_name "api": ninja reverses "api:openapi-json" for the docs page
for pattern in urlpatterns:
    login_not_required(pattern.callback)
