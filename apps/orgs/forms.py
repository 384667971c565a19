"""Forms for organizations, members and appraisals. Field checks here; rules in actions.py."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.functional import cached_property

from apps.audit.memo import remember
from apps.core import clock
from apps.core.forms import FastSelect, StyledFormMixin, options_html
from apps.core.idcard import normalize_id

from .choices import Category, Grade, MemberStatus, OrgLevel
from .models import Member, Organization
from .rules import category_errors, validate_appraisal_year


class MemberForm(StyledFormMixin, forms.ModelForm):
    # Typed with spaces or in full-width characters; clean_id_number normalizes it to the 18 stored characters.
    id_number = forms.CharField(label="公民身份号码", max_length=40)

    class Meta:
        model = Member
        fields = [
            "name",
            "id_number",
            "gender",
            "birth_date",
            "ethnicity",
            "education",
            "phone",
            "category",
            "joined_on",
            "confirmed_on",
            "branch",
            "post",
            "sanction_start",
            "sanction_end",
            "sanction_note",
            "note",
        ]
        widgets = {
            f: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for f in ("birth_date", "joined_on", "confirmed_on", "sanction_start", "sanction_end")
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = Organization.objects.visible_to(user).basic()
        self.fields["gender"].required = False
        self.fields["birth_date"].required = False
        self.fields["gender"].help_text = "可留空，按身份证号自动填写"
        self.fields["birth_date"].help_text = "可留空，按身份证号自动填写"
        if self.instance.pk:
            # Branch changes are transfers, recorded with a reason.
            self.fields.pop("branch")
            # The edit page shows the numbers masked, as the detail page does (seeing them in full is the
            # audited "reveal"); the masked value posted back unchanged keeps the stored number.
            self.initial["id_number"] = self.instance.masked_id
            self.initial["phone"] = self.instance.masked_phone
            self.fields["id_number"].help_text = "为保护个人信息，号码已脱敏显示；不修改则保留原号码，更改请输入完整的新号码"
            self.fields["phone"].help_text = "号码已脱敏显示；不修改则保留原号码，更改请输入完整的新号码，清空则删除"

    def _kept_or_new(self, name: str, stored: str, masked: str) -> str | None:
        """The stored number when the masked value came back unchanged; None when a new value was typed."""
        value = normalize_id(self.cleaned_data.get(name))
        if not self.instance.pk:
            return None
        if masked and value == masked:
            return stored
        if "*" in value:
            raise forms.ValidationError("请保留脱敏显示的原号码不变，或输入完整的新号码。")
        return None

    def clean_id_number(self):
        kept = self._kept_or_new("id_number", self.instance.id_number, self.instance.masked_id)
        return kept if kept is not None else normalize_id(self.cleaned_data.get("id_number"))

    def clean_name(self):
        name = " ".join((self.cleaned_data.get("name") or "").split())
        if not name:
            raise forms.ValidationError("请填写姓名。")
        return name

    def clean_phone(self):
        kept = self._kept_or_new("phone", self.instance.phone, self.instance.masked_phone)
        if kept is not None:
            return kept
        phone = normalize_id(self.cleaned_data.get("phone")).replace("-", "")
        if phone and not phone.isdigit():
            raise forms.ValidationError("联系电话只能包含数字。")
        if phone and not 7 <= len(phone) <= 12:
            raise forms.ValidationError("联系电话长度不正确。")
        return phone

    def clean(self):
        data = super().clean()
        for reason in category_errors(data.get("category"), data.get("joined_on"), data.get("confirmed_on")):
            self.add_error("confirmed_on", reason)
        return data


class TransferForm(StyledFormMixin, forms.Form):
    to_branch = forms.ModelChoiceField(
        label="转入党组织", queryset=Organization.objects.none(), required=False, help_text="在本镇内调整所在党支部时选择"
    )
    status = forms.ChoiceField(label="党员状态", choices=MemberStatus.choices)
    on = forms.DateField(label="变更日期", initial=dt.date.today, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="变更原因", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = Organization.objects.visible_to(user).basic().exclude(pk=member.branch_id)
        self.fields["status"].initial = member.status


class AppraisalForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label="评议年度", validators=[validate_appraisal_year])
    grade = forms.ChoiceField(label="评议等次", choices=Grade.choices)
    note = forms.CharField(label="备注", max_length=200, required=False)


class _NameChoiceIterator(forms.models.ModelChoiceIterator):
    """(pk, name) pairs straight from the database: the same choices as str(instance) for models whose
    __str__ is their name, without building a model instance per option."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class OrganizationChoiceField(forms.ModelChoiceField):
    iterator = _NameChoiceIterator


class MemberFilterForm(forms.Form):
    """The member list's filters. The list page and the Excel export both apply them with `apply()`.

    The branch <select> is drawn from `branch_options()` in the template (orgs/member_list.html). Over
    PICKER_OVER branches (a county has 800) it holds only the chosen branch and those whose name contains
    `branch_q`, a search box beside it (htmx asks `orgs:branch_options` as one types; without script the
    form's own submit does the same)."""

    PICKER_OVER = 60
    PICKER_MATCHES = 30

    q = forms.CharField(label="姓名", required=False)
    branch = OrganizationChoiceField(label="所在党组织", queryset=Organization.objects.none(), required=False, empty_label="全部党组织")
    branch_q = forms.CharField(label="查找党组织", required=False)
    category = forms.ChoiceField(label="类别", choices=[("", "全部类别"), *Category.choices], required=False, widget=FastSelect)
    status = forms.ChoiceField(label="状态", choices=[("", "全部状态"), *MemberStatus.choices], required=False, widget=FastSelect)
    appraisal = forms.ChoiceField(
        label="民主评议", choices=[("", "全部评议"), ("missing", "未录入"), *Grade.choices], required=False, widget=FastSelect
    )
    year = forms.IntegerField(label="评议年度", required=False, validators=[validate_appraisal_year])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    @cached_property
    def branches(self):
        """The branches the user may choose, built when first needed (validation, the picker): the member list
        reads its kept filter form on most looks and needs no scope query then."""
        branches = Organization.objects.visible_to(self.user).basic().only("pk", "name", "path")
        self.fields["branch"].queryset = branches
        return branches

    def full_clean(self):
        if self.data.get(self.add_prefix("branch")):
            self.branches  # noqa: B018 - a chosen branch is checked against the user's branches
        super().full_clean()

    @cached_property
    def _first_branches(self) -> list[tuple[int, str]]:
        # Shown on every look at the list: kept while nothing audited changes (apps/audit/memo.py).
        branches = self.branches
        return remember("member-filter-branches", self.user, lambda: list(branches.values_list("pk", "name")[: self.PICKER_OVER + 1]))

    @property
    def branch_picker(self) -> bool:
        """Too many branches for one <select>: search them instead."""
        return len(self._first_branches) > self.PICKER_OVER

    def branch_options(self) -> str:
        """The branch <option>s in one pass: Django's widget renders a template per option."""
        selected = str(self["branch"].value() or "")
        if self.branch_picker:
            branches = self.branches
            text = str(self["branch_q"].value() or "").strip()
            matches = list(branches.filter(name__contains=text).values_list("pk", "name")[: self.PICKER_MATCHES]) if text else []
            chosen = list(branches.filter(pk=selected).values_list("pk", "name")) if selected.isdigit() else []
            choices = [("", self.fields["branch"].empty_label), *chosen, *(m for m in matches if m not in chosen)]
        else:
            choices = [("", self.fields["branch"].empty_label), *self._first_branches]
        return options_html(choices, {selected})

    def plan_key(self) -> tuple:
        """What `apply()` filters by, as a hashable value (the chosen branch by its id and path, which its subtree
        is read by): it reads the cleaned data and the date only, so two valid forms with the same key filter alike
        (a compiled query is kept per key, apps.orgs.views.FILTERED_ROWS)."""
        cleaned = (
            (name, (value.pk, value.path) if isinstance(value, Organization) else value) for name, value in self.cleaned_data.items()
        )
        return clock.today(), tuple(sorted(cleaned))

    def apply(self, members):
        """Filter `members` (already restricted to the user's scope); return it and a Chinese description. Reads
        nothing but the cleaned data and the date (plan_key)."""
        parts: list[str] = []
        if not self.is_valid():
            return members, parts
        data = self.cleaned_data
        if data.get("q"):
            members = members.filter(name__contains=data["q"].strip())
            parts.append(f"姓名含“{data['q'].strip()}”")
        if data.get("branch"):
            members = members.filter(branch__in=data["branch"].subtree().values("pk"))
            parts.append(str(data["branch"]))
        for name in ("category", "status"):
            if data.get(name):
                members = members.filter(**{name: data[name]})
                parts.append(dict(self.fields[name].choices)[data[name]])
        if data.get("appraisal"):
            year = data.get("year") or clock.today().year - 1
            if data["appraisal"] == "missing":
                members = members.exclude(appraisals__year=year)
            else:
                members = members.filter(appraisals__year=year, appraisals__grade=data["appraisal"])
            parts.append(f"{year}年度评议{dict(self.fields['appraisal'].choices)[data['appraisal']]}")
        return members, parts


class OrganizationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "short_name", "level", "kind", "parent", "sort_order", "secretary_name", "contact_phone", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Organization.objects.visible_to(user)
        # Only an administrator sets up counties and towns; everyone else adds basic organizations.
        self.fields["parent"].required = not user.is_admin_role
        if not user.is_admin_role:
            self.fields["level"].choices = [(v, label) for v, label in OrgLevel.choices if v not in (OrgLevel.COUNTY, OrgLevel.TOWN)]
        if self.instance.pk:
            self.fields.pop("parent")
