"""The date the system works in.

Every rule that speaks of "today" (a notice running, a deadline passed, a date not in the future, the year an
appraisal may be recorded for) means the date in TIME_ZONE (Asia/Shanghai), whatever clock the machine keeps. Django
hands TIME_ZONE to the C library at start-up, but the C library can only follow it where the system's zone files are
installed; without them (a slim container) the machine's date (`datetime.date.today()`) stays UTC's and lags
Beijing's by a day from 00:00 to 08:00. The lint (ruff's DTZ rules) refuses that call: "today" comes from here.

The zone is the default one (TIME_ZONE): the system activates no other. Asked for directly, not through
`timezone.localdate()`, whose look-up of the request's active zone cost 7.5 µs a call against 0.5 µs, and a page
asks for today a few times (every kept value's key holds it).
"""

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return dt.datetime.now(timezone.get_default_timezone()).date()
