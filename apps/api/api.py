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
from ninja.renderers import JSONRenderer

from apps.core.actions import ActionError, Conflict
from apps.core.fetch import NOT_FOUND

from .auth import BearerToken
from .schemas import Error

# The routers mounted at /api/v1/, in the order the docs list them. An app joins by adding its module here.
ROUTERS = [
    "apps.accounts.api",
    "apps.orgs.api",
    "apps.campaigns.api",
    "apps.audit.api",
    "apps.meetings.api",
    "apps.nominations.api",
    "apps.workdays.api",
    "apps.notices.api",
    "apps.commendations.api",
    "apps.villages.api",
    "apps.papers.api",
    "apps.oversight.api",
]


class ReadableJSON(JSONRenderer):
    """UTF-8 JSON with Chinese text as it is, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


# Every operation may answer with these: the exception handlers below produce them, whatever the endpoint.
ERROR_STATUSES = {
    400: "请求格式错误（JSON 语法、字段名称或类型）",
    401: "缺少有效的接口令牌",
    403: "角色无权执行此操作",
    404: "不存在，或不在您的权限范围内",
    409: "状态已变化、已使用或已处理",
    422: "业务规则不允许（blockers 列出原因）",
}


class Api(NinjaAPI):
    """The NinjaAPI whose OpenAPI schema documents the error responses of every operation (the error handlers
    answer them for any endpoint), so that clients and schema-driven tests know every status code it can send."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("Error", Error.model_json_schema(ref_template="#/components/schemas/{model}"))
        error_body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                declared = {int(code) for code in responses if str(code).isdigit()}
                for status, description in ERROR_STATUSES.items():
                    if status == 401 and not operation.get("security"):
                        continue  # a public operation never asks for a token
                    if status not in declared:
                        responses[status] = {"description": description, "content": error_body}
        return schema


api = Api(
    renderer=ReadableJSON(),
    title="共产党员示范行动管理系统 API",
    version="1",
    description="各环节与网页使用同一套业务规则、权限范围和审计日志。认证：`Authorization: Bearer <令牌>`（登录后在页面右上角“接口令牌”即 /accounts/tokens/ 创建，或 `manage.py create_api_token 用户名`）。错误统一为 `{detail, blockers}`。",
    auth=BearerToken(),
    urls_namespace="api",
)


def error(request, status: int, detail: str, blockers: list[str] | None = None):
    return api.create_response(request, {"detail": detail, "blockers": blockers or []}, status=status)


def _field_path(loc) -> str:
    return ".".join(str(p) for p in loc if p not in ("body", "payload", "query", "path"))


# Pydantic's error types in Chinese; anything else keeps pydantic's own sentence.
_SCHEMA_MESSAGES = {
    "missing": "缺少此字段",
    "extra_forbidden": "不应有此字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字，如 10 或 12.5",
    "decimal_type": "应为数字，如 10 或 12.5",
    "finite_number": "应为有限的数字",
    "string_type": "应为文本",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "date_type": "应为日期 YYYY-MM-DD",
    "datetime_parsing": "应为时间 YYYY-MM-DDTHH:MM:SS+08:00 或日期 YYYY-MM-DD",
    "datetime_from_date_parsing": "应为时间 YYYY-MM-DDTHH:MM:SS+08:00 或日期 YYYY-MM-DD",
    "datetime_type": "应为时间 YYYY-MM-DDTHH:MM:SS+08:00",
    "list_type": "应为数组",
    "dict_type": "应为对象",
    "model_attributes_type": "应为 JSON 对象",
    "model_type": "应为 JSON 对象",
}


def _schema_message(e: dict) -> str:
    kind, ctx = e.get("type", ""), e.get("ctx") or {}
    if kind in _SCHEMA_MESSAGES:
        return _SCHEMA_MESSAGES[kind]
    if kind in ("enum", "literal_error"):
        return f"取值应为 {ctx.get('expected', '')}".strip()
    if kind == "string_too_short":
        return "不能为空" if ctx.get("min_length") == 1 else f"至少 {ctx.get('min_length')} 个字符"
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字符"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        op = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
        limit = next((v for k, v in ctx.items() if k in ("ge", "gt", "le", "lt")), "")
        return f"应 {op} {limit}"
    return str(e.get("msg", "格式错误")).removeprefix("Value error, ")


@api.exception_handler(SchemaError)
def schema_error(request, exc: SchemaError):
    reasons = []
    for e in exc.errors:
        where = _field_path(e.get("loc", ()))
        reasons.append(f"{where}：{_schema_message(e)}" if where else _schema_message(e))
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
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return error(request, 400, "请求格式错误：请求体不是有效的 JSON。")
    return error(request, exc.status_code, str(exc))


for _name in ROUTERS:
    api.add_router("", import_module(_name).router)
