"""The facts of a 督查通报 (progress bulletin) for a campaign on a date, for the papers to print.

`bulletin_facts(campaign, date)` reads every branch of the campaign's town (the bulletin is the town's
paper, not one user's view) with the same step function as the board; `date` is the day the bulletin
speaks for: it decides what is overdue (the submission deadline, the rectification due dates) and where a
notice period stands. The steps themselves are the current state of the records.
"""

from __future__ import annotations

import datetime as dt

from .charts import steps_chart
from .choices import NOT_SUBMITTED
from .models import Rectification
from .progress import load_rows, step_counts, summary


def bulletin_facts(campaign, date: dt.date) -> dict:
    """{campaign, date, deadline, numbers, steps, lagging, overdue, open_rectifications, chart_svg}:

    - numbers: branches, submitted, not_submitted, overdue, commended, open_rectifications;
    - steps: [(step label, branches)] in the procedure's order (the chart's bars);
    - lagging: the branches that have not submitted, the overdue first, each {org, step, next, overdue, reopened_until};
    - open_rectifications: [{org, item, owner, due_on, overdue, visit_date}], by due date;
    - chart_svg: the board's SVG chart (a complete <svg> element, every text escaped)."""
    rows = load_rows(None, [campaign], date)
    lagging = sorted(
        (r for r in rows if r.progress.step in NOT_SUBMITTED), key=lambda r: (not r.progress.overdue, r.progress.order, r.org.path)
    )
    items = (
        Rectification.objects.filter(visit__campaign=campaign, visit__date__lte=date)
        .exclude(closed_on__lte=date)
        .select_related("visit__org")
        .order_by("due_on", "visit__org__path", "pk")
    )
    return {
        "campaign": campaign,
        "date": date,
        "deadline": campaign.deadline,
        "numbers": summary(rows),
        "steps": [(step.label, n) for step, n in step_counts(rows)],
        "lagging": [
            {
                "org": r.org.name,
                "step": r.progress.label,
                "next": r.progress.next,
                "overdue": r.progress.overdue,
                "reopened_until": r.facts.reopening_until if r.facts else None,
            }
            for r in lagging
        ],
        "overdue": [r.org.name for r in lagging if r.progress.overdue],
        "open_rectifications": [
            {
                "org": i.visit.org.name,
                "item": i.item,
                "owner": i.owner,
                "due_on": i.due_on,
                "overdue": i.due_on < date,
                "visit_date": i.visit.date,
            }
            for i in items
        ],
        "chart_svg": steps_chart(rows),
    }
