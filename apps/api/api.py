"""The JSON API v1 (../API.md): one NinjaAPI, one router per app (`apps/<app>/api.py` defines `router`),
every endpoint a thin layer over the app's action functions and `visible_to(user)` querysets.

Errors all have the shape `{"detail": "<one Chinese sentence>", "blockers": [...]}`:
400 malformed JSON or wrong types · 401 no/invalid token · 403 the role may not · 404 not found or out
of scope · 409 Conflict · 422 ActionError (a rule refuses; `blockers` name the rules)."""

from __future__ import annotations

from importlib import import_module

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from apps.core.actions import ActionError, Conflict
from apps.core.fetch import NOT_FOUND

from .auth import BearerToken

# The routers mounted at /api/v1/, in the order the docs list them. An app joins by adding its module here.
ROUTERS = [
    "apps.accounts.api",
    "apps.workdays.api",
    "apps.notices.api",
    "apps.commendations.api",
]

api = NinjaAPI(
    title="共产党员示范行动管理系统 API",
    version="1",
    description="各环节与网页使用同一套业务规则、权限范围和审计日志。认证：`Authorization: Bearer <令牌>`（在“我的账号 → 接口令牌”创建）。",
    auth=BearerToken(),
    urls_namespace="api",
)


def error(request, status: int, detail: str, blockers: list[str] | None = None):
    return api.create_response(request, {"detail": detail, "blockers": blockers or []}, status=status)


def _field_path(loc) -> str:
    return ".".join(str(p) for p in loc if p not in ("body", "payload", "query", "path"))


@api.exception_handler(SchemaError)
def schema_error(request, exc: SchemaError):
    reasons = []
    for e in exc.errors:
        where = _field_path(e.get("loc", ()))
        reasons.append(f"{where}：{e.get('msg', '格式错误')}" if where else e.get("msg", "格式错误"))
    return error(request, 400, "请求格式错误：请检查 JSON 语法、字段名称和类型。", reasons)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return error(request, 401, "缺少有效的接口令牌（Authorization: Bearer <令牌>），或令牌已过期、已撤销。")


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return error(request, 403, str(exc) or "您的角色不能执行此操作。")


@api.exception_handler(Http404)
def not_found(request, exc):
    return error(request, 404, NOT_FOUND)


@api.exception_handler(ObjectDoesNotExist)
def does_not_exist(request, exc):
    return error(request, 404, NOT_FOUND)


@api.exception_handler(Conflict)
def conflict(request, exc: Conflict):
    return error(request, 409, exc.blockers[0] if exc.blockers else "状态已变化，请刷新后重试。", exc.blockers)


@api.exception_handler(ActionError)
def refused(request, exc: ActionError):
    return error(request, 422, "操作未执行：" + "；".join(exc.blockers), exc.blockers)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return error(request, exc.status_code, str(exc))


for _name in ROUTERS:
    api.add_router("", import_module(_name).router)
