from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.Login.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/users/", views.user_list, name="user_list"),
    path("accounts/users/new/", views.user_form, name="user_create"),
    path("accounts/users/<int:pk>/edit/", views.user_form, name="user_edit"),
    path("accounts/users/<int:pk>/password/", views.password_reset, name="password_reset"),
]
