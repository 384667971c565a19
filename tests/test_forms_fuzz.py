"""The main forms under generated input (issue 12, fuzzing): whatever is posted, the answer is never a
500, and a refused post writes nothing — no half-saved record, no audit row. The fields are read from the
page's own form, so a new field is fuzzed without touching this file."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.audit.models import AuditLog
from apps.campaigns.models import Campaign, Criterion
from apps.meetings.models import Meeting
from apps.orgs.models import Appraisal, Member, Organization

WATCHED = (AuditLog, Campaign, Criterion, Member, Appraisal, Organization, Meeting)
FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')

# Odd but possible input: control characters, very long text, other scripts, numbers, dates, HTML.
VALUES = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=3000),
    st.sampled_from(["", "0", "-1", "99999999999999999999", "1e9", "2026-02-30", "2026-13-01", "0001-01-01", "<script>x</script>"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(str),
)


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in WATCHED}


PAGES = [
    ("office", lambda w: "/members/new/"),
    ("office", lambda w: "/orgs/new/"),
    ("office", lambda w: f"/campaigns/{w.campaign.pk}/edit/"),
    ("office", lambda w: f"/campaigns/{w.campaign.pk}/criteria/new/"),
    ("office", lambda w: "/accounts/users/new/"),
    ("secretary", lambda w: f"/members/{w.member.pk}/edit/"),
    ("secretary", lambda w: f"/campaigns/{w.campaign.pk}/branches/{w.village.pk}/meeting/"),
]


@pytest.mark.parametrize(("role", "url"), PAGES, ids=[f"{r}-{i}" for i, (r, _) in enumerate(PAGES)])
def test_generated_posts_never_fail_and_refusals_write_nothing(world, client, role, url):
    client.force_login(getattr(world, role))
    path = url(world)
    page = client.get(path)
    assert page.status_code == 200, path
    names = sorted({n for n in FIELD.findall(page.content.decode()) if n != "csrfmiddlewaretoken"})
    assert names, f"no form fields found on {path}"

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(names, VALUES)))
    def post(data):
        before = counts()
        response = client.post(path, data)
        assert response.status_code < 500, (path, data)
        if response.status_code != 302:  # refused: the form again, with its reasons
            assert counts() == before, (path, data)

    post()
