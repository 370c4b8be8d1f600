"""Pages and exports with personal data are not kept by shared caches (proxies, a shared browser cache)."""

from django.utils.cache import patch_cache_control


def private_pages(get_response):
    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        return response

    return middleware
