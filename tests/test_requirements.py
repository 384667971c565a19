"""Every third-party module the running application imports (at the top of a file or inside a function)
comes from requirements.txt or what those packages depend on: `make run` installs only requirements.txt,
so a module that only the test requirements bring works in the tests and fails in the demo with a 500."""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_DIRS = ("apps", "config")


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0]


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_requirements() -> set[str]:
    """The distributions requirements.txt names, and everything they need, transitively."""
    names = {
        _canonical(_name(line))
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "-"))
    }
    todo = list(names)
    while todo:
        try:
            requires = metadata.requires(todo.pop()) or []
        except metadata.PackageNotFoundError:
            continue
        for requirement in requires:
            if "extra ==" in requirement:
                continue
            name = _canonical(_name(requirement))
            if name not in names:
                names.add(name)
                todo.append(name)
    return names


def imported_modules() -> dict[str, set[str]]:
    """Top-level module name → the runtime files importing it, wherever in the file the import is."""
    found: dict[str, set[str]] = {}
    for folder in RUNTIME_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_runtime_import_is_installed_by_make_run():
    allowed = runtime_requirements()
    distributions = metadata.packages_distributions()
    local = {"apps", "config"}
    missing = {}
    for module, files in imported_modules().items():
        if module in local or module in sys.stdlib_module_names:
            continue
        dists = {_canonical(d) for d in distributions.get(module, [])}
        if not dists & allowed:
            missing[module] = sorted(files)
    assert not missing, f"imported by the application but not installed by requirements.txt: {missing}"
