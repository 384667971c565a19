from django import forms
from django.contrib.auth.forms import AuthenticationForm

from apps.core.forms import StyledFormMixin
from apps.orgs.models import Organization

from .models import Role, User


class LoginForm(StyledFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。",
        "inactive": "该账号已停用。",
    }


class UserForm(StyledFormMixin, forms.ModelForm):
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, required=False, help_text="至少 8 位，不能全为数字")

    class Meta:
        model = User
        fields = ["username", "display_name", "phone", "role", "organization", "can_approve", "is_active"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            Organization.objects.visible_to(actor).exclude(level="county") if not actor.is_admin_role else Organization.objects.all()
        )
        if not actor.is_admin_role:
            # The committee's approval right is granted by an administrator, not by the office itself.
            self.fields.pop("can_approve")
            self.fields["role"].choices = [(v, label) for v, label in Role.choices if v not in (Role.ADMIN, Role.COUNTY_REVIEWER)]
        if self.instance.pk:
            self.fields.pop("password")
            self.fields["username"].disabled = True
        else:
            self.fields["password"].required = True

    def clean_username(self):
        username = (self.cleaned_data.get("username") or "").strip()
        if not self.instance.pk and User.objects.filter(username=username).exists():
            raise forms.ValidationError("该用户名已被使用。")
        return username


class PasswordForm(StyledFormMixin, forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput)
    password1 = forms.CharField(label="新密码", widget=forms.PasswordInput)
    password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput)

    def __init__(self, *args, user, own: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not own:
            # An administrator or town office resetting someone else's password doesn't know the old one.
            self.fields.pop("old_password")

    def clean_old_password(self):
        value = self.cleaned_data.get("old_password", "")
        if not self.user.check_password(value):
            raise forms.ValidationError("原密码不正确。")
        return value

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return data
