"""API: organizations, members and appraisals (API.md "Read" and "Write: the organization, its members").

Thin: every write is the action the pages call (apps/orgs/actions.py), every read a `visible_to` queryset."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field, field_validator

from apps.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, errors, text
from apps.core.fetch import fetch
from apps.core.idcard import normalize_id

from . import actions
from .choices import Category, Education, Gender, Grade, MemberStatus, OrgKind, OrgLevel
from .models import Member, Organization

router = Router(tags=["党组织与党员"])

Name = text(40, min_length=1)
OrgName = text(100, min_length=1)
Short = text(100)


# --- organizations -----------------------------------------------------------------------------------------------


class OrgOut(Schema):
    id: int
    name: str
    level: OrgLevel
    kind: OrgKind
    parent_id: int | None
    formal_members: int = Field(description="本组织直接编入的在册正式党员人数（不含下级组织）")
    probationary_members: int = Field(description="本组织直接编入的在册预备党员人数（不含下级组织）")
    is_active: bool


class OrgFilter(Schema):
    parent_id: Id | None = Field(None, description="只列出该组织的直接下级")
    level: OrgLevel | None = None
    kind: OrgKind | None = None


class OrgIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "青石村党支部", "level": "branch", "kind": "village", "parent_id": 2}]}
    )

    name: OrgName
    level: OrgLevel
    kind: OrgKind
    parent_id: Id | None = Field(None, description="上级党组织；只有系统管理员可以不填（设立县委）")
    short_name: text(40) = ""
    secretary_name: text(40) = ""
    contact_phone: text(30) = ""


def _with_counts(orgs):
    active = Q(members__status=MemberStatus.ACTIVE)
    return orgs.annotate(
        formal_members=Count("members", filter=active & Q(members__category=Category.FORMAL)),
        probationary_members=Count("members", filter=active & Q(members__category=Category.PROBATIONARY)),
    )


@router.get("orgs", response={200: list[OrgOut], **READ_ERRORS}, summary="可见的党组织及其党员人数")
def list_orgs(request, filters: Query[OrgFilter]):
    orgs = Organization.objects.visible_to(request.auth)
    if filters.parent_id is not None:
        orgs = orgs.filter(parent_id=filters.parent_id)
    if filters.level is not None:
        orgs = orgs.filter(level=filters.level)
    if filters.kind is not None:
        orgs = orgs.filter(kind=filters.kind)
    return _with_counts(orgs).order_by("path")


@router.post("orgs", response={201: OrgOut, **WRITE_ERRORS}, summary="新建党组织")
def create_org(request, payload: OrgIn):
    parent = fetch(request.auth, Organization.objects, pk=payload.parent_id) if payload.parent_id is not None else None
    data = payload.dict(exclude={"parent_id"}) | {"parent": parent}
    org = actions.create_organization(request.auth, data)
    return Status(201, _with_counts(Organization.objects.filter(pk=org.pk)).get())


# --- members -----------------------------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    name: str
    category: Category
    status: MemberStatus
    branch_id: int
    post: str


class MemberFilter(Schema):
    org_id: Id | None = Field(None, description="该党组织及其下级组织的党员；不填为可见的全部党员")
    status: MemberStatus | None = None
    category: Category | None = None
    offset: int = Field(0, ge=0, le=10_000_000)
    limit: int = Field(1000, ge=1, le=5000, description="每次最多返回的条数（按所在组织、姓名排序）")


def may_see_members(user) -> bool:
    """Everybody who works with member records; an inspector works on villages only (as on the member list page)."""
    return not user.is_inspector


@router.get("members", response={200: list[MemberOut], **READ_ERRORS}, summary="党员名单（不含身份证号、电话）")
def list_members(request, filters: Query[MemberFilter]):
    user = request.auth
    members = Member.objects.visible_to(user)
    if filters.org_id is not None:
        org = fetch(user, Organization.objects, may=may_see_members, denied="您的角色不能查看党员名单。", pk=filters.org_id)
        members = members.under(org)
    elif not may_see_members(user):
        raise PermissionDenied("您的角色不能查看党员名单。")
    if filters.status is not None:
        members = members.filter(status=filters.status)
    if filters.category is not None:
        members = members.filter(category=filters.category)
    rows = members.order_by("branch__path", "name", "pk").values("id", "name", "category", "status", "branch_id", "post")
    return list(rows[filters.offset : filters.offset + filters.limit])


class MemberIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "吴新",
                    "gender": "男",
                    "id_number": "369901198811020278",
                    "birth_date": "1988-11-02",
                    "category": "formal",
                    "joined_on": "2012-07-01",
                    "confirmed_on": "2013-07-01",
                    "branch_id": 5,
                    "post": "村民小组长",
                }
            ]
        }
    )

    name: Name
    gender: Gender
    id_number: text(40, min_length=1)
    birth_date: dt.date
    category: Category
    joined_on: dt.date
    confirmed_on: dt.date | None = None
    branch_id: Id
    post: Short = ""
    phone: text(30) = ""
    education: Education | None = None
    ethnicity: text(20) = "汉族"

    @field_validator("name")
    @classmethod
    def _one_space(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("id_number")
    @classmethod
    def _normalize_id(cls, value: str) -> str:
        return normalize_id(value)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        phone = normalize_id(value).replace("-", "")
        if phone and not phone.isdigit():
            raise ValueError("联系电话只能包含数字")
        if phone and not 7 <= len(phone) <= 12:
            raise ValueError("联系电话长度不正确")
        return phone


class MemberCreated(Schema):
    id: int
    name: str
    gender: Gender
    id_number: str = Field(description="脱敏，如 369901********1234")
    phone: str = Field(description="脱敏")
    category: Category
    status: MemberStatus
    joined_on: dt.date | None
    confirmed_on: dt.date | None
    branch_id: int
    post: str
    education: str
    ethnicity: str


@router.post("members", response={201: MemberCreated, **WRITE_ERRORS}, summary="新增党员（与花名册导入同样的校验）")
def create_member(request, payload: MemberIn):
    branch = fetch(request.auth, Organization.objects, pk=payload.branch_id)
    data = payload.dict(exclude={"branch_id"}) | {"branch": branch, "education": payload.education or ""}
    member = actions.create_member(request.auth, data)
    fields = ("id", "name", "gender", "category", "status", "joined_on", "confirmed_on", "branch_id", "post", "education", "ethnicity")
    return Status(201, {f: getattr(member, f) for f in fields} | {"id_number": member.masked_id, "phone": member.masked_phone})


# --- appraisals --------------------------------------------------------------------------------------------------


class AppraisalIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"grade": "qualified"}]})

    grade: Grade = Field(description="excellent 优秀 / qualified 合格 / basic 基本合格 / unqualified 不合格")
    note: text(200) = ""


class AppraisalOut(Schema):
    member_id: int
    year: int
    grade: Grade
    note: str


@router.put(
    "members/{id}/appraisals/{year}",
    response={200: AppraisalOut, **errors(400, 403, 404, 422)},
    summary="录入或更正民主评议等次",
)
def put_appraisal(request, id: Id, year: int, payload: AppraisalIn):
    member = fetch(request.auth, Member.objects, may=lambda u: u.manages_members, denied="您的角色不能录入民主评议结果。", pk=id)
    appraisal = actions.record_appraisal(request.auth, member, year, payload.grade, payload.note)
    return {"member_id": member.pk, "year": appraisal.year, "grade": appraisal.grade, "note": appraisal.note}
