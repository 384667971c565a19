"""State changes of campaigns and their criteria."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.audit.log import diff, record, snapshot
from apps.core.actions import ActionError, Conflict, refuse_unless
from apps.orgs.choices import OrgLevel
from apps.orgs.models import Organization

from .audit import CampaignAudit
from .models import Campaign, Criterion, Target
from .standards import POST_STANDARDS, VILLAGE_STANDARDS

CAMPAIGN_FIELDS = [
    "year",
    "title",
    "county_name",
    "status",
    "post_quota_percent",
    "village_quota_percent",
    "rounding",
    "admit_probationary",
    "deadline",
    "notice_days",
    "notice_day_kind",
    "appraisal_year",
    "quorum_percent",
    "office_name",
    "office_contact",
    "office_phone",
    "notes",
]


def can_edit_campaign(user, campaign: Campaign) -> bool:
    return user.manages_town and Campaign.objects.visible_to(user).filter(pk=campaign.pk).exists()


def _check(data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    # The model's validators (percent ranges, notice days, years), for callers that have no form (the API).
    for name, value in data.items():
        if value is None or name not in CAMPAIGN_FIELDS:
            continue
        try:
            Campaign._meta.get_field(name).run_validators(value)
        except ValidationError as exc:
            label = Campaign._meta.get_field(name).verbose_name
            errors[name] = [f"{label}：{message}" for message in exc.messages]
    if errors:
        raise ActionError(errors)
    if data.get("appraisal_year") and data.get("year") and data["appraisal_year"] > data["year"]:
        errors["appraisal_year"] = ["参考的民主评议年度不能晚于活动年度。"]
    if data.get("deadline") and data.get("year") and data["deadline"].year not in (data["year"], data["year"] + 1):
        errors["deadline"] = ["申报截止日期应在活动年度内（或次年年初）。"]
    if errors:
        raise ActionError(errors)


@transaction.atomic
def create_campaign(actor, town: Organization, data: dict[str, Any]) -> Campaign:
    """Open a year's action in a town, with the plan's five + five standards as its criteria."""
    refuse_unless(actor.manages_town and Organization.objects.visible_to(actor).filter(pk=town.pk).exists(), "您无权为该镇创建示范行动。")
    if town.level != OrgLevel.TOWN:
        raise ActionError({"town": [f"示范行动以镇为单位创建，“{town}”不是镇党委。"]})
    data = {k: v for k, v in data.items() if k in CAMPAIGN_FIELDS}
    _check(data)
    exists = Conflict({"year": [f"{town}{data['year']}年度的示范行动已存在。"]})
    if Campaign.objects.filter(town=town, year=data["year"]).exists():
        raise exists
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(town=town, **data)
    except IntegrityError:
        raise exists from None  # created by a concurrent request between the check and the insert
    for target, standards in ((Target.POST, POST_STANDARDS), (Target.VILLAGE, VILLAGE_STANDARDS)):
        Criterion.objects.bulk_create(
            Criterion(campaign=campaign, target=target, order=i, title=title, text=text)
            for i, (title, text) in enumerate(standards, start=1)
        )
    record(actor, CampaignAudit.CAMPAIGN_CREATE, campaign, changes=diff({}, snapshot(campaign)), town=town)
    return campaign


@transaction.atomic
def update_campaign(actor, campaign: Campaign, data: dict[str, Any]) -> Campaign:
    """Fill in or change the blanks of the plan."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    refuse_unless(can_edit_campaign(actor, campaign), "您无权修改该示范行动的设置。")
    data = {k: v for k, v in data.items() if k in CAMPAIGN_FIELDS}
    merged = {f: getattr(campaign, f) for f in CAMPAIGN_FIELDS} | data
    _check(merged)
    if Campaign.objects.filter(town_id=campaign.town_id, year=merged["year"]).exclude(pk=campaign.pk).exists():
        raise ActionError({"year": ["该年度的示范行动已存在。"]})
    before = snapshot(campaign)
    for key, value in data.items():
        setattr(campaign, key, value)
    campaign.save()
    changes = diff(before, snapshot(campaign))
    if changes:
        record(actor, CampaignAudit.CAMPAIGN_UPDATE, campaign, changes=changes, town=campaign.town)
    return campaign


@transaction.atomic
def save_criterion(actor, campaign: Campaign, data: dict[str, Any], criterion: Criterion | None = None) -> Criterion:
    """Add or edit one creation standard."""
    refuse_unless(can_edit_campaign(actor, campaign), "您无权修改创建标准。")
    clash = Criterion.objects.filter(campaign=campaign, target=data["target"], order=data["order"])
    if criterion is not None:
        clash = clash.exclude(pk=criterion.pk)
    if clash.exists():
        raise ActionError({"order": ["该序号已被使用。"]})
    fields = ["target", "order", "title", "text"]
    # From the database: a bound ModelForm has already written the new values onto the instance it was given.
    before = snapshot(Criterion.objects.get(pk=criterion.pk), fields=fields) if criterion else {}
    criterion = criterion or Criterion(campaign=campaign)
    for key in fields:
        setattr(criterion, key, data[key])
    criterion.save()
    changes = diff(before, snapshot(criterion, fields=fields))
    if changes:
        record(
            actor,
            CampaignAudit.CRITERION_UPDATE if before else CampaignAudit.CRITERION_CREATE,
            criterion,
            changes=changes,
            town=campaign.town,
        )
    return criterion


@transaction.atomic
def delete_criterion(actor, criterion: Criterion) -> None:
    campaign = criterion.campaign
    refuse_unless(can_edit_campaign(actor, campaign), "您无权修改创建标准。")
    record(
        actor,
        CampaignAudit.CRITERION_DELETE,
        criterion,
        changes=diff(snapshot(criterion, fields=["target", "order", "title", "text"]), {}),
        town=campaign.town,
    )
    criterion.delete()
