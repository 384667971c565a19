from django.urls import include, path

urlpatterns = [
    path("", include("apps.api.urls")),
    path("", include("apps.core.urls")),
    # The public pages (a crowd reads a notice) come early: the resolver tries every pattern before them.
    path("", include("apps.publicity.urls")),
    path("", include("apps.notices.urls")),
    path("", include("apps.home.urls")),
    path("", include("apps.accounts.urls")),
    path("", include("apps.orgs.urls")),
    path("", include("apps.campaigns.urls")),
    path("", include("apps.audit.urls")),
    path("", include("apps.roster.urls")),
    path("", include("apps.workdays.urls")),
    path("", include("apps.meetings.urls")),
    path("", include("apps.nominations.urls")),
    path("", include("apps.commendations.urls")),
    path("", include("apps.villages.urls")),
    path("", include("apps.papers.urls")),
    path("", include("apps.oversight.urls")),
]

handler404 = "apps.core.errors.not_found"
handler403 = "apps.core.errors.forbidden"
handler400 = "apps.core.errors.bad_request"
handler500 = "apps.core.errors.server_error"
