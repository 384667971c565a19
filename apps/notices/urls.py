from django.urls import path

from . import views

app_name = "notices"

urlpatterns = [
    path("notices/", views.notices_current, name="notices_current"),
    path("campaigns/<int:pk>/notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("campaigns/<int:pk>/objections/", views.objection_list, name="objection_list"),
    path("objections/<int:pk>/", views.objection_detail, name="objection_detail"),
    path("objections/<int:pk>/note/", views.objection_note, name="objection_note"),
    path("objections/<int:pk>/conclude/", views.objection_conclude, name="objection_conclude"),
    path("public/notices/<str:public_id>/", views.public_notice, name="public_notice"),
    path("public/notices/<str:public_id>/objection/", views.public_objection, name="public_objection"),
    path("public/objections/", views.public_tracking, name="public_tracking"),
]
