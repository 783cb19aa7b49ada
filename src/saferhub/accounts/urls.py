from django.urls import path

from . import account_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("totp/", views.totp_view, name="totp"),
    path("confirm-password/", views.confirm_password_view, name="confirm-password"),
    path("logout/", views.AuditedLogoutView.as_view(), name="logout"),
    # Your account (issue 15)
    path("account/", account_views.account_view, name="account"),
    path("account/password/", account_views.account_password_view, name="account-password"),
    path("account/second-factor/", account_views.account_totp_view, name="account-totp"),
    # Password reset by email (public: Django's views, GOV.UK templates)
    path("password-reset/", account_views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", account_views.PasswordResetDoneView.as_view(), name="password-reset-sent"),
    path("reset/<uidb64>/<token>/", account_views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path("reset/done/", account_views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    # Invitations: the invitee's link (public), and the admins' pages
    path("invitation/<str:token>/", account_views.invitation_view, name="invitation"),
    path("users/", account_views.users_view, name="users"),
    path("users/invite/", account_views.user_invite_view, name="user-invite"),
    path("users/<int:pk>/", account_views.user_view, name="user"),
]
