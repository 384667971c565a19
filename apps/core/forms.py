import html

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class StyledFormMixin:
    """Adds the stylesheet's classes and a Chinese 'required' message to every field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.setdefault("required", "此项为必填项。")
            field.error_messages["required"] = f"请填写{field.label}。" if field.label else "此项为必填项。"
            if isinstance(field.widget, (forms.CheckboxInput,)):
                continue
            css = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = (css + " input").strip()


class FastSelect(forms.Select):
    """A <select> drawn in Python, for filter forms on hot list pages: the same markup as Django's widget
    (which renders a template per <option>: most of the cost of a page with a long list of choices).
    Choices with groups fall back to Django's rendering."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _, label in choices):
            return super().render(name, value, attrs, renderer)
        options = options_html(choices, set(self.format_value(value)))
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{html.escape(name)}"{attrs}>{options}</select>')  # noqa: S308 - escaped above


def options_html(choices, selected) -> str:
    """`<option>`s for (value, label) pairs in one pass, values in the set `selected` (strings) selected."""
    return mark_safe(  # noqa: S308 - values and labels escaped
        "".join(
            f'<option value="{html.escape(v)}"{" selected" if v in selected else ""}>{html.escape(str(label))}</option>'
            for v, label in (("" if v is None else str(v), label) for v, label in choices)
        )
    )
