"""The session engine (SESSION_ENGINE "apps.accounts.sessions"): Django's database sessions, kept in
`UserSession`, whose `user` column is written from the session's data whenever it is saved.

A signed-in request reads its session with its user and the user's organization in one query, compiled once per
database (apps/core/compiled.py), and with them the audit chain's head, which a read-only request keeps its values
under (apps.audit.chain.head_read_once). `SignedInUserMiddleware` (apps/accounts/middleware.py) hands that user to
Django's `auth.get_user`, which checks it exactly as it checks a user read on its own: the backend path, the
account being active (`AccountBackend`) and the session's password hash. Before, the session and the user were
two reads, so every signed-in page cost one database round trip more."""

from __future__ import annotations

from contextvars import ContextVar

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.db import router
from django.utils import timezone

from apps.audit.chain import head_columns, mark_of
from apps.core.compiled import CompiledQuery


def _session_with_user(key):
    from .models import UserSession

    # The audit head too: the mark a read-only request keeps its values under (apps/audit/chain.py).
    return UserSession.objects.select_related("user__organization").annotate(**head_columns()).filter(session_key=key)


# A session key is at least 8 characters of [a-z0-9] (SessionBase._validate_session_key): no session has this one.
_with_user = CompiledQuery(_session_with_user, probe="-no-such-session-")


class SessionStore(db.SessionStore):
    #: The user read with the session (None when it has none, or it was not read from the database).
    read_user = None
    #: The audit head's mark read with the session (apps.audit.chain.head_read_once), or None.
    head_mark = None

    @classmethod
    def get_model_class(cls):
        from .models import UserSession

        return UserSession

    def _get_session_from_db(self):
        session = _with_user.first(self.session_key, using=router.db_for_read(self.model))
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        self.read_user = session.user
        self.head_mark = mark_of(session.head_seq, session.head_hash)
        return session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        session.user_id = None if user_id is None else get_user_model()._meta.pk.to_python(user_id)
        return session


# The session whose user `auth.get_user` is looking up, while it does (SignedInUserMiddleware).
reading: ContextVar[SessionStore | None] = ContextVar("session_being_signed_in", default=None)


def read_with_session(user_id):
    """The user `user_id` if the session being signed in read it with itself, else None."""
    session = reading.get()
    user = getattr(session, "read_user", None)
    return user if user is not None and user.pk == user_id else None
