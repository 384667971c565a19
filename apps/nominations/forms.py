from django import forms

from apps.core.forms import StyledFormMixin
from apps.meetings.forms import CriteriaStatementsMixin
from apps.orgs.choices import OrgLevel
from apps.orgs.models import Organization

from .choices import Decision

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProposalForm(StyledFormMixin, forms.Form):
    committee_date = forms.DateField(label="支委会日期", widget=DATE)
    committee_attendees = forms.CharField(
        label="参会支委", max_length=500, widget=forms.Textarea(attrs={"rows": 2}), help_text="姓名，以顿号分隔"
    )
    candidate_ids = forms.TypedMultipleChoiceField(
        label="推荐对象（从党员大会推荐人选中选择，不超过名额）",
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checklist"}),
        choices=(),
    )
    opinion = forms.CharField(label="支部意见", widget=forms.Textarea(attrs={"rows": 3}), help_text="打印在申报表“支部意见”栏")
    publicity_start = forms.DateField(label="支部内公示开始", widget=DATE)
    publicity_end = forms.DateField(label="支部内公示结束", widget=DATE)

    def __init__(self, *args, recommended=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate_ids"].choices = [(c.pk, f"{c.member.name}（{c.post}）") for c in recommended]
        self.fields["candidate_ids"].error_messages["invalid_choice"] = "只能从党员大会推荐人选中选择。"
        self.fields["candidate_ids"].error_messages["required"] = "请至少选择一名推荐对象。"


class DecisionForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(label="审批意见", choices=Decision.choices)
    reason = forms.CharField(label="理由", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ReopeningForm(StyledFormMixin, forms.Form):
    org = forms.ModelChoiceField(label="党组织", queryset=Organization.objects.none())
    until = forms.DateField(label="延期至（含当日）", widget=DATE)
    reason = forms.CharField(label="原因", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = (
            Organization.objects.visible_to(user)
            .filter(path__startswith=campaign.town.path)
            .exclude(pk=campaign.town_id)
            .exclude(level__in=[OrgLevel.COUNTY, OrgLevel.TOWN])
        )


class CorrectionForm(CriteriaStatementsMixin, StyledFormMixin, forms.Form):
    """What the 申报表 prints for one nomination: post, main deeds, a statement per 示范岗 criterion."""

    post = forms.CharField(label="工作岗位/职务", max_length=100)
    deeds = forms.CharField(label="主要事迹", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_criteria_fields(criteria)

    def statements(self) -> dict[int, str]:
        return self.statement_texts()
