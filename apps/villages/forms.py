"""Forms of the 示范村 pages; the rules live in actions.py, the forms only shape the input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms

from .choices import Conclusion, FollowUpOutcome, ReviewConclusion

DATE = forms.DateInput(attrs={"type": "date"})
ISO_DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})  # a date input shows only an ISO initial value


class DesignationForm(forms.Form):
    orgs = forms.ModelMultipleChoiceField(label="候选村党组织", queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orgs"].queryset = villages
        self.fields["orgs"].error_messages["invalid_choice"] = "所选党组织不在本镇村党组织中。"


class GroupForm(forms.Form):
    name = forms.CharField(label="督查组名称", max_length=60, initial="党建调研督查组")
    leader = forms.ModelChoiceField(label="组长", queryset=None)
    members = forms.ModelMultipleChoiceField(label="成员", queryset=None, required=False, widget=forms.CheckboxSelectMultiple)
    candidates = forms.ModelMultipleChoiceField(label="考察村", queryset=None, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, inspectors=None, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = inspectors
        self.fields["members"].queryset = inspectors
        self.fields["candidates"].queryset = candidates
        self.fields["candidates"].label_from_instance = lambda c: str(c.org)

    def action_data(self) -> dict:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "leader_user_id": d["leader"].pk,
            "member_user_ids": [u.pk for u in d["members"]],
            "village_candidate_ids": [c.pk for c in d["candidates"]],
        }


class ScaleForm(forms.Form):
    max_score = forms.IntegerField(label="每项标准满分", min_value=1, max_value=1000)


class InspectionForm(forms.Form):
    visit_dates = forms.CharField(label="考察日期", help_text="一天或几天，用逗号分隔，如 2026-05-20, 2026-05-21", max_length=400)
    people_met = forms.CharField(label="座谈走访对象", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)
    conclusion = forms.ChoiceField(label="考察结论", choices=[("", "（尚未得出）"), *Conclusion.choices], required=False)
    signatures = forms.CharField(
        label="考察组成员签名", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False, help_text="每行一人：姓名 日期"
    )
    report_text = forms.CharField(
        label="考察报告正文",
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=50000,
        required=False,
        help_text="由考察情况和花名册自动生成，定稿前可修改；点“按考察情况重新生成”可覆盖为最新生成的文字",
    )

    def __init__(self, *args, criteria=(), top: int = 20, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"text_{c.order}"] = forms.CharField(
                label="考察情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False, help_text=c.text
            )
            self.fields[f"score_{c.order}"] = forms.DecimalField(
                label=f"得分（0–{top}）", min_value=Decimal(0), max_value=Decimal(top), decimal_places=1, required=False
            )

    def finding_rows(self):
        return [(c, self[f"text_{c.order}"], self[f"score_{c.order}"]) for c in self.criteria]

    def clean_visit_dates(self):
        days = []
        for part in self.cleaned_data["visit_dates"].replace("，", ",").replace("、", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                days.append(dt.date.fromisoformat(part))
            except ValueError:
                raise forms.ValidationError(f"“{part}”不是日期，请按 2026-05-20 的格式填写。") from None
        if not days:
            raise forms.ValidationError("请填写考察日期。")
        return days

    def clean(self):
        data = super().clean()
        for c in self.criteria:
            text, score = data.get(f"text_{c.order}"), data.get(f"score_{c.order}")
            if text and score is None and f"score_{c.order}" not in self.errors:
                self.add_error(f"score_{c.order}", "填写了考察情况，请同时给出得分。")
        return data

    def action_data(self) -> dict:
        d = self.cleaned_data
        findings = [
            {"criterion_order": c.order, "text": d.get(f"text_{c.order}") or "", "score": d[f"score_{c.order}"]}
            for c in self.criteria
            if d.get(f"score_{c.order}") is not None
        ]
        return {
            "visit_dates": d["visit_dates"],
            "people_met": d["people_met"],
            "findings": findings,
            "conclusion": d["conclusion"],
            "signatures": d["signatures"],
            "report_text": d["report_text"],
        }


class EvidenceForm(forms.Form):
    file = forms.FileField(label="佐证材料（照片、PDF、扫描件）", help_text="JPEG、PNG 或 PDF；照片上传时去除拍摄位置等 EXIF 信息")


class ReopenForm(forms.Form):
    reason = forms.CharField(label="退回修改原因", max_length=500)


class DecisionForm(forms.Form):
    approved = forms.TypedChoiceField(
        label="审定意见",
        choices=[("1", "批准命名为共产党员示范村"), ("0", "暂不批准")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    date = forms.DateField(label="审定日期", widget=DATE)
    note = forms.CharField(label="意见说明", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False)
    plaque_no = forms.CharField(label="牌匾编号", max_length=40, required=False, help_text="批准并已授牌时填写；也可稍后登记")
    plaque_date = forms.DateField(label="授牌日期", widget=DATE, required=False)


class PlaqueForm(forms.Form):
    plaque_no = forms.CharField(label="牌匾编号", max_length=40)
    plaque_date = forms.DateField(label="授牌日期", widget=DATE)


class RevokeForm(forms.Form):
    date = forms.DateField(label="摘牌日期", widget=forms.DateInput(attrs={"type": "date", "aria-label": "摘牌日期"}))
    reason = forms.CharField(
        label="摘牌原因", max_length=500, widget=forms.TextInput(attrs={"aria-label": "摘牌原因", "placeholder": "摘牌原因"})
    )


class ReviewForm(forms.Form):
    """年度复核 of one plaque; 摘牌 is offered only to whoever may withdraw the plaque."""

    year = forms.IntegerField(label="复查年度", min_value=2000, max_value=2100)
    date = forms.DateField(label="复查日期", widget=ISO_DATE)
    reviewers = forms.CharField(label="复查人员", max_length=200, help_text="姓名，多人用顿号分隔")
    findings = forms.CharField(label="复查情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    conclusion = forms.ChoiceField(label="复查结论", choices=ReviewConclusion.choices, widget=forms.RadioSelect)
    due_date = forms.DateField(label="整改期限", widget=ISO_DATE, required=False, help_text="结论为“限期整改”时必填")

    def __init__(self, *args, may_revoke: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_revoke:
            self.fields["conclusion"].choices = [c for c in ReviewConclusion.choices if c[0] != ReviewConclusion.REVOKE]
            self.fields["conclusion"].help_text = "摘牌由授予单位决定（示范村：县委组织部；示范岗：镇党委）"


class FollowUpForm(forms.Form):
    """The follow-up conclusion of a 限期整改."""

    outcome = forms.ChoiceField(label="整改复查结论", choices=FollowUpOutcome.choices, widget=forms.RadioSelect)
    date = forms.DateField(label="整改复查日期", widget=ISO_DATE)
    note = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, may_revoke: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_revoke:
            self.fields["outcome"].choices = [c for c in FollowUpOutcome.choices if c[0] != FollowUpOutcome.REVOKE]


class SelfAssessmentForm(forms.Form):
    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"text_{c.order}"] = forms.CharField(
                label=f"标准{c}", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False, help_text=c.text
            )

    def texts(self) -> dict[int, str]:
        return {c.order: self.cleaned_data.get(f"text_{c.order}") or "" for c in self.criteria}
