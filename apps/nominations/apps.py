from django.apps import AppConfig


class NominationsConfig(AppConfig):
    """示范岗 nominations after the meeting: the branch committee's proposal, submission to the town,
    the town's review and the list reported to the county (参评名单)."""

    name = "apps.nominations"
    verbose_name = "示范岗推选与审批"
