"""The content of each paper, built once from the workflow's models as a `Paper` (apps/papers/document.py);
the PDF and the DOCX both draw that. Callers fetch the object through `visible_to(user)` first.

Public papers (the 公示, the 表彰决定) carry name, organization, post and deeds only: never an ID number,
phone or birth date."""

from __future__ import annotations

import segno

from apps.campaigns.models import Campaign, Target
from apps.meetings.choices import Presence, RoundStatus, VoteMethod
from apps.meetings.models import Meeting, RoundResult
from apps.nominations.models import Nomination, Proposal
from apps.notices.models import Notice

from .document import Cell, Heading, Image, PageBreak, Paper, Para, Signature, Table, cn_date, cn_month

SIGN_DATE = "年    月    日"
POST = "共产党员示范岗"


def town_name(campaign: Campaign) -> str:
    """东岭镇 from 中共东岭镇委员会 (the short form used in titles: 东岭镇党委)."""
    name = campaign.town.short_name or campaign.town.name
    return name.removeprefix("中共").removesuffix("委员会") or name


def _issuer(campaign: Campaign) -> str:
    return campaign.town.name


def _votes(candidate_id: int) -> int | None:
    """The candidate's votes in the last closed round it stood in."""
    result = RoundResult.objects.filter(candidate_id=candidate_id, round__status=RoundStatus.CLOSED).order_by("-round__number").first()
    return result.votes if result else None


def criteria_statements(nomination: Nomination) -> list[tuple[str, str]]:
    """(title, statement) per 示范岗 criterion of the campaign, with the candidate's own statements
    (Candidate.criteria) by order; a criterion without a statement keeps an empty box to write in."""
    own = {int(c.get("order", 0)): c for c in nomination.candidate.criteria or []}
    rows = []
    for criterion in nomination.campaign.criteria.filter(target=Target.POST).order_by("order"):
        statement = own.pop(criterion.order, {})
        rows.append((f"（{criterion.order}）{criterion.title}", statement.get("text", "")))
    for order, statement in sorted(own.items()):  # statements for criteria edited away since: keep them
        rows.append((f"（{order}）{statement.get('title', '')}", statement.get("text", "")))
    return rows


# --- 共产党员示范岗申报表 ------------------------------------------------------------------------------------------


def application(nomination: Nomination) -> Paper:
    """One 申报表 per nomination: personal data, post, deeds, the five criteria, the meeting's result and
    the branch / town / county opinion boxes with signature, seal and date spaces."""
    m, c, campaign = nomination.member, nomination.candidate, nomination.campaign
    meeting = c.meeting
    votes = _votes(c.pk)
    L = lambda text, **kw: Cell(text, label=True, **kw)  # noqa: E731 - a form label
    rows = [
        [L("姓  名"), Cell(m.name), L("性  别"), Cell(m.gender), L("民  族"), Cell(m.ethnicity)],
        [L("出生年月"), Cell(cn_month(m.birth_date)), L("学  历"), Cell(m.education or ""), L("入党时间"), Cell(cn_month(m.joined_on))],
        [L("所在党组织"), Cell(nomination.org.name, colspan=3), L("人员类别"), Cell(m.get_category_display())],
        [L("工作岗位\n及职务"), Cell(c.post, colspan=5)],
        [L("主要事迹"), Cell(c.deeds, colspan=5, align="left", height=62)],
    ]
    statements = criteria_statements(nomination)
    for i, (title, text) in enumerate(statements):
        row = [Cell(f"{title}\n{text}" if text else title, colspan=5, align="left", height=None if text else 14)]
        if i == 0:
            row.insert(0, L("对照创建\n标准情况", rowspan=len(statements)))
        rows.append(row)
    if meeting.present_voters is not None and votes is not None:
        result = (
            f"{cn_date(meeting.date)}召开支部党员大会，应到有表决权党员{meeting.expected_voters}名，"
            f"实到{meeting.present_voters}名，得票{votes}票。"
        )
    else:
        result = ""
    rows.append([L("民主推荐\n情况"), Cell(result, colspan=5, align="left")])
    proposal = nomination.proposal
    rows.append(
        [
            L("党支部\n意见"),
            Cell(
                proposal.opinion,
                colspan=5,
                align="left",
                height=58,
                sign=["书记（签字）：              （盖章）", SIGN_DATE],
            ),
        ]
    )
    rows.append([L("镇党委\n意见"), Cell("", colspan=5, align="left", height=56, sign=["（盖章）", SIGN_DATE])])
    rows.append([L("县委组织部\n意见"), Cell("", colspan=5, align="left", height=56, sign=["（盖章）", SIGN_DATE])])
    return Paper(
        title=f"{campaign.year}年度{POST}申报表",
        filename=f"申报表-{nomination.org.name}-{m.name}",
        blocks=[
            Para(f"申报单位（盖章）：{nomination.org.name}", align="left", indent=False, size=12),
            Table(rows, widths=[17, 17, 13, 17, 15, 21]),
        ],
        body_size=14,
        title_size=20,
        table_size=12,
    )


def applications_queryset(qs):
    return qs.select_related("member", "org", "candidate__meeting", "campaign__town", "proposal").order_by("org__path", "pk")


# --- 支部党员大会会议记录 ------------------------------------------------------------------------------------------


def minutes(meeting: Meeting) -> Paper:
    """Date, place, chair, recorder; expected / present / absent with reasons; candidates; each round's
    tally; the result; the chair's and the recorder's signatures."""
    org, campaign = meeting.org, meeting.campaign
    attendance = list(meeting.attendance.select_related("member").order_by("member__name", "pk"))
    present = [a for a in attendance if a.presence == Presence.PRESENT]
    absent = [a for a in attendance if a.presence == Presence.ABSENT]
    excused = [a for a in attendance if a.presence == Presence.EXCUSED]
    nonvoting = [a for a in present if not a.is_voter]

    def names(rows, reason: bool = False) -> str:
        if not rows:
            return "无"
        return "、".join(f"{a.member.name}（{a.reason}）" if reason and a.reason else a.member.name for a in rows)

    L = lambda text, **kw: Cell(text, label=True, **kw)  # noqa: E731
    head = [
        [L("会议时间"), Cell(cn_date(meeting.date)), L("会议地点"), Cell(meeting.place)],
        [L("主 持 人"), Cell(meeting.chair), L("记 录 人"), Cell(meeting.recorder)],
        [
            L("应到有表决权\n党员"),
            Cell(f"{meeting.expected_voters if meeting.expected_voters is not None else '   '}名"),
            L("实到有表决权\n党员"),
            Cell(f"{meeting.present_voters if meeting.present_voters is not None else '   '}名"),
        ],
        [L("到会党员"), Cell(names(present), colspan=3, align="left")],
        [L("缺席党员\n及原因"), Cell(names(absent, reason=True), colspan=3, align="left")],
        [L("请假党员\n（不计入应到）"), Cell(names(excused, reason=True), colspan=3, align="left")],
        [L("列席党员\n（无表决权）"), Cell(names(nonvoting), colspan=3, align="left")],
        [L("表决方式"), Cell("无记名投票（" + ("电子投票码" if meeting.method == VoteMethod.ELECTRONIC else "纸质选票") + "）", colspan=3)],
        [L("会议议题"), Cell(f"民主推荐{campaign.year}年度{POST}人选", colspan=3)],
    ]
    blocks: list = [Table(head, widths=[22, 28, 22, 28])]
    if meeting.quota_value is not None:
        blocks.append(Para(f"本支部{POST}推荐名额：{meeting.quota_explain or meeting.quota_value}。"))
    if meeting.quorate is not None:
        blocks.append(
            Para(
                "到会有表决权党员超过应到人数的半数，会议有效。"
                if meeting.quorate
                else "到会有表决权党员未超过应到人数的半数，会议不能进行表决。"
            )
        )
    numerals = iter("一二三四五六七八九十")
    candidates = list(meeting.candidates.select_related("member"))
    if candidates:
        blocks.append(Heading(f"{next(numerals)}、候选人"))
        blocks.append(Para("、".join(f"{c.member.name}（{c.post}）" for c in candidates) + "。"))
    rounds = list(meeting.rounds.filter(status=RoundStatus.CLOSED).prefetch_related("tallies").order_by("number"))
    for poll in rounds:
        runoff = "（并列候选人再次投票）" if poll.number > 1 else ""
        blocks.append(Heading(f"{next(numerals)}、第{poll.number}轮投票及计票情况{runoff}"))
        tallies = {t.teller: t for t in poll.tallies.all()}
        returned = poll.used
        numbers = f"发出选票{poll.issued}张，收回{returned}张"
        if poll.valid is not None:
            numbers += f"，其中有效票{poll.valid}张、无效票{poll.invalid or 0}张"
        blocks.append(Para(f"本轮每张选票最多可选{poll.max_choices}人。{numbers}。"))
        if tallies:
            tellers = "；".join(f"{t.get_teller_display()}：{t.teller_name or '（未填写）'}" for t in tallies.values())
            blocks.append(Para(tellers + "。"))
        results = list(poll.results.select_related("candidate__member").order_by("-votes", "candidate_id"))
        rows = [[Cell("序号"), Cell("候选人"), Cell("工作岗位/职务"), Cell("得票数"), Cell("是否过半数"), Cell("结果")]]
        for i, r in enumerate(results, start=1):
            outcome = "推荐" if r.recommended else "并列，需再次投票" if r.tied else "未推荐"
            rows.append(
                [
                    Cell(str(i)),
                    Cell(r.candidate.member.name),
                    Cell(r.candidate.post),
                    Cell(str(r.votes)),
                    Cell("是" if r.passed else "否"),
                    Cell(outcome),
                ]
            )
        blocks.append(Table(rows, widths=[8, 16, 30, 12, 14, 20], header_rows=1))
    recommended = list(meeting.recommended_candidates().select_related("member"))
    if rounds:
        blocks.append(Heading(f"{next(numerals)}、推荐结果"))
        blocks.append(
            Para(
                "经无记名投票，得票超过到会有表决权党员半数、在名额以内的推荐人选为："
                + ("、".join(c.member.name for c in recommended) if recommended else "无")
                + "。"
            )
        )
    blocks.append(Signature(["主持人（签字）：              ", "记录人（签字）：              "]))
    return Paper(
        title=f"{org.name}党员大会会议记录",
        filename=f"会议记录-{org.name}-{meeting.date:%Y%m%d}",
        blocks=blocks,
        table_size=12,
    )


# --- 支部推荐名单 --------------------------------------------------------------------------------------------------


def branch_list(proposal: Proposal) -> Paper:
    org, campaign = proposal.org, proposal.campaign
    nominations = list(proposal.nominations.select_related("member", "candidate").exclude(status="withdrawn").order_by("pk"))
    rows = [[Cell("序号"), Cell("姓名"), Cell("性别"), Cell("出生年月"), Cell("工作岗位/职务"), Cell("党员大会得票")]]
    for i, n in enumerate(nominations, start=1):
        votes = _votes(n.candidate_id)
        rows.append(
            [
                Cell(str(i)),
                Cell(n.member.name),
                Cell(n.member.gender),
                Cell(cn_month(n.member.birth_date)),
                Cell(n.candidate.post),
                Cell("" if votes is None else f"{votes}票"),
            ]
        )
    meeting = proposal.meeting
    blocks = [
        Para(
            f"{cn_date(meeting.date)}，{org.name}召开党员大会，民主推荐{campaign.year}年度{POST}人选；"
            f"{cn_date(proposal.committee_date)}，支部委员会（参会支委：{proposal.committee_attendees}）研究确定推荐人选如下："
        ),
        Table(rows, widths=[8, 14, 8, 14, 36, 16], header_rows=1),
        Para(f"支部意见：{proposal.opinion}"),
        Para(f"推荐名单已于{cn_date(proposal.publicity_start)}至{cn_date(proposal.publicity_end)}在支部范围内公示。"),
        Signature([f"{org.name}（盖章）", cn_date(proposal.committee_date)]),
    ]
    return Paper(title=f"{org.name}\n{campaign.year}年度{POST}推荐名单", filename=f"推荐名单-{org.name}", blocks=blocks)


# --- 镇参评名单 ----------------------------------------------------------------------------------------------------


def county_list(campaign: Campaign, nominations) -> Paper:
    """The 参评名单 the town reports to the county organization department (the caller passes the listed
    nominations it may see)."""
    nominations = list(nominations)
    rows = [[Cell("序号"), Cell("姓名"), Cell("性别"), Cell("出生年月"), Cell("所在党组织"), Cell("工作岗位/职务"), Cell("主要事迹")]]
    for i, n in enumerate(nominations, start=1):
        rows.append(
            [
                Cell(str(i)),
                Cell(n.member.name),
                Cell(n.member.gender),
                Cell(cn_month(n.member.birth_date)),
                Cell(n.org.name),
                Cell(n.candidate.post),
                Cell(n.candidate.deeds, align="left"),
            ]
        )
    listed_on = max((n.listed_at for n in nominations if n.listed_at), default=None)
    day = listed_on.date() if listed_on else None
    town = town_name(campaign)
    blocks = [
        Para(
            f"根据{town}{campaign.year}年{campaign.title}实施方案，经各党支部民主推荐、支部委员会推选、镇党委审批，"
            f"现将{town}{campaign.year}年度{POST}参评人员名单（共{len(nominations)}名）报上，请审核。"
        ),
        Table(rows, widths=[7, 11, 7, 12, 20, 17, 26], header_rows=1, size=10.5),
        Para(f"联系人：{campaign.office_contact}    联系电话：{campaign.office_phone}", indent=True),
        Signature([_issuer(campaign), cn_date(day)]),
    ]
    return Paper(
        title=f"{town}{campaign.year}年度{POST}\n参评人员名单",
        filename=f"参评名单-{town}-{campaign.year}",
        blocks=blocks,
    )


# --- 公示 ----------------------------------------------------------------------------------------------------------


def qr_image(url: str, caption: str, width_mm: float = 30) -> Image:
    qr = segno.make(url, error="m")
    import io

    png = io.BytesIO()
    qr.save(png, kind="png", scale=8, border=2)
    svg = io.BytesIO()
    qr.save(svg, kind="svg", scale=8, border=2, xmldecl=False)
    return Image(png=png.getvalue(), svg=svg.getvalue().decode(), width_mm=width_mm, caption=caption)


def notice(notice: Notice, public_url: str) -> Paper:
    """关于…拟表彰对象的公示: the list (name, organization, post, deeds), the period, how to object, the
    issuer and date, a QR code to the online notice. Public: no ID number, phone or birth date."""
    campaign = notice.campaign
    entries = list(notice.nominations.select_related("member", "org", "candidate").order_by("org__path", "pk"))
    town = town_name(campaign)
    rows = [[Cell("序号"), Cell("姓名"), Cell("所在党组织"), Cell("工作岗位/职务"), Cell("主要事迹")]]
    for i, n in enumerate(entries, start=1):
        rows.append([Cell(str(i)), Cell(n.member.name), Cell(n.org.name), Cell(n.candidate.post), Cell(n.candidate.deeds, align="left")])
    kind = "个工作日" if notice.day_kind == "working" else "天"
    contact = "、".join(s for s in (campaign.office_contact, campaign.office_phone) if s)
    blocks = [
        Para(
            f"根据{town}{campaign.year}年{campaign.title}实施方案，经党支部民主推荐、支部委员会推选、镇党委审批，"
            f"拟表彰以下{len(entries)}名同志为{campaign.year}年度“{POST}”，现予以公示。"
        ),
        Table(rows, widths=[8, 12, 22, 20, 38], header_rows=1, size=11),
        Para(f"公示时间：{cn_date(notice.start)}至{cn_date(notice.end)}（{notice.days}{kind}）。"),
        Para(
            "公示期间，如对公示对象有异议，可扫描下方二维码在线反映，或以来信、来电、来访方式向"
            f"{campaign.office_name}反映{f'（联系人、电话：{contact}）' if contact else ''}。"
            "反映问题应实事求是，提倡署名反映；匿名反映的，可凭在线反映后取得的查询码查询办理结果。"
        ),
        Signature([_issuer(campaign), cn_date(notice.start)], image=qr_image(public_url, "扫码查看公示、在线反映意见", width_mm=26)),
    ]
    title = notice.title.replace("关于", "\n关于", 1) if len(notice.title) > 20 else notice.title
    return Paper(title=title, filename=f"公示-{town}-{campaign.year}", blocks=blocks)


# --- 表彰决定 and 荣誉证书 -----------------------------------------------------------------------------------------


def _commended(decision) -> list[Nomination]:
    return list(decision.nominations.select_related("member", "org", "candidate").order_by("certificate_no", "pk"))


def commendation(decision) -> Paper:
    """关于表彰…的决定, with its 文号: the commended, by organization; the issuer and date. Public."""
    campaign = decision.campaign
    town = town_name(campaign)
    commended = _commended(decision)
    by_org: dict[str, list[Nomination]] = {}
    for n in sorted(commended, key=lambda n: (n.org.path, n.pk)):
        by_org.setdefault(n.org.name, []).append(n)
    blocks: list = [
        Para("各党支部（党总支）："),
        Para(
            f"{campaign.year}年，全镇各基层党组织深入开展{campaign.title}，广大党员立足岗位、担当作为，涌现出一批"
            "政治过硬、作用突出、群众公认的先进典型。为树立榜样、激励先进，根据"
            f"{town}{campaign.year}年{campaign.title}实施方案，经党支部民主推荐、镇党委审批和公示，"
            f"镇党委决定，授予{'、'.join(n.member.name for n in commended) or '（无）'}等{len(commended)}名同志"
            f"{campaign.year}年度“{POST}”称号，颁发荣誉证书。"
        )
        if commended
        else Para("本年度无表彰对象。"),
        Para(
            "希望受表彰的同志珍惜荣誉、再接再厉，充分发挥示范带动作用。全镇广大党员要以先进为榜样，"
            "立足本职、争创一流，为推动高质量发展作出新的更大贡献。"
        ),
        Para(f"附件：{campaign.year}年度{POST}名单", indent=True),
        Signature([_issuer(campaign), cn_date(decision.date)]),
    ]
    if commended:
        blocks.append(PageBreak())
        blocks.append(Para("附件", align="left", indent=False, face="heading"))
        blocks.append(Para(f"{campaign.year}年度{POST}名单", align="center", indent=False, face="title", size=20, bold=True))
        rows = [[Cell("序号"), Cell("姓名"), Cell("所在党组织"), Cell("工作岗位/职务"), Cell("证书编号")]]
        i = 0
        for org_name, rows_of in by_org.items():
            for n in rows_of:
                i += 1
                rows.append([Cell(str(i)), Cell(n.member.name), Cell(org_name), Cell(n.candidate.post), Cell(n.certificate_no)])
        blocks.append(Table(rows, widths=[8, 14, 28, 28, 22], header_rows=1))
    return Paper(
        title=f"{campaign.town.name}\n关于表彰{campaign.year}年度{POST}的决定",
        doc_number=decision.doc_number,
        filename=f"表彰决定-{town}-{campaign.year}",
        blocks=blocks,
    )


def certificates(decision) -> Paper:
    """One 荣誉证书 per commended nomination, one landscape page each, numbered; then the plaque text of each post."""
    campaign = decision.campaign
    blocks: list = []
    for i, n in enumerate(_commended(decision)):
        if i:
            blocks.append(PageBreak())
        blocks += [
            Para("荣 誉 证 书", align="center", indent=False, face="title", size=44, bold=True),
            Para(f"{n.member.name}  同志：", align="left", indent=False, size=22),
            Para(
                f"在{campaign.year}年{campaign.title}中表现突出，被评为{campaign.year}年度“{POST}”。特发此证，以资鼓励。",
                size=22,
            ),
            Signature([_issuer(campaign), cn_date(decision.date)]),
            Para(f"证书编号：{n.certificate_no}", align="left", indent=False, size=12),
        ]
    if blocks:  # the plaque text (牌匾) of every post, for the sign maker
        rows = [[Cell("序号"), Cell("姓名"), Cell("所在党组织"), Cell("牌匾文字"), Cell("证书编号")]]
        for i, n in enumerate(_commended(decision), start=1):
            plaque = f"共产党员示范岗\n{_issuer(campaign)}\n{campaign.year}年"
            rows.append([Cell(str(i)), Cell(n.member.name), Cell(n.org.name), Cell(plaque), Cell(n.certificate_no)])
        blocks += [
            PageBreak(),
            Para("共产党员示范岗牌匾文字", align="center", indent=False, face="title", size=22, bold=True),
            Table(rows, widths=[8, 14, 26, 32, 20], header_rows=1),
        ]
    return Paper(
        title="",
        filename=f"荣誉证书-{town_name(campaign)}-{campaign.year}",
        blocks=blocks,
        certificate=True,
        page_numbers=False,
    )


def campaign_nominations(campaign: Campaign, user):
    """The nominations of a campaign the user may see, with what a 申报表 needs, for the zip batches."""
    return applications_queryset(Nomination.objects.visible_to(user).filter(campaign=campaign))
