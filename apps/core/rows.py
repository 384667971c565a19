"""Table rows as plain values, for list pages that show many rows (issue 13)."""

from __future__ import annotations


class Row(dict):
    """A table row of plain values: a template finds its keys at dict speed (a model instance's attribute,
    method or `get_…_display` costs several times more, hundreds of times a page); Python code and tests
    read them as attributes."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None
