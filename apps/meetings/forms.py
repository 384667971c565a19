"""Forms of the meeting pages; the rules are in actions.py, the forms only shape the input."""

from __future__ import annotations

from django import forms

from .choices import Teller, VoteMethod
from .models import Meeting


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "place", "chair", "recorder", "method", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "method": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = VoteMethod.choices


class CriteriaStatementsMixin:
    """One text field per 示范岗 criterion (`crit_<order>`): how the candidate meets it, printed on the
    申报表. Used where a candidate is put forward and where the nomination's material is corrected."""

    def add_criteria_fields(self, criteria) -> None:
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"crit_{c.order}"] = forms.CharField(
                label=f"对照标准（{c.order}）{c.title}",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "input"}),
                help_text=c.text[:120],
            )

    def statement_texts(self) -> dict[int, str]:
        return {c.order: self.cleaned_data.get(f"crit_{c.order}", "") for c in self.criteria}


class CandidateForm(CriteriaStatementsMixin, forms.Form):
    member = forms.ModelChoiceField(label="党员", queryset=None, empty_label="请选择")
    post = forms.CharField(label="工作岗位/职务", max_length=100, required=False, help_text="留空则使用名册中的岗位")
    deeds = forms.CharField(label="主要事迹", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    confirm_missing_appraisal = forms.BooleanField(label="确认：该党员缺少参考年度民主评议结果，支部核实后仍推荐为候选人", required=False)

    def __init__(self, *args, members, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.add_criteria_fields(criteria)

    def statements(self) -> list[dict]:
        return [{"order": order, "text": text} for order, text in self.statement_texts().items() if text]


class TallyForm(forms.Form):
    teller = forms.ChoiceField(label="录入人", choices=Teller.choices, widget=forms.RadioSelect)
    teller_name = forms.CharField(label="姓名", max_length=40, required=False)
    issued = forms.IntegerField(label="发出选票", min_value=0)
    returned = forms.IntegerField(label="收回选票", min_value=0)
    valid = forms.IntegerField(label="有效票", min_value=0)
    invalid = forms.IntegerField(label="无效票", min_value=0)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for c in self.candidates:
            self.fields[f"votes_{c.pk}"] = forms.IntegerField(label=f"{c.member.name} 得票", min_value=0, initial=0)

    def votes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"votes_{c.pk}"] for c in self.candidates}


class VoteForm(forms.Form):
    code = forms.CharField(
        label="投票码",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
