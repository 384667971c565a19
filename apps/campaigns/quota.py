"""Quota arithmetic (SPEC §3). Exact decimals; "不超过" is floor; optionally at least one per branch."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from apps.core.numbers import plain

FLOOR = "floor"
AT_LEAST_ONE = "at_least_one"


@dataclass(frozen=True)
class Quota:
    base: int
    percent: Decimal
    rule: str
    value: int
    base_label: str = "正式党员"
    unit: str = "人"

    @property
    def product(self) -> Decimal:
        return Decimal(self.base) * self.percent / Decimal(100)

    def explain(self) -> str:
        """e.g. "正式党员 37 人 × 10% = 3.7，不超过 → 3 人"."""
        floor = int(self.product.to_integral_value(rounding=ROUND_FLOOR))
        text = f"{self.base_label} {self.base} {self.unit} × {plain(self.percent)}% = {plain(self.product)}，不超过 → {floor} {self.unit}"
        if self.value != floor:
            text += f"；按“每支部至少 1 名” → {self.value} {self.unit}"
        return text


def compute_quota(base: int, percent: Decimal | str | int, rule: str = FLOOR, *, base_label: str = "正式党员", unit: str = "人") -> Quota:
    percent = Decimal(str(percent))
    if base < 0:
        raise ValueError("base must not be negative")
    if percent < 0 or percent > 100:
        raise ValueError("percent must be within 0..100")
    product = Decimal(base) * percent / Decimal(100)
    value = int(product.to_integral_value(rounding=ROUND_FLOOR))
    if rule == AT_LEAST_ONE and base > 0 and value < 1:
        value = 1
    return Quota(base=base, percent=percent, rule=rule, value=value, base_label=base_label, unit=unit)
