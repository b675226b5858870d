from django.urls import path

from balise.accounts import views

# The account page (me/, me/time/, me/data.json) is in balise.learner.views: site/urls.py
# joins both lists under the `accounts` namespace.

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/confirm/<str:token>/", views.signup_confirm_view, name="signup_confirm"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("me/details/", views.details_edit, name="details"),
    path("me/password/", views.password_change, name="password_change"),
    path("me/email/", views.email_change, name="email_change"),
    path("me/email/confirm/<str:token>/", views.email_confirm, name="email_confirm"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("reset/done/", views.password_reset_complete, name="password_reset_complete"),
]
