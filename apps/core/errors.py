"""Error pages in Chinese, inside the site's layout."""

from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "core/error.html", {"code": 404, "title": "未找到", "text": "未找到该页面或记录，或您无权查看。"}, status=404)


def forbidden(request, exception=None):
    text = str(exception) if exception and str(exception) else "您没有执行此操作的权限。"
    return render(request, "core/error.html", {"code": 403, "title": "无权操作", "text": text}, status=403)


def bad_request(request, exception=None):
    return render(request, "core/error.html", {"code": 400, "title": "请求有误", "text": "请求的内容不正确，请返回重试。"}, status=400)


def server_error(request):
    return render(request, "core/error.html", {"code": 500, "title": "系统错误", "text": "系统出现错误，已记录，请稍后重试。"}, status=500)


def csrf_failure(request, reason=""):
    return render(
        request,
        "core/error.html",
        {"code": 403, "title": "请求已过期", "text": "页面已过期或来源不明（CSRF 校验失败），请刷新页面后重试。"},
        status=403,
    )
