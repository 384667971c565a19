from django.urls import path

from . import views

app_name = "commendations"

urlpatterns = [
    path("campaigns/<int:pk>/commendation/", views.results, name="results"),
]
