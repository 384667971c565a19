from django.contrib.auth.decorators import login_not_required
from django.urls import path

from .api import api

# The API authenticates by bearer token (apps/api/auth.py), never by the session: Django's
# LoginRequiredMiddleware must not redirect its calls to the login page.
_patterns, _app_name, _namespace = api.urls
for _p in _patterns:
    login_not_required(_p.callback)

urlpatterns = [path("api/v1/", (_patterns, _app_name, _namespace))]
