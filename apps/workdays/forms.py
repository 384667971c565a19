from django import forms

from apps.core.forms import StyledFormMixin

from .calendar import FIRST_DATE, KINDS, LAST_DATE, MAX_DAYS


class DayOverrideForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.BooleanField(label="调休上班", required=False, help_text="勾选：该日为上班日（调休）；不勾选：该日放假")
    name = forms.CharField(label="名称", max_length=40, help_text="如：国庆节、春节调休")


class PeriodForm(StyledFormMixin, forms.Form):
    start = forms.DateField(label="公示开始", widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label="天数", min_value=1, max_value=MAX_DAYS, initial=5)
    kind = forms.ChoiceField(label="计算方式", choices=[(KINDS[1], "工作日"), (KINDS[0], "自然日")])

    def clean_start(self):
        start = self.cleaned_data["start"]
        if not FIRST_DATE <= start <= LAST_DATE:
            raise forms.ValidationError(f"请填写 {FIRST_DATE.year}—{LAST_DATE.year} 年间的日期。")
        return start
