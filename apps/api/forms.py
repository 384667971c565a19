from django import forms

from apps.core.forms import StyledFormMixin

from .actions import DEFAULT_DAYS, MAX_DAYS


class TokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="用途", max_length=60, help_text="如：县平台同步、统计脚本")
    days = forms.IntegerField(
        label="有效天数",
        initial=DEFAULT_DAYS,
        min_value=1,
        max_value=MAX_DAYS,
        help_text=f"默认 {DEFAULT_DAYS} 天，最长 {MAX_DAYS} 天",
        error_messages={
            "min_value": "有效天数至少为 1 天。",
            "max_value": f"有效天数不能超过 {MAX_DAYS} 天。",
            "invalid": "请输入整数天数。",
        },
    )
