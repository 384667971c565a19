from django import forms

from apps.core.forms import StyledFormMixin
from apps.orgs.choices import OrgLevel
from apps.orgs.models import Organization

from .models import Campaign, Criterion


class CampaignForm(StyledFormMixin, forms.ModelForm):
    town = forms.ModelChoiceField(label="镇党委", queryset=Organization.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk or not user.is_admin_role:
            # A town office opens campaigns for its own town; only an administrator picks one.
            self.fields.pop("town")
        else:
            self.fields["town"].queryset = Organization.objects.visible_to(user).filter(level=OrgLevel.TOWN)
            self.order_fields(["town"])

    class Meta:
        model = Campaign
        fields = [
            "year",
            "title",
            "county_name",
            "status",
            "post_quota_percent",
            "rounding",
            "admit_probationary",
            "village_quota_percent",
            "appraisal_year",
            "deadline",
            "notice_days",
            "notice_day_kind",
            "quorum_percent",
            "office_name",
            "office_contact",
            "office_phone",
            "notes",
        ]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "notes": forms.Textarea(attrs={"rows": 3})}
        # These messages are %-formatted with the limit, so a literal percent sign is written "%%".
        error_messages = {
            "post_quota_percent": {
                "max_value": "比例不能超过 100%%。",
                "min_value": "比例须大于 0。",
                "invalid": "请输入数字，如 10 或 12.5。",
            },
            "village_quota_percent": {"max_value": "比例不能超过 100%%。", "min_value": "比例须大于 0。", "invalid": "请输入数字，如 20。"},
        }


class CriterionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["target", "order", "title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
