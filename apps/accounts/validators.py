"""Password rules whose Django messages have no Chinese translation yet."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule, with its message in Chinese (Django 5.2's reworded English sentence is untranslated)."""

    def get_error_message(self) -> str:
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"


CLASSES = (("小写字母", str.islower), ("大写字母", str.isupper), ("数字", str.isdigit))


class CharacterClassesValidator:
    """等保 2.0's complexity rule as a setting (PASSWORD_CHAR_CLASSES, default off): the password mixes at
    least `min_classes` of lower case, upper case, digits and other characters. ASVS 5.0 advises length
    over composition rules, hence off by default (SECURITY.md)."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        from django.core.exceptions import ValidationError

        found = {name for name, test in CLASSES if any(test(ch) for ch in password)}
        if any(not (ch.isalnum() and ch.isascii()) for ch in password):
            found.add("符号")
        if len(found) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"
