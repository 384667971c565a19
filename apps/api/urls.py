from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from apps.core.fetch import NOT_FOUND

from . import views
from .api import api, error

# The API authenticates by bearer token (apps/api/auth.py), never by the session: Django's
# LoginRequiredMiddleware must not redirect its calls to the login page.
_patterns, _app_name, _namespace = api.urls


def _json_errors(view):
    """django-ninja answers a method a path doesn't have with a plain-text 405, and its root path with the
    site's HTML 404; give both the API's error format."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:  # django-ninja's root view (/api/v1/ itself) raises it past the API's handlers
            return error(request, 404, NOT_FOUND)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            response = error(request, 405, f"该地址不支持 {request.method} 请求（可用：{allowed}）。")
            response["Allow"] = allowed
        return response

    return wrapped


for _p in _patterns:
    _p.callback = _json_errors(login_not_required(_p.callback))


@csrf_exempt
@login_not_required
def not_found(request, rest: str = ""):
    """Anything under /api/v1/ that no operation matches (an unknown path, or an id that is not an integer):
    a JSON 404 in the API's error format, never the site's HTML error page."""
    return error(request, 404, NOT_FOUND)


_patterns = [*_patterns, re_path(r"^(?P<rest>[\s\S]*)\Z", not_found, name="not_found")]

# The account's token page (a web page, with the session like every other page).
token_patterns = [
    path("", views.token_list, name="token_list"),
    path("<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]

urlpatterns = [
    path("api/v1/", (_patterns, _app_name, _namespace)),
    path("accounts/tokens/", include((token_patterns, "tokens"))),
]
