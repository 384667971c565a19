from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("campaign/", views.campaign_current, name="campaign_current"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_form, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_form, name="campaign_edit"),
    path("campaigns/<int:pk>/quotas/", views.campaign_quotas, name="campaign_quotas"),
    path("campaigns/<int:pk>/criteria/new/", views.criterion_form, name="criterion_create"),
    path("campaigns/<int:pk>/criteria/<int:cid>/edit/", views.criterion_form, name="criterion_edit"),
    path("campaigns/<int:pk>/criteria/<int:cid>/delete/", views.criterion_delete, name="criterion_delete"),
]
