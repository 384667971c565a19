from django import forms


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
