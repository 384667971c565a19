"""Page rows: the account's API token page (apps/api/views.py)."""

from apps.api.actions import create_api_token

from ..matrix import Case, expect


def own_token(w, user):
    """A token of the requesting user (anonymous: the office's, to be sent to the login page)."""
    return {"pk": create_api_token(user or w.office, name="自己的")[0].pk}


def office_token(w, user):
    return {"pk": create_api_token(w.office, name="党建办的")[0].pk}


CASES = [
    Case("tokens:token_list", "own tokens", expect(200)),
    Case("tokens:token_list", "create (blank form)", expect(200), method="post"),
    Case("tokens:token_revoke", "revoke by GET", expect(405), kwargs=own_token),
    Case("tokens:token_revoke", "own token", expect(302), kwargs=own_token, method="post"),
    # Somebody else's token is not on anybody else's page, an administrator's included.
    Case(
        "tokens:token_revoke",
        "the office's token",
        expect(404, office=302),
        kwargs=office_token,
        method="post",
        secret=lambda w: "党建办的",
    ),
]
