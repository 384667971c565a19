"""gen_campaigns on a small gen_county: every step of the 示范岗 procedure and of the candidate villages is on
the progress board, made by the house actions (audit rows present, quota snapshots frozen)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from apps.accounts.models import User
from apps.audit.models import AuditLog
from apps.campaigns.models import Campaign
from apps.meetings.models import Meeting
from apps.oversight.choices import Step
from apps.oversight.models import Rectification, SupervisionVisit
from apps.oversight.progress import load_rows
from apps.villages import actions as villages
from apps.villages.models import VillageCandidate


@pytest.mark.django_db
def test_gen_campaigns_puts_every_step_on_the_board(client):
    """One test (the generation takes a while): the board, the county's summary, the actions' traces."""
    out = StringIO()
    call_command("gen_county", towns=4, branches=60, members=2400, password="x", stdout=out)
    call_command("gen_campaigns", password="x", stdout=out)
    county = out.getvalue()
    campaigns = list(Campaign.objects.select_related("town").order_by("town__path"))
    assert len(campaigns) == 4
    seen: dict[str, tuple] = {}
    for index, campaign in enumerate(campaigns):
        office = User.objects.get(username=f"gc{index:03d}_office")
        for row in load_rows(office, [campaign]):
            seen.setdefault(row.progress.step, (office, campaign, row.org.name))
    missing = [s.label for s in Step if s not in seen]
    assert not missing, f"steps nobody is at: {missing}"
    for step, (office, campaign, name) in seen.items():
        client.force_login(office)
        page = client.get(f"/campaigns/{campaign.pk}/progress/", {"step": step})
        assert page.status_code == 200
        assert name in page.content.decode(), step

    client.force_login(User.objects.get(username="gc_county"))
    text = client.get("/progress/").content.decode()
    for campaign in Campaign.objects.select_related("town"):
        assert str(campaign.town) in text
    assert SupervisionVisit.objects.count() == 12
    assert Rectification.objects.filter(closed_on__isnull=True).count() == 8

    quorate = Meeting.objects.exclude(attendance_taken_at=None)
    assert quorate.exists() and not quorate.filter(quota_value=None).exists()
    assert quorate.filter(quorate=False).exists()
    # Every meeting, decision and notice left its audit row.
    assert AuditLog.objects.filter(action="meeting.create").count() == Meeting.objects.count()
    assert "withdrawn 1" in county and "commended" in county


@pytest.mark.django_db
def test_gen_campaigns_runs_across_midnight(monkeypatch):
    """A run that starts before midnight (Asia/Shanghai) and reports the villages after it still finishes: the
    county's decision is dated the day it is made, not the day the run began."""
    report = villages.report_villages
    out = StringIO()
    eve = dt.datetime(2026, 11, 30, 23, 58, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(eve, tick=False) as traveller:

        def report_after_midnight(*args, **kwargs):
            traveller.shift(dt.timedelta(minutes=5))
            return report(*args, **kwargs)

        monkeypatch.setattr(villages, "report_villages", report_after_midnight)
        call_command("gen_county", towns=1, branches=20, members=400, password="x", stdout=out)
        call_command("gen_campaigns", password="x", stdout=out)
    decided = VillageCandidate.objects.exclude(decision_date=None)
    assert decided.exists()
    assert set(decided.values_list("decision_date", flat=True)) == {dt.date(2026, 12, 1)}
