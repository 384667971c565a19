"""One branch from the general meeting to the commendation, entirely through the web pages in real Chromium.

Only the world is set up in the database (members, appraisals, the campaign); every step after that is a role
logging in through the login form and clicking through the pages: the secretary registers the meeting, takes
attendance, adds candidates and opens the electronic poll; nine voters vote on a 360×740 phone with the codes
of the printed slips; the secretary closes the poll and submits the branch committee's proposal; the town
approver approves; the town office forms the county list, posts the 公示, a visitor files an objection on
the public page, the office dismisses it; after the period the approver commends. A full-page screenshot of
every step is saved as test-results/workflow-NN-step.png.

The 公示 must be running for the public objection and over for the commendation. Rather than writing the
notice's dates into the database, the test lets the days pass: the process's clock (time-machine) moves on to the
day after the notice ends, and keeps running (the live server runs in this process)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from apps.campaigns.models import Campaign
from apps.core import clock
from apps.notices.models import Notice
from apps.orgs.choices import Category, Grade
from apps.orgs.models import Appraisal

from . import factories as f
from .browser_support import ARTIFACTS, close_connections_opened_under_playwright  # noqa: F401
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


class Run:
    """The live server's address, the screenshots in order, and every request any browser context made."""

    def __init__(self, base: str, browser: Browser):
        self.base = base
        self.browser = browser
        self.n = 0
        self.requests: list[str] = []
        self.contexts: list[BrowserContext] = []
        ARTIFACTS.mkdir(exist_ok=True)
        for old in ARTIFACTS.glob("workflow-*.png"):
            old.unlink()

    def context(self, **kw) -> Page:
        ctx = self.browser.new_context(locale="zh-CN", **kw)
        ctx.on("request", lambda r: self.requests.append(r.url))
        self.contexts.append(ctx)
        return ctx.new_page()

    def login(self, username: str, **kw) -> Page:
        page = self.context(**kw)
        page.goto(f"{self.base}/")
        expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button.primary").click()
        expect(page).to_have_url(f"{self.base}/")
        return page

    def shot(self, page: Page, step: str) -> None:
        self.n += 1
        page.screenshot(path=str(ARTIFACTS / f"workflow-{self.n:02d}-{step}.png"), full_page=True)

    def close(self):
        for ctx in self.contexts:
            ctx.close()


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width}px wide"


def nav(page: Page, name: str):
    return page.locator("nav.mainnav").get_by_role("link", name=name, exact=True)


def main(page: Page):
    return page.locator("main")


def set_up_world(w):
    """The branch 东岭村: 10 正式党员 in 册 (张三 and nine more, all 合格 for the appraisal year except one
    under a 不合格 appraisal), the 预备党员 李四; the town's campaign admits 20% → 2 places."""
    deadline = max(w.campaign.deadline, clock.today() + dt.timedelta(days=20))  # still open in late December
    Campaign.objects.filter(pk=w.campaign.pk).update(post_quota_percent=20, deadline=deadline)
    Appraisal.objects.create(member=w.member, year=w.campaign.appraisal_year, grade=Grade.EXCELLENT)
    names = ["陈春华", "林秋生", "黄冬梅", "吴夏禾", "郑南山", "冯北川", "褚东篱", "卫西岭"]
    people = [f.member(w.village, n) for n in names]
    for m in people:
        Appraisal.objects.create(member=m, year=w.campaign.appraisal_year, grade=Grade.QUALIFIED)
    failed = f.member(w.village, "蒋不合")
    Appraisal.objects.create(member=failed, year=w.campaign.appraisal_year, grade=Grade.UNQUALIFIED)
    assert w.probationary.category == Category.PROBATIONARY
    return people, failed


def days_pass(time_machine, today: dt.date) -> None:
    """From now on the whole process, the live server with it, believes it is `today` (the clock keeps running)."""

    now = timezone.now()
    time_machine.move_to(now + (today - timezone.localdate(now)), tick=True)


def test_one_branch_from_meeting_to_commendation(world, live_server, browser: Browser, time_machine):
    w = world
    people, failed = set_up_world(w)
    run = Run(live_server.url, browser)
    base = run.base
    today = clock.today()
    meeting_day = today - dt.timedelta(days=10)
    try:
        # --- 1. the secretary registers the branch general meeting from the campaign page -----------------------
        sec = run.login("secretary")
        run.shot(sec, "secretary-home")
        nav(sec, "示范行动").click()
        expect(sec.locator("h1")).to_contain_text("共产党员示范行动")
        run.shot(sec, "campaign")
        sec.get_by_role("link", name="本支部党员大会").click()
        expect(sec.locator("h1")).to_contain_text("东岭村党支部")
        sec.fill("input[name=date]", meeting_day.isoformat())
        sec.fill("input[name=place]", "东岭村党群服务中心")
        sec.fill("input[name=chair]", "主持人甲")
        sec.fill("input[name=recorder]", "记录人乙")
        sec.check("input[name=method][value=electronic]")
        run.shot(sec, "meeting-form")
        sec.get_by_role("button", name="登记会议").click()
        expect(main(sec)).to_contain_text("已登记支部党员大会")

        # --- 2. attendance: 卫西岭 excused with a reason, everyone else present (李四 attends without a vote) --
        expect(sec.locator("h1")).to_contain_text("签到")
        excused = people[-1]
        sec.check(f"input[name=p_{excused.pk}][value=excused]")
        sec.get_by_role("button", name="保存签到").click()  # a slip: excused without a reason
        expect(sec.locator("main .errors")).to_contain_text(f"{excused.name}请假，须填写原因")
        expect(sec.locator(f"input[name=p_{excused.pk}][value=excused]")).to_be_checked()  # the input is kept
        run.shot(sec, "attendance-missing-reason")
        sec.fill(f"input[name=r_{excused.pk}]", "外出务工")
        run.shot(sec, "attendance")
        sec.get_by_role("button", name="保存签到").click()
        facts = main(sec)
        expect(facts).to_contain_text("应到有表决权党员9 人")
        expect(facts).to_contain_text("实到有表决权党员9 人")
        expect(facts).to_contain_text("有效")
        expect(facts).to_contain_text("2 人（已冻结）")
        expect(facts).to_contain_text("外出务工")
        expect(facts).to_contain_text("无（预备党员）")
        run.shot(sec, "meeting-after-attendance")

        # --- 3. candidates: the 不合格 member is refused with the reason -----------------------------------------
        sec.locator("nav.subnav").get_by_role("link", name="候选人").click()
        row = sec.locator("tr", has_text=failed.name)
        expect(row).to_contain_text("不符合")
        expect(row).to_contain_text("不合格")
        expect(sec.locator("select[name=member] option", has_text=failed.name)).to_have_count(0)
        expect(sec.locator("tr", has_text="李四")).to_contain_text("不符合")
        chosen = [w.member, people[0], people[1]]
        for person, post in zip(chosen, ["村民小组长", "茶叶合作社理事长", "村卫生室医生"], strict=True):
            sec.select_option("select[name=member]", label=person.name)
            sec.fill("input[name=post]", post)
            sec.fill("textarea[name=deeds]", f"{person.name}同志带头参与人居环境整治，帮助群众发展产业。")
            crit = sec.locator("textarea[name^=crit_]")
            for i in range(crit.count()):
                crit.nth(i).fill("对照该条标准，表现突出。")
            sec.get_by_role("button", name="确定为候选人").click()
            expect(sec.locator("main")).to_contain_text(f"已确定候选人：{person.name}")
        run.shot(sec, "candidates")

        # --- 4. the electronic poll: the printable slips ------------------------------------------------------
        sec.locator("nav.subnav").get_by_role("link", name="开启投票").click()
        expect(main(sec)).to_contain_text("生成 9 张一次性投票码")
        run.shot(sec, "poll-open")
        sec.get_by_role("button", name="开启投票并生成投票码").click()
        expect(sec.locator("h1")).to_contain_text("第 1 轮投票码（9 张）")
        codes = [c.strip() for c in sec.locator(".slip-code").all_inner_texts()]
        assert len(codes) == 9 and len(set(codes)) == 9
        expect(sec.locator(".slip-qr svg")).to_have_count(9)
        expect(sec.locator(".slip-text").first).to_contain_text(f"{base}/vote/")  # the address the QR code opens
        run.shot(sec, "slips")
        sec.get_by_role("link", name="已打印，查看投票进度").click()
        expect(sec.locator(".big-count")).to_have_text("已投 0 / 共 9 张")

        # --- 5. nine voters on their phones, each with a slip ------------------------------------------------
        phone = run.context(viewport=PHONE, is_mobile=True, has_touch=True)
        # 张三 8 votes, 陈春华 7, 林秋生 2, one blank ballot: both first pass (> 9/2) and fill the 2 places.
        picks = [[0, 1]] * 6 + [[0, 2]] * 2 + [[1]]
        assert len(picks) == 9
        for i, (code, pick) in enumerate(zip(codes, picks, strict=True)):
            if i == 1:  # no camera: the voter types the slip's code, in lower case and without the dashes
                phone.goto(f"{base}/vote/")
                phone.fill("input[name=code]", code.replace("-", "").lower())
                phone.get_by_role("button", name="下一步").click()
            else:  # what the QR code opens
                phone.goto(f"{base}/vote/?code={code}")
            expect(phone.locator("h1")).to_contain_text("匿名投票")
            expect(phone.locator(".vote-list input[type=checkbox]")).to_have_count(3)
            for k in pick:
                phone.get_by_label(re.compile(chosen[k].name)).check()
            no_sideways_scroll(phone)
            if i == 0:
                expect(phone.get_by_label(re.compile(chosen[2].name))).to_be_disabled()  # the quota reached: 2 of 2
                expect(phone.locator(".vote-left")).to_have_text("已选 2 人。")
                run.shot(phone, "voter-page-360")
            phone.get_by_role("button", name=re.compile("提交选票")).click()
            expect(phone.locator("h1")).to_have_text("投票成功")
            no_sideways_scroll(phone)
            if i == 3:  # the secretary's open progress page follows by itself (htmx, every 5 s), counts only
                expect(sec.locator(".big-count")).to_have_text("已投 4 / 共 9 张", timeout=20_000)
                expect(main(sec)).not_to_contain_text(w.member.name)
            if i == 0:
                run.shot(phone, "voter-thanks-360")
                phone.goto(f"{base}/vote/?code={code}")  # the same slip a second time
                expect(phone.locator(".errors")).to_contain_text("投票码无效、已使用")
                run.shot(phone, "voter-code-used-360")

        # --- 6. before the close the secretary sees only the count; then close and read the results ---------
        sec.reload()
        expect(sec.locator(".big-count")).to_have_text("已投 9 / 共 9 张")
        for person in chosen:
            expect(main(sec)).not_to_contain_text(person.name)
        run.shot(sec, "poll-progress")
        sec.once("dialog", lambda d: d.accept())
        sec.get_by_role("button", name="结束投票并计票").click()
        expect(main(sec)).to_contain_text("第 1 轮投票已结束并计票")
        results = sec.locator("table", has_text="得票")
        expect(results.locator("tr", has_text=w.member.name)).to_contain_text("8")
        expect(results.locator("tr", has_text=people[0].name)).to_contain_text("7")
        expect(results.locator("tr", has_text=people[1].name)).to_contain_text("否")
        run.shot(sec, "results")

        # --- 7. the branch committee's proposal, submitted to the town ----------------------------------------
        sec.get_by_role("link", name="下一步：支委会确定推荐对象并报送").click()
        expect(sec.locator("h1")).to_contain_text("支委会确定示范岗推荐对象")
        sec.fill("input[name=committee_date]", (meeting_day + dt.timedelta(days=1)).isoformat())
        sec.fill("textarea[name=committee_attendees]", "主持人甲、记录人乙、支委丙")
        for person in chosen[:2]:
            sec.get_by_label(re.compile(person.name)).check()
        sec.fill("textarea[name=opinion]", "经支委会研究，同意推荐上述同志为共产党员示范岗。")
        sec.fill("input[name=publicity_start]", (meeting_day + dt.timedelta(days=2)).isoformat())
        sec.fill("input[name=publicity_end]", (meeting_day + dt.timedelta(days=7)).isoformat())
        run.shot(sec, "proposal-form")
        sec.get_by_role("button", name="保存").click()
        expect(sec.locator("h1")).to_contain_text("示范岗推荐与报送")
        run.shot(sec, "proposal")
        sec.get_by_role("button", name="报送镇党委").click()
        expect(main(sec)).to_contain_text("已报送镇党委，等待审批")
        expect(main(sec)).not_to_contain_text("暂不能报送")  # nothing left to submit is not an error
        run.shot(sec, "proposal-submitted")

        # --- 8. the town approver approves ------------------------------------------------------------------
        appr = run.login("approver")
        run.shot(appr, "approver-home")
        appr.locator(".tasks").get_by_role("link", name=re.compile("待审批")).click()
        expect(appr.locator("h1")).to_contain_text("镇党委审批")
        run.shot(appr, "review")
        for person in chosen[:2]:
            appr.locator("article.nomination", has_text=person.name).get_by_role("button", name="同意").click()
            expect(appr.locator("article.nomination", has_text=person.name)).to_contain_text("同意")
        run.shot(appr, "reviewed")

        # --- 9. the town office: county list, then the 公示 starting today ------------------------------------
        off = run.login("office")
        run.shot(off, "office-home")
        off.locator(".tasks").get_by_role("link", name=re.compile("报送参评名单")).click()
        off.get_by_role("button", name=re.compile("报送参评名单")).click()
        listed = off.locator("table")
        for person in chosen[:2]:
            expect(listed).to_contain_text(person.name)
        run.shot(off, "county-list")
        expect(main(off)).not_to_contain_text("暂不能报送参评名单")  # formed is not an error
        off.get_by_role("link", name="下一步：发布公示").click()
        off.fill("input[name=start]", today.isoformat())
        run.shot(off, "notice-form")
        off.get_by_role("button", name="发布公示").click()
        expect(main(off)).to_contain_text("已发布公示")
        expect(main(off)).to_contain_text(re.compile(r"· 剩 \d+ 天"))
        run.shot(off, "notices")

        # --- 10. an anonymous visitor on a phone reads the public notice and files an objection -------------
        notice = Notice.objects.get(campaign=w.campaign)
        visitor = run.context(viewport=PHONE, is_mobile=True, has_touch=True)
        visitor.goto(base + notice.public_path())
        expect(visitor.locator("h1")).to_contain_text("公示")
        expect(visitor.locator(".countdown")).to_contain_text("距公示结束还有")
        body = visitor.locator("body").inner_text()
        for person in chosen[:2]:
            assert person.name in body
            assert person.id_number not in body and person.phone not in body
            assert person.birth_date.strftime("%Y") not in body
        no_sideways_scroll(visitor)
        run.shot(visitor, "public-notice-360")
        visitor.locator("#objection a.button").click()
        expect(visitor.locator("h1")).to_contain_text("提出异议")
        visitor.select_option("select[name=nomination]", label=f"{people[0].name}（{w.village.name}）")
        visitor.fill("textarea[name=text]", "反映该同志合作社账目公开不及时（测试）。")
        visitor.locator("#objection button.primary").click()
        tracking = visitor.locator(".tracking-code")
        expect(tracking).to_have_text(re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$"))
        no_sideways_scroll(visitor)
        run.shot(visitor, "objection-filed-360")
        code = tracking.inner_text()

        # --- 11. the office investigates and dismisses it; the visitor sees the conclusion ------------------
        off.goto(f"{base}/")
        run.shot(off, "office-home-objection")
        off.locator(".tasks").get_by_role("link", name=re.compile("办结公示异议")).click()
        off.locator("table a").first.click()
        expect(main(off)).to_contain_text("反映该同志合作社账目公开不及时")
        off.fill("textarea[name=text]", "经查阅合作社账目和公开栏，账目已按季度公开。")
        off.get_by_role("button", name="保存核实记录").click()
        expect(main(off)).to_contain_text("账目已按季度公开")
        off.check("input[name=outcome][value=dismissed]")
        off.fill("textarea[name=conclusion]", "反映不属实，维持推荐。")
        run.shot(off, "objection-conclude")
        off.get_by_role("button", name="办结").click()
        expect(main(off)).to_contain_text("反映不属实，维持推荐")
        run.shot(off, "objection-concluded")
        visitor.goto(f"{base}/public/objections/")
        visitor.fill("input[name=code]", code)
        visitor.locator("main form button.primary").click()
        expect(main(visitor)).to_contain_text("反映不属实，维持推荐")
        no_sideways_scroll(visitor)
        run.shot(visitor, "objection-tracking-360")

        # --- 12. before the period ends the commendation is refused with the reason ------------------------
        nav(appr, "示范行动").click()
        appr.locator(".page-head").get_by_role("link", name="表彰", exact=True).click()
        expect(main(appr)).to_contain_text("仍在公示期内")
        expect(appr.get_by_role("button", name="表彰")).to_be_disabled()
        run.shot(appr, "commendation-blocked")

        # --- 13. the days pass; the approver commends, the results list the certificates -------------------
        notice.refresh_from_db()
        later = notice.end + dt.timedelta(days=1)
        days_pass(time_machine, later)
        appr.goto(f"{base}/")
        expect(appr.locator("h1")).to_contain_text("登录")  # a working day's session does not last the days
        appr = run.login("approver")
        run.shot(appr, "approver-home-commend")
        appr.locator(".tasks").get_by_role("link", name=re.compile("作出表彰决定")).click()
        expect(main(appr)).not_to_contain_text("仍在公示期内")
        appr.fill("input[name=doc_number]", f"东党发〔{today.year}〕27号")
        appr.fill("input[name=date]", later.isoformat())
        run.shot(appr, "commendation-form")
        appr.get_by_role("button", name="表彰").click()
        expect(main(appr).locator(".step-note")).to_contain_text(f"东党发〔{today.year}〕27号")
        table = appr.locator("table")
        for person in chosen[:2]:
            expect(table.locator("tr", has_text=person.name)).to_contain_text(re.compile(rf"{today.year}"))
        expect(table).not_to_contain_text(people[1].name)
        run.shot(appr, "commended")
        numbers = [t.strip() for t in table.locator("td.mono").all_inner_texts()]
        assert len(numbers) == 2 and len(set(numbers)) == 2
        assert all(re.fullmatch(rf"东岭镇-{w.campaign.year}-\d{{3}}", n) for n in numbers), numbers

        outside = [u for u in run.requests if not u.startswith(base) and not u.startswith("data:")]
        assert outside == [], outside
    except Exception:
        for i, ctx in enumerate(run.contexts):
            for page in ctx.pages:
                page.screenshot(path=str(ARTIFACTS / f"failure-{i}.png"), full_page=True)
        raise
    finally:
        run.close()
