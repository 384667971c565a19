"""示范村 in real Chromium, entirely through the pages: the town office designates two villages and forms the
inspection group; the inspector inspects one village with a photo (its GPS EXIF is removed), the report text is
generated and finalized; the office reports it to the county; the county approves and records the plaque.
A full-page screenshot of every step is saved as test-results/villages-NN-step.png."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.db import connections
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from apps.core import clock
from apps.villages.choices import VillageStatus
from apps.villages.models import Evidence, VillageCandidate

from .build_villages import image_bytes, roomy
from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-results"


@pytest.fixture(scope="session", autouse=True)
def _close_connections_opened_under_playwright(browser):
    yield
    connections.close_all()


class Run:
    def __init__(self, base: str, browser: Browser, prefix: str = "villages"):
        self.base, self.browser, self.n, self.contexts, self.prefix = base, browser, 0, [], prefix
        ARTIFACTS.mkdir(exist_ok=True)
        for old in ARTIFACTS.glob(f"{prefix}-*.png"):
            old.unlink()

    def login(self, username: str) -> Page:
        ctx = self.browser.new_context(locale="zh-CN")
        self.contexts.append(ctx)
        page = ctx.new_page()
        page.goto(f"{self.base}/")
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button.primary").click()
        expect(page).to_have_url(f"{self.base}/")
        return page

    def shot(self, page: Page, step: str) -> None:
        self.n += 1
        page.screenshot(path=str(ARTIFACTS / f"{self.prefix}-{self.n:02d}-{step}.png"), full_page=True)

    def close(self):
        for ctx in self.contexts:
            ctx.close()


def nav(page: Page, name: str):
    return page.locator("nav.mainnav").get_by_role("link", name=name, exact=True)


def test_village_from_designation_to_plaque(world, live_server, browser: Browser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = world
    roomy(w.campaign, 50)  # 2 villages × 50% = 1 … too few for two: the page must refuse, then 100%
    run = Run(live_server.url, browser)
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(image_bytes(gps=True, size=(64, 48)))
    today = clock.today()
    try:
        # --- 1. the town office designates two villages: over the quota first, then within it -------------------
        office = run.login("office")
        nav(office, "示范村").click()
        expect(office.locator("main")).to_contain_text("村党组织 2 个 × 50% = 1，不超过 → 1 个")
        office.get_by_label("东岭村党支部").check()
        office.get_by_label("南坑村党支部").check()
        office.get_by_role("button", name="确定为候选村").click()
        expect(office.locator("main .errors").first).to_contain_text("超出示范村名额")
        run.shot(office, "over-quota")
        roomy(w.campaign, 100)
        office.goto(f"{run.base}/campaigns/{w.campaign.pk}/villages/")
        office.get_by_label("东岭村党支部").check()
        office.get_by_label("南坑村党支部").check()
        office.get_by_role("button", name="确定为候选村").click()
        expect(office.locator("main")).to_contain_text("已确定 2 个示范村候选村")
        run.shot(office, "designated")

        # --- 2. the inspection group ---------------------------------------------------------------------------
        office.get_by_role("link", name="组建督查组").click()
        office.fill("input[name=name]", "第一督查组")
        office.select_option("select[name=leader]", label=str(w.inspector))
        office.locator("fieldset, div.field").filter(has_text="考察村").get_by_label("东岭村党支部").check()
        run.shot(office, "group-form")
        office.get_by_role("button", name="组建").click()
        expect(office.locator("main")).to_contain_text("已组建“第一督查组”")

        # --- 3. the inspector inspects 东岭村 with a photo and finalizes ----------------------------------------
        insp = run.login("inspector")
        nav(insp, "示范村").click()
        expect(insp.locator("main")).not_to_contain_text("南坑村党支部")
        insp.get_by_role("link", name="东岭村党支部").click()
        insp.get_by_role("link", name="填写考察记录").click()
        insp.fill("input[name=visit_dates]", (today - dt.timedelta(days=1)).isoformat())
        insp.fill("textarea[name=people_met]", "村两委成员、党员群众代表 8 人")
        for order in range(1, 6):
            insp.fill(f"textarea[name=text_{order}]", f"第{order}项标准落实到位，台账齐全。")
            insp.fill(f"input[name=score_{order}]", "18")
        insp.select_option("select[name=conclusion]", "recommend")
        insp.fill("textarea[name=signatures]", f"测试组长 {today.isoformat()}")
        insp.get_by_role("button", name="保存并按考察情况重新生成报告正文").click()
        expect(insp.locator("textarea[name=report_text]")).to_have_value(re.compile("合计得分：90分"))
        run.shot(insp, "inspection-form")
        insp.get_by_role("link", name="返回").click()
        insp.set_input_files("input[name=file]", str(photo))
        insp.get_by_role("button", name="上传").click()
        expect(insp.locator("main")).to_contain_text("佐证材料已上传")
        insp.get_by_role("button", name="考察报告定稿（定稿后只读）").click()
        expect(insp.locator("main")).to_contain_text("考察报告已定稿")
        run.shot(insp, "finalized")
        evidence = Evidence.objects.get()
        with evidence.file.open("rb") as fh, Image.open(io.BytesIO(fh.read())) as img:
            assert not img.getexif()

        # --- 4. the town reports to the county ------------------------------------------------------------------
        office.goto(f"{run.base}/campaigns/{w.campaign.pk}/villages/")
        office.get_by_role("button", name="报送县委组织部").click()
        expect(office.locator("main")).to_contain_text("已报送县委组织部")
        run.shot(office, "reported")

        # --- 5. the county approves and records the plaque ------------------------------------------------------
        county = run.login("county")
        nav(county, "示范村").click()
        county.get_by_role("link", name=str(w.town)).click()
        county.get_by_role("link", name="东岭村党支部").click()
        expect(county.locator("main")).to_contain_text("关于东岭村党支部创建共产党员示范村的考察报告")
        county.get_by_role("link", name="审定").click()
        county.get_by_label("批准命名为共产党员示范村").check()
        county.fill("input[name=date]", today.isoformat())
        county.fill("textarea[name=note]", "同意命名")
        county.fill("input[name=plaque_no]", "SFC-2026-001")
        county.get_by_role("button", name="保存").click()
        expect(county.locator("main")).to_contain_text("牌匾编号 SFC-2026-001")
        run.shot(county, "approved")
        c = VillageCandidate.objects.get(org=w.village)
        assert (c.status, c.plaque_no, c.plaque_date) == (VillageStatus.APPROVED, "SFC-2026-001", today)
    finally:
        run.close()


def test_plaque_review_in_the_browser(world, live_server, browser: Browser):
    """The town office finds last year's plaques due for review from its home page, records a 限期整改 for the
    示范村 (a missing due date is refused first); the county records the follow-up: not rectified, 摘牌.
    Screenshots: test-results/plaques-NN-step.png."""
    from apps.villages.models import PlaqueReview, Revocation

    from .build_villages import awarded_last_year

    village, _ = awarded_last_year(world)
    run = Run(live_server.url, browser, prefix="plaques")
    today = clock.today()
    try:
        office = run.login("office")
        office.get_by_role("link", name=re.compile("2 块牌匾待年度复查")).click()
        expect(office.locator("main")).to_contain_text(f"{today.year} 年度待复查")
        run.shot(office, "due")
        office.get_by_role("link", name="SFC-1").click()
        office.fill("input[name=reviewers]", "镇党建办 王五、赵六")
        office.fill("textarea[name=findings]", "党群服务中心活动室闲置，台账不全。")
        office.get_by_label("限期整改").check()
        office.get_by_role("button", name="保存复查记录").click()
        expect(office.locator("main")).to_contain_text("限期整改须写明整改期限")
        assert not PlaqueReview.objects.exists()
        office.fill("input[name=due_date]", (today + dt.timedelta(days=30)).isoformat())
        office.get_by_role("button", name="保存复查记录").click()
        expect(office.locator("main")).to_contain_text(f"已记录{today.year}年度复查：限期整改")
        expect(office.locator("main h1")).to_contain_text("限期整改中")
        run.shot(office, "rectify")

        county = run.login("county")
        county.goto(f"{run.base}/plaques/villages/{village.pk}/")
        county.get_by_label("整改不到位，摘牌").check()
        county.fill("textarea[name=note]", "逾期未整改到位")
        county.get_by_role("button", name="保存整改复查结论").click()
        expect(county.locator("main")).to_contain_text("已记录整改复查结论：整改不到位，摘牌")
        expect(county.locator("main h1")).to_contain_text("已摘牌")
        run.shot(county, "revoked")
        assert Revocation.objects.get(village=village).reason == "逾期未整改到位"
    finally:
        run.close()
