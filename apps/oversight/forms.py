from decimal import Decimal

from django import forms

from apps.core.forms import StyledFormMixin
from apps.orgs.models import Organization

from .models import AssessmentItem, AssessmentSource
from .progress import BRANCH_LEVELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ITEM_ROWS = 3


class VisitForm(StyledFormMixin, forms.Form):
    org = forms.ModelChoiceField(label="检查的党组织", queryset=Organization.objects.none())
    date = forms.DateField(label="检查日期", widget=DATE)
    inspectors = forms.CharField(label="检查人员", max_length=200, help_text="姓名，以顿号分隔")
    findings = forms.CharField(label="发现的问题", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = (
            Organization.objects.visible_to(user).filter(path__startswith=campaign.town.path, level__in=BRANCH_LEVELS).order_by("path")
        )
        for i in range(1, ITEM_ROWS + 1):
            self.fields[f"item_{i}"] = forms.CharField(
                label=f"整改事项 {i}", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"owner_{i}"] = forms.CharField(label=f"责任人 {i}", required=False, max_length=40)
            self.fields[f"due_{i}"] = forms.DateField(label=f"整改期限 {i}", required=False, widget=DATE)

    def items(self) -> list[dict]:
        """The filled item rows (a row with any field filled counts; the action checks it is complete)."""
        d = self.cleaned_data
        rows = []
        for i in range(1, ITEM_ROWS + 1):
            item, owner, due = d.get(f"item_{i}", ""), d.get(f"owner_{i}", ""), d.get(f"due_{i}")
            if item or owner or due:
                rows.append({"item": item, "owner": owner, "due_on": due})
        return rows


class RectificationForm(StyledFormMixin, forms.Form):
    item = forms.CharField(label="整改事项", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label="责任人", max_length=40)
    due_on = forms.DateField(label="整改期限", widget=DATE)


class CloseForm(StyledFormMixin, forms.Form):
    evidence = forms.CharField(label="整改情况（销号依据）", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    closed_on = forms.DateField(label="销号日期", widget=DATE)


class AssessmentItemForm(StyledFormMixin, forms.Form):
    order = forms.IntegerField(label="序号", min_value=1, max_value=99)
    name = forms.CharField(label="考核项目", max_length=60)
    source = forms.ChoiceField(label="评分依据", choices=AssessmentSource.choices)
    weight = forms.DecimalField(label="权重（分值）", max_digits=6, decimal_places=2, min_value=Decimal("0.01"))


class ManualScoreForm(StyledFormMixin, forms.Form):
    item = forms.ModelChoiceField(label="考核项目", queryset=AssessmentItem.objects.none())
    org = forms.ModelChoiceField(label="党组织", queryset=Organization.objects.none())
    score = forms.DecimalField(label="得分（0–100）", max_digits=5, decimal_places=2, min_value=0, max_value=100)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = AssessmentItem.objects.filter(campaign=campaign, source=AssessmentSource.MANUAL)
        self.fields["org"].queryset = (
            Organization.objects.visible_to(user).filter(path__startswith=campaign.town.path, level__in=BRANCH_LEVELS).order_by("path")
        )
