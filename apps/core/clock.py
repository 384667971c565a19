"""The date the system works in.

Every rule that speaks of "today" (a notice running, a deadline passed, a date not in the future, the year an
appraisal may be recorded for) means the date in TIME_ZONE (Asia/Shanghai), whatever clock the machine keeps. A
server on UTC sees the machine's date (`datetime.date.today()`) lag Beijing's by a day from 00:00 to 08:00; the lint
(ruff's DTZ rules) refuses that call, so this is the one place "today" comes from.
"""

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()
