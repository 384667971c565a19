from django import forms

from apps.core.forms import StyledFormMixin


class CommendationForm(StyledFormMixin, forms.Form):
    doc_number = forms.CharField(label="文号", max_length=60, help_text="如：东党发〔2026〕12号")
    date = forms.DateField(label="表彰日期", widget=forms.DateInput(attrs={"type": "date"}))
