from django.urls import path

from . import views, views_appraisals

app_name = "orgs"

urlpatterns = [
    path("orgs/", views.org_tree, name="org_tree"),
    path("orgs/new/", views.org_form, name="org_create"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("orgs/<int:pk>/edit/", views.org_form, name="org_edit"),
    path("members/", views.member_list, name="member_list"),
    path("members/branches/", views.branch_options, name="branch_options"),
    path("members/new/", views.member_form, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_form, name="member_edit"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="member_transfer"),
    path("members/<int:pk>/reveal/", views.member_reveal, name="member_reveal"),
    path("members/<int:pk>/appraisal/", views.member_appraisal, name="member_appraisal"),
    path("appraisals/", views_appraisals.appraisal_sheet, name="appraisal_sheet"),
]
