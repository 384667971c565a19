from django import forms

from apps.core.forms import StyledFormMixin

from .actions import TEXT_MAX
from .choices import Channel, Outcome

DATE = forms.DateInput(attrs={"type": "date"})


class NoticeForm(StyledFormMixin, forms.Form):
    start = forms.DateField(
        label="公示开始日期", widget=DATE, help_text="可以是过去的日期（公示已在公示栏张贴）。结束日期按实施方案的公示天数自动计算。"
    )


class PublicObjectionForm(StyledFormMixin, forms.Form):
    nomination = forms.TypedChoiceField(label="所涉对象", required=False, coerce=int, empty_value=None)
    text = forms.CharField(label="反映内容", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 5}))
    name = forms.CharField(label="姓名（可不填，匿名反映）", max_length=40, required=False)
    contact = forms.CharField(label="联系方式（可不填）", max_length=60, required=False)

    def __init__(self, *args, nominations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].choices = [("", "（不指定）")] + [(n.pk, f"{n.member.name}（{n.org.name}）") for n in nominations]


class RecordObjectionForm(StyledFormMixin, forms.Form):
    notice = forms.TypedChoiceField(label="公示", coerce=int)
    channel = forms.ChoiceField(label="渠道", choices=[(c.value, c.label) for c in (Channel.LETTER, Channel.PHONE, Channel.VISIT)])
    received_on = forms.DateField(label="收到日期", widget=DATE)
    nomination = forms.TypedChoiceField(label="所涉对象", required=False, coerce=int, empty_value=None)
    text = forms.CharField(label="反映内容", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    name = forms.CharField(label="反映人姓名（匿名可不填）", max_length=40, required=False)
    contact = forms.CharField(label="联系方式", max_length=60, required=False)

    def __init__(self, *args, choices=((), ()), **kwargs):
        """`choices`: choices_for(the campaign's notices)."""
        super().__init__(*args, **kwargs)
        notices, nominations = choices
        self.fields["notice"].choices = list(notices)
        self.fields["nomination"].choices = [("", "（不指定）"), *nominations]

    @staticmethod
    def choices_for(notices) -> tuple[list, list]:
        """The notices and their nominees as (value, label) lists: plain values a page can keep."""
        notices = list(notices)
        return (
            [(n.pk, f"{n.start:%Y-%m-%d}至{n.end:%Y-%m-%d}") for n in notices],
            [(nom.pk, f"{nom.member.name}（{nom.org.name}）") for n in notices for nom in n.nominations.all()],
        )


class NoteForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label="核实情况", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class ConcludeForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(label="结论", choices=Outcome.choices, widget=forms.RadioSelect)
    conclusion = forms.CharField(label="核查结论", max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    nomination = forms.TypedChoiceField(label="所涉对象", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, objection=None, **kwargs):
        super().__init__(*args, **kwargs)
        if objection is not None and objection.nomination_id is None:
            self.fields["nomination"].choices = [("", "（不指定）")] + [
                (n.pk, f"{n.member.name}（{n.org.name}）") for n in objection.notice.nominations.select_related("member", "org")
            ]
        else:
            self.fields.pop("nomination")


class TrackingForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label="查询码", max_length=40, help_text="提交异议时显示的查询码，如 ABCD-EFGH-JKMN-PQRS")
