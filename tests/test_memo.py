"""Values kept while nothing audited changes (apps/audit/memo.py): the progress board's rows, the county's
summary, the assessment. An action's audit row makes the very next page compute them again."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from apps.audit import memo
from apps.audit.chain import head_mark
from apps.audit.log import PUBLIC, record
from apps.audit.memo import FRESH_SECONDS, ReadOnlyRequest, kept_key, read_ahead, remember
from apps.core import clock
from apps.meetings import actions as meeting_actions


def _audited_change(actor):
    with transaction.atomic():
        record(actor, "member.update", note="测试")


def test_kept_until_an_audit_row_is_written(world):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert remember("test", world.office, compute, 1) == 1
    assert remember("test", world.office, compute, 1) == 1  # kept
    _audited_change(world.office)
    assert remember("test", world.office, compute, 1) == 2  # the head moved: computed again
    assert len(calls) == 2


def test_kept_per_user_and_per_part(world):
    values = iter(range(100))
    first = remember("test", world.office, lambda: next(values), 1)
    assert remember("test", world.secretary, lambda: next(values), 1) != first  # another user's scope
    assert remember("test", world.office, lambda: next(values), 2) != first  # another campaign
    assert remember("test", world.office, lambda: next(values), 1) == first


def test_a_new_version_of_the_code_does_not_read_what_the_old_one_kept(world, monkeypatch):
    values = iter(range(100))
    first = remember("test", world.office, lambda: next(values), 1)
    assert remember("test", world.office, lambda: next(values), 1) == first
    monkeypatch.setattr(memo, "code_version", lambda: "another deployment")
    assert remember("test", world.office, lambda: next(values), 1) != first


def test_the_board_shows_a_meeting_registered_since_the_last_look(world, login):
    client = login(world.office)
    url = f"/campaigns/{world.campaign.pk}/progress/"
    before = client.get(url).content.decode()
    assert world.village.name in before
    details = {"date": clock.today(), "place": "村部会议室", "chair": "甲", "recorder": "乙"}
    meeting = meeting_actions.create_meeting(world.office, world.campaign, world.village, details)
    after = client.get(url).content.decode()
    assert f"/meetings/{meeting.pk}/" in after and f"/meetings/{meeting.pk}/" not in before


def test_an_anonymous_actor_moves_the_head_too(world):
    values = iter(range(100))
    first = remember("test", None, lambda: next(values))
    _audited_change(PUBLIC)
    assert remember("test", None, lambda: next(values)) != first


def test_the_member_list_counts_a_member_added_since_the_last_look(world, login):
    import re

    from apps.orgs.actions import create_member

    from .test_member_rules import new_member

    client = login(world.office)

    def total() -> int:
        html = client.get("/members/").content.decode()
        return int(re.search(r"共 (\d+) 条", html).group(1))

    before = total()
    assert total() == before  # looked at again: the kept per-branch counts
    create_member(world.office, new_member(world))
    assert total() == before + 1


def test_a_search_shows_a_member_added_since_the_last_look(world, login):
    """A search keeps its matches' ids with its counts (apps/orgs/paging.py, MATCHES_KEPT): a member added by the
    action is on the very next page, in its place, and one renamed out of the search is gone from it."""
    from apps.orgs.actions import create_member, update_member

    from .test_member_rules import new_member

    client = login(world.office)

    def shown() -> list[int]:
        return list(client.get("/members/?q=新民").context["page"])  # the members shown, by id

    before = shown()
    assert shown() == before  # looked at again: the kept counts and ids
    added = create_member(world.office, new_member(world))
    assert added.pk in shown() and len(shown()) == len(before) + 1
    update_member(world.office, added, {"name": "陈旧"})
    assert shown() == before


def test_the_organization_tree_counts_a_member_added_since_the_last_look(world, login):
    from apps.orgs.actions import create_member

    from .test_member_rules import new_member

    client = login(world.county_user)
    url = f"/orgs/?under={world.town.pk}"

    def counts() -> tuple[int, int]:
        # Read from the page as shown: the second look serves the kept body, with no rows in the context.
        page = client.get(url).content.decode()
        row = re.search(rf">{world.town.name}</a>.*?<td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>", page, re.S)
        return int(row[1]), int(row[2])

    active, formal = counts()
    assert counts() == (active, formal)
    create_member(world.office, new_member(world))  # a 正式党员 of the town's village
    assert counts() == (active + 1, formal + 1)


def test_the_review_page_shows_a_decision_taken_since_the_last_look(world, login):
    from django.urls import reverse

    from apps.nominations import actions as nomination_actions
    from apps.nominations.choices import Decision

    from .build_nominations import submitted

    proposal = submitted(world.secretary, world.campaign, world.village, recommended=1)
    client = login(world.approver)
    url = reverse("nominations:review", args=[world.campaign.pk])
    assert "镇党委已审批" not in client.get(url).content.decode()
    office = login(world.office)
    assert "尚有 1 名推荐对象待审批" in office.get(url).content.decode()  # the county list's blockers, kept
    nomination_actions.decide_nomination(world.approver, proposal.nominations.get(), Decision.APPROVE)
    assert "镇党委已审批" in client.get(url).content.decode()
    assert "尚有 1 名推荐对象待审批" not in office.get(url).content.decode()
    overview = reverse("nominations:campaign_nominations", args=[world.campaign.pk])
    assert "镇党委已审批" in login(world.office).get(overview).content.decode()


def test_the_meeting_page_shows_a_candidate_added_since_the_last_look(world, login):
    from .build_meetings import all_present, candidate, formal_members, meeting

    extra = formal_members(world, 9)
    m = all_present(world, meeting(world))
    client = login(world.secretary)
    url = f"/meetings/{m.pk}/"
    before = client.get(url).content.decode()
    assert "候选人（0）" in before
    candidate(world, m, extra[0], post="调解员")
    after = client.get(url).content.decode()
    assert "候选人（1）" in after and f"{extra[0].name}，调解员" in after
    # The meeting itself, kept too (apps/audit/memo.fetch_kept): a change of its details shows at once.
    details = {"date": m.date, "chair": m.chair, "recorder": m.recorder, "place": "新建的党群服务中心"}
    meeting_actions.update_meeting(world.secretary, m, details)
    assert "新建的党群服务中心" in client.get(url).content.decode()


def test_the_notice_and_objection_pages_show_changes_since_the_last_look(world, login):
    from apps.notices.actions import create_notice, record_objection

    from .build_notices import listed_nomination

    nomination = listed_nomination(world.campaign, world.member)
    client = login(world.office)
    notices_url = f"/campaigns/{world.campaign.pk}/notices/"
    objections_url = f"/campaigns/{world.campaign.pk}/objections/"
    assert "待公示对象（1 人）" in client.get(notices_url).content.decode()
    assert "暂无异议" in client.get(objections_url).content.decode()
    notice = create_notice(world.office, world.campaign, clock.today())
    after = client.get(notices_url).content.decode()
    assert "待公示对象" not in after and notice.public_path() in after
    record_objection(world.office, notice, text="来信反映", received_on=notice.start, nomination_id=nomination.pk)
    html = client.get(objections_url).content.decode()
    assert "暂无异议" not in html and f"<td>{world.member.name}</td>" in html


def test_the_quota_page_counts_a_formal_member_added_since_the_last_look(world, login):
    from apps.orgs.actions import create_member

    from .test_member_rules import new_member

    client = login(world.office)
    url = f"/campaigns/{world.campaign.pk}/quotas/"

    def base() -> int:
        from .test_quota import quota_table

        return next(base for name, base, _ in quota_table(client.get(url).content.decode()) if name == world.village.name)

    before = base()
    assert base() == before  # looked at again: the kept table
    create_member(world.office, new_member(world))
    assert base() == before + 1


def test_the_audit_log_shows_a_row_written_since_the_last_look(world, login):
    client = login(world.office)
    before = client.get("/audit/").content.decode()
    assert "测试的新记录" not in before
    with transaction.atomic():
        record(world.office, "member.update", note="测试的新记录", town=world.town)
    assert "测试的新记录" in client.get("/audit/").content.decode()


def test_the_appraisal_sheet_shows_a_grade_saved_and_a_member_added_since_the_last_look(world, login):
    from apps.orgs.actions import create_member, record_appraisals

    from .test_member_rules import new_member

    client = login(world.secretary)
    year = world.campaign.appraisal_year
    url = f"/appraisals/?branch={world.village.pk}&year={year}"

    def selected(member) -> str:
        html = client.get(url).content.decode()
        row = html.split(f'name="grade-{member.pk}"', 1)[1].split("</select>", 1)[0]
        return row.split(" selected>", 1)[0].rsplit('value="', 1)[1].rstrip('"') if " selected>" in row else ""

    assert selected(world.member) == selected(world.member) == ""  # looked at again: the kept rows
    record_appraisals(world.secretary, year, {world.member: "excellent"})
    assert selected(world.member) == "excellent"
    added = create_member(world.secretary, new_member(world))
    assert added.name in client.get(url).content.decode()


def _campaign_reads(client, url, method="get", **kw) -> tuple[int, int]:
    """The response's status and how many queries read the campaigns table itself."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, **kw)
    return response.status_code, sum(1 for q in queries if 'FROM "campaigns_campaign"' in q["sql"])


def test_a_page_takes_its_campaign_as_read_under_the_audit_head(world, login):
    """apps/campaigns/lookup.py: the campaign a page works in is read once per audited change; a change made by
    the action shows on the very next look."""
    from apps.campaigns.actions import update_campaign

    client = login(world.office)
    url = f"/campaigns/{world.campaign.pk}/"
    (status, first), (again, kept) = _campaign_reads(client, url), _campaign_reads(client, url)
    assert status == again == 200 and kept == first - 1  # the campaign itself came from the shared cache
    update_campaign(world.office, world.campaign, {"title": "改过名称的示范行动"})
    assert "改过名称的示范行动" in client.get(url).content.decode()
    assert _campaign_reads(client, "/campaign/") == (302, 1)  # the current campaign: its own entry, read once
    assert _campaign_reads(client, "/campaign/") == (302, 0)


def test_a_request_that_may_change_something_reads_its_campaign_afresh(world, login):
    client = login(world.office)
    url = f"/campaigns/{world.campaign.pk}/criteria/new/"
    (status, first), (again, kept) = _campaign_reads(client, url), _campaign_reads(client, url)
    assert status == again == 200 and kept == first - 1
    status, posted = _campaign_reads(client, url, "post", data={"target": "", "text": ""})
    assert status == 200 and posted == first  # the form comes back with its errors; the campaign was read again


def test_a_kept_campaign_keeps_the_scope_and_the_role_checks(world, login):
    url = f"/campaigns/{world.campaign.pk}/"
    outsider = login(world.other_office)
    assert [outsider.get(url).status_code for _ in range(2)] == [404, 404]
    secretary = login(world.secretary)
    edit = f"/campaigns/{world.campaign.pk}/edit/"
    assert [secretary.get(url).status_code, secretary.get(edit).status_code, secretary.get(edit).status_code] == [200, 403, 403]


def _fresh(user):
    """The user as the next request reads them: a new object, so its scope is worked out again."""
    from apps.accounts.models import User

    return User.objects.select_related("organization").get(pk=user.pk)


def test_a_scope_read_from_the_tree_follows_the_tree_at_once(world):
    """apps/accounts/scope.py: a county's towns and an inspector's villages are kept under the audit head; a town
    or a village added by the action is in the very next request's scope."""
    from apps.core.scope import scope_of
    from apps.orgs.actions import create_organization
    from apps.orgs.choices import OrgKind, OrgLevel

    county_before, inspector_before = scope_of(_fresh(world.county_user)), scope_of(_fresh(world.inspector))
    assert scope_of(_fresh(world.county_user)) == county_before  # looked at again: kept
    town = create_organization(world.admin, {"name": "中共北岭镇委员会", "parent": world.county, "level": OrgLevel.TOWN})
    assert town.pk in scope_of(_fresh(world.county_user)).town_ids and town.pk not in county_before.town_ids
    village = create_organization(world.office, {"name": "北坑村党支部", "parent": world.town, "kind": OrgKind.VILLAGE})
    assert village.path in scope_of(_fresh(world.inspector)).org_paths and village.path not in inspector_before.org_paths


def test_a_scope_follows_the_users_own_row_at_once(world):
    """The user's role, organization and state are read afresh on every request: no kept scope outlives them."""
    from apps.accounts.models import Role, User
    from apps.core.scope import scope_of

    assert scope_of(_fresh(world.secretary)).org_paths == (world.village.path,)
    User.objects.filter(pk=world.secretary.pk).update(organization=world.village2)  # no audit row: the head stays
    assert scope_of(_fresh(world.secretary)).org_paths == (world.village2.path,)
    User.objects.filter(pk=world.secretary.pk).update(role=Role.INSPECTOR, organization=world.town)
    assert scope_of(_fresh(world.secretary)).member_paths == ()
    User.objects.filter(pk=world.secretary.pk).update(is_active=False)
    assert scope_of(_fresh(world.secretary)).org_paths == ()


def test_the_county_home_and_summary_show_a_campaign_created_since_the_last_look(world, login):
    from decimal import Decimal

    from apps.campaigns.actions import create_campaign

    from .test_campaigns import campaign_data

    town = world.county.children.create(name="中共北岭镇委员会", level="town", kind=world.town.kind)
    client = login(world.county_user)
    assert "中共北岭镇委员会" not in client.get("/").content.decode()
    admin = world.admin
    data = campaign_data(year=world.campaign.year, deadline=world.campaign.deadline)
    percents = {k: Decimal(data[k]) for k in ("post_quota_percent", "village_quota_percent", "quorum_percent")}
    create_campaign(admin, town, data | percents)
    assert "中共北岭镇委员会" in client.get("/").content.decode()
    assert "中共北岭镇委员会" in login(world.county_user).get("/progress/").content.decode()


def test_the_appraisal_sheet_picker_shows_a_branch_added_since_the_last_look(world, login):
    from apps.orgs.actions import create_organization
    from apps.orgs.choices import OrgKind

    client = login(world.office)
    url = f"/appraisals/?branch={world.village.pk}"
    assert "北坑村党支部" not in client.get(url).content.decode()
    create_organization(world.office, {"name": "北坑村党支部", "parent": world.town, "kind": OrgKind.VILLAGE})
    assert "北坑村党支部" in client.get(url).content.decode()
    assert client.get(f"/appraisals/?branch={world.far_village.pk}").status_code == 404  # kept, still in the scope


def test_the_plaque_registry_shows_a_revocation_made_since_the_last_look(world, login):
    from apps.villages import registry

    from .build_villages import awarded_last_year

    village, _ = awarded_last_year(world)
    client = login(world.county_user)
    url = "/plaques/?kind=village"
    assert "已摘牌" not in client.get(url).content.decode()
    assert "已摘牌" not in client.get(url).content.decode()  # the kept table
    registry.revoke_plaque(world.county_user, village, "党建阵地长期闲置")
    page = client.get(url).content.decode()
    assert "已摘牌" in page and "党建阵地长期闲置" in page


def _head_reads(queries) -> int:
    return sum(q["sql"].startswith("SELECT") and "audit_auditchainhead" in q["sql"] for q in queries)


def test_a_read_only_request_reads_the_audit_head_once(world, login):
    """The member list reads two kept values (the per-branch counts, the filter form): one read of the head."""
    client = login(world.office)
    client.get("/members/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/members/").status_code == 200
    assert _head_reads(queries.captured_queries) == 1


def test_a_write_of_the_requests_own_makes_it_read_the_head_again(world):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    request = RequestFactory().get("/")

    def view(request):
        before = remember("test", world.office, compute)
        assert remember("test", world.office, compute) == before  # the same mark, read once
        _audited_change(world.office)  # this request's own audited write
        return HttpResponse(f"{before} {remember('test', world.office, compute)}")

    with CaptureQueriesContext(connection) as queries:
        assert ReadOnlyRequest(view)(request).content == b"1 2"
    assert _head_reads(queries.captured_queries) == 3  # once, the write's own locked read, once more after it
    assert head_mark() == head_mark()  # outside a request: read each time, as before


def test_a_request_that_may_change_something_reads_the_head_each_time(world):
    def view(request):
        with CaptureQueriesContext(connection) as queries:
            head_mark(), head_mark()
        return HttpResponse(str(_head_reads(queries.captured_queries)))

    assert ReadOnlyRequest(view)(RequestFactory().post("/")).content == b"2"
    assert ReadOnlyRequest(view)(RequestFactory().get("/")).content == b"1"


class _CacheReads:
    """Counts the shared cache's reads of kept values (the real cache, whichever the settings name)."""

    def __init__(self, monkeypatch):
        from django.core.cache import caches

        backend = caches["default"]
        self.single, self.together = [], []
        get, get_many = backend.get, backend.get_many

        inside_get = []

        def counted_get(key, *args, **kwargs):
            if key.startswith("memo:"):
                self.single.append(key)
            inside_get.append(1)
            try:
                return get(key, *args, **kwargs)
            finally:
                inside_get.pop()

        def counted_get_many(keys, *args, **kwargs):
            if not inside_get:  # the database cache reads one key through get_many
                self.together.append(list(keys))
            return get_many(keys, *args, **kwargs)

        monkeypatch.setattr(backend, "get", counted_get)
        monkeypatch.setattr(backend, "get_many", counted_get_many)


def _in_a_read_only_request(view) -> None:
    """Runs `view()` inside a GET request's ReadOnlyRequest middleware."""

    def respond(request):
        view()
        return HttpResponse()

    ReadOnlyRequest(respond)(RequestFactory().get("/"))


def test_values_read_ahead_take_one_cache_read(world, monkeypatch):
    values = iter(range(100))
    first = remember("a", world.office, lambda: next(values))
    second = remember("b", world.office, lambda: next(values))
    reads = _CacheReads(monkeypatch)

    def view():
        read_ahead(kept_key("a", world.office), kept_key("b", world.office), None)
        assert remember("a", world.office, lambda: next(values)) == first
        assert remember("b", world.office, lambda: next(values)) == second

    _in_a_read_only_request(view)
    assert reads.single == [] and len(reads.together) == 1


def test_a_value_read_ahead_but_not_kept_is_computed_and_kept(world, monkeypatch):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    def view():
        read_ahead(kept_key("new", world.office))
        assert remember("new", world.office, compute) == 1
        assert remember("new", world.office, compute) == 1  # taken once from what was read ahead, then from the cache

    _in_a_read_only_request(view)
    reads = _CacheReads(monkeypatch)
    assert remember("new", world.office, compute) == 1
    assert len(reads.single) == 1 and calls == [1]


def test_a_key_not_read_ahead_is_read_from_the_cache(world, monkeypatch):
    remember("other", world.office, lambda: "kept")
    reads = _CacheReads(monkeypatch)

    def view():
        read_ahead(kept_key("a", world.office))
        assert remember("other", world.office, lambda: "computed") == "kept"

    _in_a_read_only_request(view)
    assert len(reads.single) == 1


def test_reading_ahead_outside_a_read_only_request_does_nothing(world, monkeypatch):
    remember("a", world.office, lambda: "kept")
    reads = _CacheReads(monkeypatch)
    read_ahead(kept_key("a", world.office))
    assert reads.together == []
    assert remember("a", world.office, lambda: "computed") == "kept" and len(reads.single) == 1

    def view(request):  # nor in a POST
        read_ahead(kept_key("a", world.office))
        return HttpResponse()

    ReadOnlyRequest(view)(RequestFactory().post("/"))
    assert reads.together == []


def test_values_read_ahead_end_with_their_request(world, monkeypatch):
    remember("a", world.office, lambda: "kept")
    _in_a_read_only_request(lambda: read_ahead(kept_key("a", world.office)))
    reads = _CacheReads(monkeypatch)
    assert remember("a", world.office, lambda: "computed") == "kept"
    assert len(reads.single) == 1  # read from the cache: nothing of the last request is left over


def test_a_value_nearing_its_expiry_is_computed_again_early_without_a_bundle_too(world, monkeypatch):
    """Read from the cache on its own (a request without the page's bundle: a POST, or the shared cache on Redis) or
    read ahead, a kept value knows when it expires: one request computes it again shortly before (`refresh_early`)."""
    values = iter(range(100))
    seen: list[int] = []

    def look() -> int:
        return remember("a", world.office, lambda: next(values))

    def read_ahead_then_look() -> None:
        read_ahead(kept_key("a", world.office))
        seen.append(look())

    def ahead_look() -> None:
        _in_a_read_only_request(read_ahead_then_look)

    # On a whole second: a value expires at the second its expiry falls in (apps.audit.memo._keep).
    with time_machine.travel(dt.datetime.now(dt.UTC).replace(microsecond=0), tick=False) as traveller:
        first = look()
        traveller.shift(FRESH_SECONDS - 0.01)
        monkeypatch.setattr(memo, "_draw", lambda: 1.0)  # never early
        assert look() == first
        monkeypatch.setattr(memo, "_draw", lambda: 0.5)  # early by EARLY_SECONDS·ln 2 ≈ 0.7 s > the 0.01 s left
        early = look()
        assert early != first
        monkeypatch.setattr(memo, "_draw", lambda: 1.0)
        traveller.shift(1)  # past the first value's expiry
        assert look() == early  # the value computed early holds
        traveller.shift(FRESH_SECONDS - 2)  # 0.01 s before the early value expires (kept at 59.99 s: until 119 s)
        ahead_look()
        monkeypatch.setattr(memo, "_draw", lambda: 0.5)
        ahead_look()
    assert seen == [early, early + 1]


def _second_look(client, url, monkeypatch, **kwargs) -> list[int]:
    """Looks at `url` twice; the second look must give the same page (but for the freshly masked CSRF tokens) and
    read no kept value on its own. Returns how many keys each cache read of the second look asked for: without the
    page's bundle (apps/audit/ahead.py), with which the second look reads none (test_ahead.py)."""
    from apps.audit import ahead

    monkeypatch.setattr(ahead, "enabled", lambda: False)
    first = client.get(url, **kwargs)
    reads = _CacheReads(monkeypatch)
    again = client.get(url, **kwargs)
    assert first.status_code == again.status_code == 200
    strip = lambda response: re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())  # noqa: E731
    assert strip(again) == strip(first)
    assert reads.single == []
    return [len(keys) for keys in reads.together]


def test_the_member_list_reads_its_counts_and_filter_form_in_one_cache_read(world, login, monkeypatch):
    from apps.orgs.forms import MemberFilterForm

    client = login(world.office)
    # The counts, the outcome of the filters and the drawn filter form.
    assert _second_look(client, "/members/?q=王", monkeypatch) == [3]
    # The table alone (htmx) draws no filter form: the counts and the outcome of the filters are read.
    assert _second_look(client, "/members/?q=王", monkeypatch, headers={"HX-Request": "true"}) == [2]
    # No filters: the counts and the filter form.
    assert _second_look(client, "/members/", monkeypatch) == [2]
    # Kept all three, the form is not even built (it deep-copies its fields): not for a search, nor a refused filter.
    urls = ("/members/?q=王", "/members/?year=abc", "/members/")
    first = [client.get(url).content.decode() for url in urls]
    assert '<p class="error">评议年度：' in first[1]
    built = []
    monkeypatch.setattr(MemberFilterForm, "__init__", lambda *args, **kwargs: built.append(kwargs))
    again = [client.get(url).content.decode() for url in urls]
    assert built == []
    assert [re.sub(r"[A-Za-z0-9]{64}", "", html) for html in again] == [re.sub(r"[A-Za-z0-9]{64}", "", html) for html in first]


@pytest.mark.parametrize("page", ["progress/", "review/", "nominations/", "meeting", "notices/", "objections/", "assessment/", "quotas/"])
def test_a_page_reads_its_object_and_its_body_in_one_cache_read(world, login, monkeypatch, page):
    """These pages read the object they work from (the campaign, the meeting) and their kept body or values
    together (fetch_kept's `ahead`)."""
    from . import build_nominations as bn

    if page == "meeting":
        url = f"/meetings/{bn.concluded_meeting(world.campaign, world.village).pk}/"
    else:
        url = f"/campaigns/{world.campaign.pk}/{page}"
    assert _second_look(login(world.office), url, monkeypatch) == [2]


@pytest.mark.parametrize("who", ["office", "secretary", "county_user"])
def test_the_home_page_reads_its_kept_values_in_one_cache_read(world, login, monkeypatch, who):
    """A town or branch user's current campaign and tasks; a county user's tasks and the towns' table."""
    assert _second_look(login(getattr(world, who)), "/", monkeypatch) == [2]


@pytest.mark.parametrize("who", ["county_user", "secretary", "office"])
def test_the_organization_tree_reads_the_scope_and_its_body_in_one_cache_read(world, login, monkeypatch, who):
    """A county's and a secretary's scope is kept (apps/accounts/scope.py); a town office's is its own organization."""
    assert _second_look(login(getattr(world, who)), "/orgs/", monkeypatch) == [1 if who == "office" else 2]


@pytest.mark.parametrize(
    ("who", "query", "keys"), [("office", "?branch={branch}", 3), ("secretary", "", 4), ("office", "?branch={branch}&year=2020", 3)]
)
def test_the_appraisal_sheet_reads_its_kept_values_in_one_cache_read(world, login, monkeypatch, who, query, keys):
    """The current campaign, the branch, the sheet and (a secretary's) scope."""
    url = "/appraisals/" + query.format(branch=world.village.pk)
    assert _second_look(login(getattr(world, who)), url, monkeypatch) == [keys]
