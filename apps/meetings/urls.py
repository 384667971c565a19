from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("campaigns/<int:pk>/branches/<int:org>/meeting/", views.branch_meeting, name="branch_meeting"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/candidates/", views.candidates, name="candidates"),
    path("meetings/<int:pk>/candidates/<int:cid>/remove/", views.candidate_remove, name="candidate_remove"),
    path("meetings/<int:pk>/poll/open/", views.poll_open, name="poll_open"),
    path("meetings/<int:pk>/poll/", views.poll, name="poll"),
    path("meetings/<int:pk>/poll/close/", views.poll_close, name="poll_close"),
    path("meetings/<int:pk>/tally/", views.tally, name="tally"),
    path("vote/", views.vote, name="vote"),
]
