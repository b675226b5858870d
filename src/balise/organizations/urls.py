from django.urls import path

from balise.organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.my_organizations, name="mine"),
    path("invitation/<str:token>/", views.invitation_open, name="invitation"),
    path("<str:organization_id>/", views.organization_show, name="show"),
    path("<str:organization_id>/invitations/", views.invitation_send, name="invite"),
    path("<str:organization_id>/invitations/<str:invitation_id>/", views.invitation_change, name="invitation_change"),
    path("<str:organization_id>/members/<str:membership_id>/", views.member_change, name="member_change"),
]
