from django.apps import AppConfig


class NoticesConfig(AppConfig):
    """The public notice (公示) of the nominations reported to the county, and objections to it."""

    name = "apps.notices"
    verbose_name = "公示与异议"
