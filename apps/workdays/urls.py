from django.urls import path

from . import views

app_name = "workdays"

urlpatterns = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/<int:pk>/delete/", views.override_delete, name="override_delete"),
]
