from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("totp/", views.totp_view, name="totp"),
    path("confirm-password/", views.confirm_password_view, name="confirm-password"),
    path("logout/", views.AuditedLogoutView.as_view(), name="logout"),
]
