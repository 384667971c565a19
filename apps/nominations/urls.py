from django.urls import path

from . import views

app_name = "nominations"

urlpatterns = [
    path("nominations/", views.nominations_current, name="nominations_current"),
    path("campaigns/<int:pk>/nominations/", views.campaign_nominations, name="campaign_nominations"),
    path("meetings/<int:pk>/proposal/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("proposals/<int:pk>/submit/", views.proposal_submit, name="proposal_submit"),
    path("campaigns/<int:pk>/reopenings/new/", views.reopening_create, name="reopening_create"),
    path("campaigns/<int:pk>/review/", views.review, name="review"),
    path("nominations/<int:pk>/decision/", views.nomination_decide, name="nomination_decide"),
    path("campaigns/<int:pk>/county-list/", views.county_list, name="county_list"),
]
