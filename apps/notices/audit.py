"""Audit action codes of the 公示 and its objections."""

from django.db import models


class NoticeAudit(models.TextChoices):
    NOTICE_CREATE = "notice.create", "发布公示"
    OBJECTION_FILE = "objection.file", "在线提交异议"
    OBJECTION_RECORD = "objection.record", "登记来信来电来访异议"
    OBJECTION_NOTE = "objection.note", "填写异议核实记录"
    OBJECTION_CONCLUDE = "objection.conclude", "异议办结"
    NOMINATION_WITHDRAW = "notice.withdraw_nomination", "异议属实，撤销推荐"
