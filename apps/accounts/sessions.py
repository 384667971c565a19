"""The session engine (SESSION_ENGINE "apps.accounts.sessions"): Django's database sessions, kept in
`UserSession`, whose `user` column is written from the session's data whenever it is saved.

A signed-in request reads its session with its user and the user's organization in one query, compiled once per
database (apps/core/compiled.py), and with them the audit chain's head, which a read-only request keeps its values
under (apps.audit.chain.head_read_once). `SignedInUserMiddleware` (apps/accounts/middleware.py) hands that user to
Django's `auth.get_user`, which checks it exactly as it checks a user read on its own: the backend path, the
account being active (`AccountBackend`) and the session's password hash. Before, the session and the user were
two reads, so every signed-in page cost one database round trip more. A read-only request reads with them the kept
values its page used last time (apps/audit/ahead.py), another round trip less."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.db import router
from django.utils import timezone

from apps.audit import ahead
from apps.audit.chain import head_columns, mark_of
from apps.core.compiled import CompiledQuery

# Values about the signed-in user read with the session, by name: each app that owns one registers it in its
# AppConfig.ready() (`user_value`), before the first request compiles the query. A value every signed-in page shows
# (the unread reminders in the navigation, apps/oversight) then costs no query of its own.
_USER_VALUES: dict[str, Callable[[], object]] = {}


def user_value(name: str, expression: Callable[[], object]) -> None:
    """Read `expression()` (a query expression over the session's columns, e.g. a subquery on `OuterRef("user_id")`)
    with every signed-in request's session; the user read with it carries the value as the attribute `name`. Code
    that reads it must not count on it: a user read otherwise (an API token, a test) has no such attribute."""
    _USER_VALUES[name] = expression


def _session_with_user(key, bundle=None):
    from .models import UserSession

    # The audit head too: the mark a read-only request keeps its values under (apps/audit/chain.py).
    values = {**head_columns(), **{name: expression() for name, expression in _USER_VALUES.items()}}
    if bundle is not None:  # and the page's kept values (apps/audit/ahead.py)
        values.update(ahead.session_column())
    return UserSession.objects.select_related("user__organization").annotate(**values).filter(session_key=key)


# A session key is at least 8 characters of [a-z0-9] (SessionBase._validate_session_key): no session has this one.
NO_SESSION = "-no-such-session-"
_with_user = CompiledQuery(_session_with_user, probe=NO_SESSION)
# With the page's bundle of kept values: its key comes first among the SQL's parameters (a column of the SELECT).
_with_user_and_bundle = CompiledQuery(lambda bundle, key: _session_with_user(key, bundle), probes=(ahead.PROBE, NO_SESSION))


class SessionStore(db.SessionStore):
    #: The user read with the session (None when it has none, or it was not read from the database).
    read_user = None
    #: The audit head's mark read with the session (apps.audit.chain.head_read_once), or None.
    head_mark = None
    #: The page the request asks for (apps.audit.ahead.page_of), set before the session is read, or None: its bundle
    #: of kept values is then read with the session.
    kept_page = None
    #: That bundle's key and entries, read with the session (apps.audit.memo.ReadOnlyRequest), or None.
    kept_ahead_key = None
    kept_ahead = None

    @classmethod
    def get_model_class(cls):
        from .models import UserSession

        return UserSession

    def _get_session_from_db(self):
        using = router.db_for_read(self.model)
        bundle = None
        if self.kept_page is not None and ahead.enabled():
            bundle = ahead.bundle_key(self.session_key, self.kept_page)
            session = _with_user_and_bundle.first(bundle, self.session_key, using=using)
        else:
            session = _with_user.first(self.session_key, using=using)
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        if bundle is not None:
            self.kept_ahead_key, self.kept_ahead = bundle, ahead.unpack(session.kept_ahead)
        self.read_user = session.user
        if session.user is not None:
            for name in _USER_VALUES:
                setattr(session.user, name, getattr(session, name))
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
