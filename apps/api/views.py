"""The account's API tokens page: list own tokens, create one (shown once, on this response only), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.core.views_helpers import apply_errors

from .actions import create_api_token, revoke_api_token
from .forms import TokenForm
from .models import ApiToken


def token_list(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            row, token = create_api_token(request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # Rendered, not redirected: the token is never stored, so this response is the only place it appears.
            created = {"row": row, "token": token}
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "api/token_list.html", {"form": form, "tokens": tokens, "created": created})


@require_POST
def token_revoke(request, pk: int):
    token = ApiToken.objects.filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404("未找到该令牌。")
    try:
        revoke_api_token(request.user, token)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已撤销令牌“{token.name}”（尾号 {token.hint}）。")
    return redirect("tokens:token_list")
