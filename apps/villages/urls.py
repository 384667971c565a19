from django.urls import path

from . import views

app_name = "villages"

urlpatterns = [
    path("villages/", views.villages_current, name="villages_current"),
    path("campaigns/<int:pk>/villages/", views.campaign_villages, name="campaign_villages"),
    path("campaigns/<int:pk>/villages/scale/", views.campaign_scale, name="campaign_scale"),
    path("campaigns/<int:pk>/villages/groups/new/", views.group_create, name="group_create"),
    path("campaigns/<int:pk>/villages/report/", views.village_report, name="village_report"),
    path("campaigns/<int:pk>/villages/self-assessment/", views.self_assessment, name="self_assessment"),
    path("village-candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("village-candidates/<int:pk>/inspection/", views.inspection_edit, name="inspection_edit"),
    path("village-candidates/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("village-candidates/<int:pk>/finalize/", views.finalize, name="finalize"),
    path("village-candidates/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("village-evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("village-candidates/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("village-candidates/<int:pk>/decision/", views.county_decision, name="county_decision"),
    path("village-evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("plaques/", views.plaque_registry, name="plaque_registry"),
    path("plaques/export.xlsx", views.plaque_export, name="plaque_export"),
    path("plaques/villages/<int:pk>/", views.plaque_village, name="plaque_village"),
    path("plaques/posts/<int:pk>/", views.plaque_post, name="plaque_post"),
    path("plaque-reviews/<int:pk>/follow-up/", views.review_follow_up, name="review_follow_up"),
    path("plaques/villages/<int:pk>/revoke/", views.revoke_village, name="revoke_village"),
    path("plaques/posts/<int:pk>/revoke/", views.revoke_post, name="revoke_post"),
]
