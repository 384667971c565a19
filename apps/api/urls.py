from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from apps.core.fetch import NOT_FOUND

from . import views
from .api import api

# The API authenticates by bearer token (apps/api/auth.py), never by the session: Django's
# LoginRequiredMiddleware must not redirect its calls to the login page.
_patterns, _app_name, _namespace = api.urls
for _p in _patterns:
    login_not_required(_p.callback)


@csrf_exempt  # like every API view: no session, so no CSRF
@login_not_required
def unknown_path(request, rest=""):
    """Any other path under /api/v1/ (an unknown operation, an id that is not a number): the API's own
    404 in its error format, not the site's HTML page."""
    return JsonResponse({"detail": NOT_FOUND, "blockers": []}, status=404, json_dumps_params={"ensure_ascii": False})


_patterns = [*_patterns, re_path(r"^(?P<rest>[\s\S]*)$", unknown_path, name="unknown-path")]

# The account's token page (a web page, with the session like every other page).
token_patterns = [
    path("", views.token_list, name="token_list"),
    path("<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]

urlpatterns = [
    path("api/v1/", (_patterns, _app_name, _namespace)),
    path("accounts/tokens/", include((token_patterns, "tokens"))),
]
