from django.urls import path

from . import views

app_name = "publicity"

# Public URLs carry the town's id: a town's public home is meant to be found (posted on boards, shared in groups),
# so there is nothing to hide in its address; notices keep their own random public id (apps/notices).
urlpatterns = [
    path("public/towns/<int:town>/", views.public_home, name="public_home"),
    path("public/towns/<int:town>/stories/<int:pk>/", views.public_story, name="public_story"),
]
