from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from apps.core.views_helpers import run_form

from . import actions
from .forms import LoginForm, PasswordForm, UserForm


class Login(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            from apps.demo.accounts import DEMO_ACCOUNTS
            from apps.orgs.choices import OrgLevel
            from apps.orgs.models import Organization

            context["demo_accounts"] = DEMO_ACCOUNTS
            # The towns' public homes (no login needed): where a visitor reads a running 公示.
            context["demo_towns"] = (
                Organization.objects.filter(level=OrgLevel.TOWN, is_active=True).order_by("path").values("pk", "short_name")
            )
        return context


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this instead of logging in while the account + client pair is locked."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(
        request, "accounts/login.html", {"form": LoginForm(request), "locked": f"登录失败次数过多，请 {minutes} 分钟后再试。"}, status=429
    )


def _managed_or_404(request, pk):
    user = actions.manageable_users(request.user).filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def user_list(request):
    if not (request.user.is_admin_role or request.user.is_town_office):
        raise PermissionDenied
    users = actions.manageable_users(request.user).select_related("organization").order_by("role", "organization__path", "username")
    return render(request, "accounts/user_list.html", {"users": users})


def user_form(request, pk: int | None = None):
    if not (request.user.is_admin_role or request.user.is_town_office):
        raise PermissionDenied
    target = _managed_or_404(request, pk) if pk else None
    form = UserForm(request.POST or None, instance=target, actor=request.user)

    def save(data):
        return actions.update_user(request.user, target, data) if target else actions.create_user(request.user, data, data["password"])

    done = run_form(request, form, save, success=lambda u: f"已保存账号“{u.username}”。", redirect_to="accounts:user_list")
    return done or render(request, "accounts/user_form.html", {"form": form, "target": target})


def password_reset(request, pk: int):
    target = request.user if pk == request.user.pk else _managed_or_404(request, pk)
    form = PasswordForm(request.POST or None, user=target, own=target.pk == request.user.pk)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reset_password(request.user, target, form.cleaned_data["password1"])
        except ValidationError as exc:
            form.add_error("password1", exc.message_dict.get("password", exc.messages))
        else:
            if target.pk == request.user.pk:
                update_session_auth_hash(request, target)
            messages.success(request, "密码已更新。")
            return redirect("home:index" if target.pk == request.user.pk else "accounts:user_list")
    return render(request, "accounts/password_form.html", {"form": form, "target": target})
