"""Response headers every page needs."""

from __future__ import annotations


class NoStoreMiddleware:
    """Pages seen after login carry personal data (names, ID numbers, phones): no browser or proxy may
    keep a copy (`Cache-Control: no-store`). Public pages keep whatever caching their views chose."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.headers.get("Authorization"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
