"""Audit action codes of the commendation."""

from django.db import models


class CommendationAudit(models.TextChoices):
    COMMENDATION_CREATE = "commendation.create", "作出表彰决定"
    NOMINATION_COMMEND = "commendation.commend_nomination", "表彰并编号证书"
