from django.urls import path

from . import views

app_name = "roster"

urlpatterns = [
    path("roster/import/", views.import_upload, name="import_upload"),
    path("roster/import/<int:pk>/", views.import_preview, name="import_preview"),
    path("roster/import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("roster/import/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("roster/import/<int:pk>/result.xlsx", views.import_result, name="import_result"),
    path("roster/template.xlsx", views.template_download, name="template"),
    path("roster/export/members.xlsx", views.export_members, name="export_members"),
    path("roster/export/appraisals.xlsx", views.export_appraisals, name="export_appraisals"),
]
