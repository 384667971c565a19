"""Numbers as a page, a paper or the API writes them."""

from __future__ import annotations

from decimal import Decimal


def plain(value: Decimal) -> str:
    """A decimal as people write it: 10.00 → "10", 12.50 → "12.5"; never "1E+1", which normalize() alone gives."""
    return format(value.normalize(), "f")
