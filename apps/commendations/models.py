"""The commendation decision (表彰决定, seed §四(二)5): once every notice period has ended and every
objection is concluded, the town decides the final list; each commended nomination gets a numbered
certificate (`Nomination.certificate_no`) and its status becomes `commended`."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.core.querysets import ScopedQuerySet


class CommendationQuerySet(ScopedQuerySet):
    scope_field = "campaign__town"
    scope_axis = "towns"


class Commendation(models.Model):
    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.PROTECT, related_name="commendation")
    doc_number = models.CharField("文号", max_length=60)
    date = models.DateField("表彰日期")
    nominations = models.ManyToManyField("nominations.Nomination", related_name="commendations", verbose_name="表彰对象")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommendationQuerySet.as_manager()

    class Meta:
        verbose_name = "表彰决定"
        verbose_name_plural = "表彰决定"

    def __str__(self) -> str:
        return f"表彰决定 {self.doc_number}"
