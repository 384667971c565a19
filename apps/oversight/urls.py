from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("progress/", views.board_current, name="board_current"),
    path("campaigns/<int:pk>/progress/", views.board, name="board"),
    path("campaigns/<int:pk>/progress.xlsx", views.board_export, name="board_export"),
    path("campaigns/<int:pk>/visits/", views.visit_list, name="visit_list"),
    path("campaigns/<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("rectifications/<int:pk>/close/", views.rectification_close, name="rectification_close"),
    path("notifications/", views.notifications, name="notifications"),
    path("campaigns/<int:pk>/assessment/", views.assessment, name="assessment"),
    path("campaigns/<int:pk>/assessment.xlsx", views.assessment_export, name="assessment_export"),
]
