"""The upload form. The file field comes last: an upload stopped at the size limit keeps the fields before it."""

from __future__ import annotations

from django import forms
from django.conf import settings

from apps.core import clock
from apps.core.forms import StyledFormMixin
from apps.orgs.models import Organization
from apps.orgs.rules import validate_appraisal_year

from .choices import ImportKind


class UploadForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="导入内容", choices=ImportKind.choices, initial=ImportKind.MEMBERS)
    scope = forms.ModelChoiceField(
        label="导入范围",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="我管理的全部党组织",
        help_text="文件只含一个党支部时请选该支部：“可能已转出”只在所选范围内比对。",
    )
    year = forms.IntegerField(
        label="评议年度",
        required=False,
        validators=[validate_appraisal_year],
        help_text="仅导入民主评议结果、且文件中没有“评议年度”列时填写",
    )
    file = forms.FileField(
        label="文件",
        help_text=f"Excel 工作簿（.xlsx）或 CSV（UTF-8 或 GBK 编码），不超过 {settings.ROSTER_MAX_BYTES // 1024 // 1024} MB、"
        f"{settings.ROSTER_MAX_ROWS} 行",
        error_messages={"empty": "文件是空的（0 字节），请检查后重新选择文件。", "invalid": "请选择要上传的文件。"},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = Organization.objects.visible_to(user).filter(is_active=True).exclude(level="county")
        self.fields["year"].initial = clock.today().year - 1
        if user.is_branch_secretary:
            self.fields["scope"].empty_label = None
