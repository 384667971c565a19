from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from . import views
from .api import api

# The API authenticates by bearer token (apps/api/auth.py), never by the session: Django's
# LoginRequiredMiddleware must not redirect its calls to the login page.
_patterns, _app_name, _namespace = api.urls
for _p in _patterns:
    login_not_required(_p.callback)

# The account's token page (a web page, with the session like every other page).
token_patterns = [
    path("", views.token_list, name="token_list"),
    path("<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]

urlpatterns = [
    path("api/v1/", (_patterns, _app_name, _namespace)),
    path("accounts/tokens/", include((token_patterns, "tokens"))),
]
