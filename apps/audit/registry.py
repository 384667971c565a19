"""Chinese labels of audit actions. Apps add theirs with `register_actions` in their AppConfig.ready()."""

_LABELS: dict[str, str] = {}


def register_actions(labels: dict[str, str]) -> None:
    _LABELS.update(labels)


def action_label(code: str) -> str:
    return _LABELS.get(code, code)


def all_actions() -> list[tuple[str, str]]:
    return sorted(_LABELS.items(), key=lambda kv: kv[0])
