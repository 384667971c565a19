"""Builders for the meeting tests: a branch with members and appraisals, a meeting, attendance, candidates."""

from __future__ import annotations

from apps.core import clock
from apps.meetings import actions
from apps.meetings.choices import VoteMethod
from apps.orgs.choices import Category, Grade
from apps.orgs.models import Appraisal

from . import factories as f


def formal_members(w, n: int, branch=None, grade=Grade.QUALIFIED):
    """n more 正式党员 of the branch (default 东岭村), each appraised `grade` for the campaign's appraisal year."""
    branch = branch or w.village
    out = []
    for _ in range(n):
        m = f.member(branch)
        if grade:
            Appraisal.objects.create(member=m, year=w.campaign.appraisal_year, grade=grade)
        out.append(m)
    return out


def appraise(w, member, grade=Grade.QUALIFIED):
    Appraisal.objects.update_or_create(member=member, year=w.campaign.appraisal_year, defaults={"grade": grade})


def meeting(w, method=VoteMethod.ELECTRONIC, actor=None, org=None):
    return actions.create_meeting(
        actor or w.secretary,
        w.campaign,
        org or w.village,
        {"date": clock.today(), "place": "村党群服务中心", "chair": "主持人甲", "recorder": "记录人乙", "method": method},
    )


def all_present(w, m, actor=None):
    """Everyone in 册 of the branch present."""
    ids = list(actions.roster(m).values_list("pk", flat=True))
    return actions.take_attendance(actor or w.secretary, m, ids, [], [])


def candidate(w, m, member, **kw):
    kw.setdefault("post", "村民小组长")
    kw.setdefault("deeds", "带头参与人居环境整治。")
    return actions.add_candidate(w.secretary, m, member, **kw)


def ready_meeting(w, *, voters: int = 10, candidates: int = 2, method=VoteMethod.ELECTRONIC):
    """A meeting of 东岭村 with `voters` 正式党员 present in total (the fixture's 张三 included), attendance
    taken, and `candidates` eligible candidates. With 10% the quota is voters // 10."""
    appraise(w, w.member)
    extra = formal_members(w, voters - 1)
    m = meeting(w, method=method)
    m = all_present(w, m)
    people = [w.member, *extra][:candidates]
    cands = [candidate(w, m, p) for p in people]
    return m, cands


__all__ = ["Category", "all_present", "appraise", "candidate", "formal_members", "meeting", "ready_meeting"]
