"""API rows: organizations, members, appraisals."""

import datetime as dt

from apps.core.idcard import make_id

from ..matrix import Op, api_expect

APPRAISAL = "/api/v1/members/{id}/appraisals/{year}"


def new_branch(parent_attr):
    return lambda w: {"name": "新建党支部", "level": "branch", "kind": "community", "parent_id": getattr(w, parent_attr).pk}


def new_member(w):
    birth = dt.date(1991, 3, 9)
    return {
        "name": "周新",
        "gender": "男",
        "id_number": make_id("369901", birth, 11),
        "birth_date": birth.isoformat(),
        "category": "formal",
        "joined_on": "2015-07-01",
        "confirmed_on": "2016-07-01",
        "branch_id": w.village.pk,
    }


def appraisal(attr):
    return lambda w: {"id": getattr(w, attr).pk, "year": w.campaign.appraisal_year}


OPS = [
    Op("get", "/api/v1/orgs", api_expect(200)),
    Op(
        "post",
        "/api/v1/orgs",
        api_expect(404, admin=201, office=201, approver=403, county_user=403),
        body=new_branch("town"),
        label="[under this town]",
    ),
    Op(
        "post",
        "/api/v1/orgs",
        api_expect(404, admin=201, county_user=403, other_office=201),
        body=new_branch("other_town"),
        label="[under the other town]",
    ),
    Op("get", "/api/v1/members", api_expect(200, inspector=403)),
    Op(
        "get",
        "/api/v1/members",
        api_expect(200, secretary2=404, inspector=403, other_office=404),
        query=lambda w: {"org_id": w.village.pk},
        label="[东岭村]",
    ),
    Op(
        "get",
        "/api/v1/members",
        api_expect(404, admin=200, county_user=200, other_office=200),
        query=lambda w: {"org_id": w.far_village.pk},
        label="[the other town's village]",
    ),
    Op(
        "post",
        "/api/v1/members",
        api_expect(403, admin=201, office=201, secretary=201, secretary2=404, other_office=404),
        body=new_member,
        label="[into 东岭村]",
    ),
    Op(
        "put",
        APPRAISAL,
        api_expect(200, approver=403, secretary2=404, inspector=404, county_user=403, other_office=404),
        params=appraisal("member"),
        body=lambda w: {"grade": "qualified"},
        label="[member of 东岭村]",
    ),
    Op(
        "put",
        APPRAISAL,
        api_expect(404, admin=200, county_user=403, other_office=200),
        params=appraisal("far_member"),
        body=lambda w: {"grade": "qualified"},
        label="[member of the other town]",
    ),
]
