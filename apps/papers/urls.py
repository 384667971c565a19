from django.urls import path, re_path

from . import views

app_name = "papers"

FMT = r"(?P<fmt>pdf|docx)"

urlpatterns = [
    re_path(rf"^papers/nominations/(?P<pk>[0-9]+)/application\.{FMT}$", views.application, name="application"),
    re_path(rf"^papers/meetings/(?P<pk>[0-9]+)/minutes\.{FMT}$", views.minutes, name="minutes"),
    re_path(rf"^papers/proposals/(?P<pk>[0-9]+)/recommendation-list\.{FMT}$", views.branch_list, name="branch_list"),
    re_path(rf"^papers/campaigns/(?P<pk>[0-9]+)/county-list\.{FMT}$", views.county_list, name="county_list"),
    re_path(rf"^papers/notices/(?P<pk>[0-9]+)/notice\.{FMT}$", views.notice, name="notice"),
    re_path(rf"^papers/campaigns/(?P<pk>[0-9]+)/commendation\.{FMT}$", views.commendation, name="commendation"),
    re_path(rf"^papers/campaigns/(?P<pk>[0-9]+)/certificates\.{FMT}$", views.certificates, name="certificates"),
    re_path(rf"^papers/village-candidates/(?P<pk>[0-9]+)/report\.{FMT}$", views.village_report, name="village_report"),
    re_path(rf"^papers/campaigns/(?P<pk>[0-9]+)/bulletin\.{FMT}$", views.bulletin, name="bulletin"),
    path("papers/campaigns/<int:pk>/applications.zip", views.applications_zip, name="applications_zip"),
    path("public/notices/<str:public_id>/notice.pdf", views.public_notice, name="public_notice"),
]
