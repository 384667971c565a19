from django.urls import path, re_path

from . import views

app_name = "publicity"

# Public URLs carry the town's id: a town's public home is meant to be found (posted on boards, shared in groups),
# so there is nothing to hide in its address; notices keep their own random public id (apps/notices).
urlpatterns = [
    path("public/towns/<int:town>/", views.public_home, name="public_home"),
    path("public/towns/<int:town>/poster.pdf", views.public_poster, name="public_poster"),  # A4, the first address
    re_path(r"^public/towns/(?P<town>[0-9]+)/poster-(?P<size>a3|a4)\.pdf$", views.public_poster, name="public_poster"),
    path("public/towns/<int:town>/stories/<int:pk>/", views.public_story, name="public_story"),
    re_path(
        r"^public/towns/(?P<town>[0-9]+)/stories/(?P<pk>[0-9]+)/poster-(?P<size>a3|a4)\.pdf$",
        views.public_story_poster,
        name="public_story_poster",
    ),
    path("public/towns/<int:town>/stories/<int:pk>/image.jpg", views.public_story_image, name="public_story_image"),
    path("stories/", views.story_list, name="story_list"),
    path("stories/new/", views.story_new, name="story_new"),
    path("stories/<int:pk>/", views.story_detail, name="story_detail"),
    path("stories/<int:pk>/image.jpg", views.story_image, name="story_image"),
    path("stories/<int:pk>/edit/", views.story_edit, name="story_edit"),
    path("stories/<int:pk>/submit/", views.story_submit, name="story_submit"),
    path("stories/<int:pk>/publish/", views.story_publish, name="story_publish"),
    path("stories/<int:pk>/unpublish/", views.story_unpublish, name="story_unpublish"),
]
