"""Page rows: the holiday table (everybody reads it; the town office and administrators edit it)."""

import datetime as dt

from apps.workdays.models import DayOverride

from ..matrix import Case, expect


def day_override(w, user):
    day, _ = DayOverride.objects.get_or_create(date=dt.date(2101, 1, 1), defaults={"name": "元旦"})
    return {"pk": day.pk}


EDITORS = expect(403, admin=302, office=302, other_office=302)

CASES = [
    Case("workdays:calendar", "holiday table", expect(200)),
    Case("workdays:calendar", "blank entry", expect(403, admin=200, office=200, other_office=200), method="post"),
    Case("workdays:override_delete", "delete by GET", expect(405), kwargs=day_override),
    Case("workdays:override_delete", "entered day", EDITORS, kwargs=day_override, method="post"),
    Case("workdays:override_delete", "no such day", expect(404), kwargs=lambda w, user: {"pk": 999999}, method="post"),
]
