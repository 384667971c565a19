"""API rows: accounts."""

from apps.accounts.models import Role

from ..matrix import Op, api_expect


def new_secretary(w):
    return {
        "username": "new_secretary",
        "password": "Dongling-2026-pass",
        "name": "新书记",
        "role": Role.BRANCH_SECRETARY,
        "org_id": w.village.pk,
    }


OPS = [
    Op("get", "/api/v1/me", api_expect(200)),
    Op(
        "post",
        "/api/v1/users",
        api_expect(403, admin=201, office=201, secretary2=404, other_office=404),
        body=new_secretary,
        label="[secretary of 东岭村]",
    ),
]
