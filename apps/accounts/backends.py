"""Django's password backend, with the user's organization read in the same query as the user: every signed-in
page shows it in the navigation bar, and the scope starts from it (one query less per request).

That query runs on every signed-in request, so its SQL is compiled once per database (apps/core/compiled.py)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from apps.core.compiled import CompiledQuery

from .sessions import read_with_session

_signed_in_user = CompiledQuery(lambda pk: get_user_model()._default_manager.select_related("organization").filter(pk=pk))


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        # `user_id` comes from django.contrib.auth, already turned into the primary key's type. A request's
        # session has usually read its user already (apps/accounts/sessions.py).
        user = read_with_session(user_id) or _signed_in_user.first(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
