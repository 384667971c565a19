from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/chain/", views.audit_chain, name="audit_chain"),
]
