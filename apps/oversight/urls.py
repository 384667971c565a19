from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("progress/", views.board_current, name="board_current"),
    path("campaigns/<int:pk>/progress/", views.board, name="board"),
    path("campaigns/<int:pk>/progress.xlsx", views.board_export, name="board_export"),
]
