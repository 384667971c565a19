"""The 示范村考察报告 as data (`report_facts`) and as the default text (`report_text`).

`report_facts(candidate)` is what a paper (PDF/DOCX) is generated from: the roster facts the system knows
about the village's party organization, and the inspection's findings, scores and conclusion."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils import timezone

from apps.core.numbers import plain
from apps.nominations.choices import NominationStatus
from apps.nominations.models import Nomination
from apps.orgs.choices import Category, Education, Gender, Grade
from apps.orgs.models import Appraisal, Member

from .choices import Conclusion
from .models import Inspection, VillageCandidate, max_score

AGE_BANDS = ((0, 35, "35岁及以下"), (36, 45, "36至45岁"), (46, 60, "46至60岁"), (61, 200, "61岁及以上"))


def _years_ago(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def report_facts(candidate: VillageCandidate, on: dt.date | None = None) -> dict:
    """Everything the 考察报告 says, as plain data (str, int, lists, dicts; dates as ISO strings)."""
    on = on or timezone.localdate()
    org = candidate.org
    campaign = candidate.campaign
    members = list(Member.objects.under(org).active().order_by("pk"))
    formal = sum(1 for m in members if m.category == Category.FORMAL)
    ages = [_age(m.birth_date, on) for m in members]
    bands = {label: sum(1 for a in ages if lo <= a <= hi) for lo, hi, label in AGE_BANDS}
    education = Counter(m.education or "未填写" for m in members)
    since = _years_ago(on, 3)
    appraisals = Counter(
        Appraisal.objects.filter(member__in=[m.pk for m in members], year=campaign.appraisal_year).values_list("grade", flat=True)
    )
    posts = (
        Nomination.objects.filter(campaign=campaign, org__path__startswith=org.path)
        .exclude(status=NominationStatus.WITHDRAWN)
        .select_related("member")
        .order_by("pk")
    )
    inspection = Inspection.objects.filter(candidate=candidate).first()
    findings = []
    if inspection is not None:
        findings = [
            {"order": f.criterion.order, "title": f.criterion.title, "text": f.text, "score": plain(f.score)}
            for f in inspection.findings.select_related("criterion").order_by("criterion__order")
        ]
    total = sum((f.score for f in inspection.findings.all()), start=0) if inspection else 0
    group = candidate.group
    return {
        "village": org.name,
        "town": campaign.town.name,
        "campaign": str(campaign),
        "year": campaign.year,
        "secretary": org.secretary_name,
        "members": {
            "total": len(members),
            "formal": formal,
            "probationary": len(members) - formal,
            "male": sum(1 for m in members if m.gender == Gender.MALE),
            "female": sum(1 for m in members if m.gender == Gender.FEMALE),
            "age_bands": bands,
            "under_35": sum(1 for a in ages if a < 35),
            "education": {label: education[label] for label in [*Education.values, "未填写"] if education[label]},
            "admitted_last_3_years": sum(1 for m in members if m.joined_on and m.joined_on > since),
        },
        "appraisal_year": campaign.appraisal_year,
        "appraisals": {Grade(g).label: appraisals[g] for g in Grade.values},
        "model_posts": [{"name": n.member.name, "status": n.get_status_display()} for n in posts],
        "group": {"name": group.name, "leader": str(group.leader), "members": sorted(str(u) for u in group.members.all())}
        if group
        else None,
        "visit_dates": list(inspection.visit_dates) if inspection else [],
        "people_met": inspection.people_met if inspection else "",
        "findings": findings,
        "max_score": max_score(campaign),
        "total_score": plain(total) if hasattr(total, "normalize") else str(total),
        "conclusion": Conclusion(inspection.conclusion).label if inspection and inspection.conclusion else "",
        "signatures": inspection.signatures if inspection else "",
        "report_text": inspection.report_text if inspection else "",
        "finalized_at": inspection.finalized_at.isoformat() if inspection and inspection.finalized_at else None,
    }


def _date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def report_text(candidate: VillageCandidate) -> str:
    """The default text of the report, generated from `report_facts`; the group may edit it before finalizing."""
    f = report_facts(candidate)
    m = f["members"]
    lines = [f"关于{f['village']}创建共产党员示范村的考察报告", ""]
    when = "、".join(_date(d) for d in f["visit_dates"]) or "（考察日期）"
    group = f["group"]["name"] if f["group"] else "党建调研督查组"
    lines.append(
        f"根据{f['town']}{f['year']}年共产党员示范行动安排，{group}于{when}对{f['village']}创建共产党员示范村情况进行了考察，"
        f"{'与' + f['people_met'] + '进行了座谈走访。' if f['people_met'] else ''}现将有关情况报告如下："
    )
    lines.append("")
    lines.append("一、基本情况")
    secretary = f"党组织书记{f['secretary']}，" if f["secretary"] else ""
    bands = "，".join(f"{k}{v}名" for k, v in m["age_bands"].items() if v)
    education = "，".join(f"{k}{v}名" for k, v in m["education"].items())
    lines.append(
        f"{f['village']}，{secretary}现有党员{m['total']}名，其中正式党员{m['formal']}名、预备党员{m['probationary']}名；"
        f"男党员{m['male']}名、女党员{m['female']}名；{bands or '年龄情况未登记'}；35岁以下党员{m['under_35']}名；"
        f"学历：{education or '未登记'}；近三年发展党员{m['admitted_last_3_years']}名。"
    )
    grades = "，".join(f"{k}{v}名" for k, v in f["appraisals"].items() if v)
    lines.append(f"{f['appraisal_year']}年度民主评议党员：{grades or '未登记'}。")
    if f["model_posts"]:
        lines.append("本年度示范岗推荐对象：" + "、".join(p["name"] for p in f["model_posts"]) + "。")
    lines.append("")
    lines.append("二、对照创建标准考察情况")
    for item in f["findings"]:
        lines.append(f"（{item['order']}）{item['title']}：{item['text']}（得分：{item['score']}/{f['max_score']}）")
    lines.append(f"合计得分：{f['total_score']}分。")
    lines.append("")
    lines.append("三、考察结论")
    lines.append(f["conclusion"] or "（待填写）")
    if f["signatures"]:
        lines += ["", "考察组成员签名：", f["signatures"]]
    return "\n".join(lines)
