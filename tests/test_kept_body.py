"""A page body drawn once per audited change and kept per user (apps/audit/memo.KeptBody, the {% kept %} tag):
the next look reads it instead of drawing it; every response still carries its own session's CSRF token; a POST
draws it afresh; what the body shows follows the user and every audited change."""

from __future__ import annotations

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.urls import reverse

from apps.audit import memo
from apps.nominations import actions as nomination_actions
from apps.nominations import views as nomination_views
from apps.nominations.choices import Decision, NominationStatus

from .build_nominations import submitted

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MASKED = re.compile(r"\b[A-Za-z0-9]{64}\b")  # a masked CSRF token, in a form or in the htmx headers


@pytest.fixture
def review(world):
    proposal = submitted(world.secretary, world.campaign, world.village, recommended=2)
    return proposal, reverse("nominations:review", args=[world.campaign.pk])


@pytest.fixture
def drawn(monkeypatch):
    """Counts the review page's reads of its submissions: what drawing the body costs."""
    calls = []
    real = nomination_views._submissions

    def counting(user, campaign):
        calls.append(user.pk)
        return real(user, campaign)

    monkeypatch.setattr(nomination_views, "_submissions", counting)
    return calls


def _signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_the_next_look_reads_the_kept_body_instead_of_drawing_it(world, review, drawn):
    _, url = review
    client = _signed_in(world.approver)
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    assert drawn == [world.approver.pk]  # drawn once
    assert MASKED.sub("", first) == MASKED.sub("", second)  # the same page apart from the masked tokens
    assert first.count("csrfmiddlewaretoken") == second.count("csrfmiddlewaretoken") >= 3  # two decisions, the logout


def test_each_response_carries_its_own_sessions_token(world, review, drawn):
    """One approver signed in twice (two browsers: two CSRF secrets). The second browser gets the body the first
    one's look kept, with its own token: its decision is accepted."""
    proposal, url = review
    first = _signed_in(world.approver, enforce_csrf_checks=True)
    second = _signed_in(world.approver, enforce_csrf_checks=True)
    first.get(url)
    page = second.get(url).content.decode()
    assert len(drawn) == 1  # the second browser read the kept body
    assert memo.csrf_placeholder() not in page
    secret = second.cookies["csrftoken"].value
    tokens = TOKEN.findall(page)
    assert tokens and all(_unmask_cipher_token(t) == secret for t in tokens)
    nomination = proposal.nominations.first()
    answer = second.post(
        reverse("nominations:nomination_decide", args=[nomination.pk]),
        {"decision": Decision.APPROVE, "reason": "", "csrfmiddlewaretoken": tokens[0]},
    )
    assert answer.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPROVED


def test_the_kept_body_is_the_users_own(world, review, drawn):
    """The town office may not decide: its kept body has no decision form, and the approver's look draws their own."""
    _, url = review
    office = _signed_in(world.office).get(url).content.decode()
    approver = _signed_in(world.approver).get(url).content.decode()
    assert 'name="decision"' not in office
    assert 'name="decision"' in approver
    assert drawn == [world.office.pk, world.approver.pk]


def test_an_audited_change_draws_the_body_again(world, review, drawn):
    proposal, url = review
    client = _signed_in(world.approver)
    client.get(url)
    nomination_actions.decide_nomination(world.approver, proposal.nominations.first(), Decision.APPROVE)
    page = client.get(url).content.decode()
    assert len(drawn) == 2
    assert "镇党委已审批" in page


def test_a_post_draws_the_body_afresh_and_keeps_nothing(world):
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    def draw(values):
        return f"<p>{values['n']} {values.get('csrf_token', 'live')}</p>"

    factory = RequestFactory()
    post = factory.post("/")
    post.user = world.office
    assert memo.KeptBody(post, "probe", compute).render(draw) == "<p>1 live</p>"
    assert memo.KeptBody(post, "probe", compute).render(draw) == "<p>2 live</p>"
    get = factory.get("/")
    get.user = world.office
    kept = memo.KeptBody(get, "probe", compute).render(draw)
    assert memo.KeptBody(get, "probe", compute).render(draw).split()[0] == kept.split()[0] == "<p>3"  # drawn once
    assert len(calls) == 3
    assert memo.csrf_placeholder() not in kept  # the placeholder became this request's token


def test_a_changed_template_is_a_new_version_of_the_code(settings):
    probe = settings.BASE_DIR / "templates" / "_code_version_probe.html"
    memo.code_version.cache_clear()
    before = memo.code_version()
    try:
        probe.write_text("<p>probe</p>", encoding="utf-8")
        memo.code_version.cache_clear()
        assert memo.code_version() != before
    finally:
        probe.unlink(missing_ok=True)
        memo.code_version.cache_clear()
    assert memo.code_version() == before
