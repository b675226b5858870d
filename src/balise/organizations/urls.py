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
    path("<str:organization_id>/learners/", views.learners_list, name="learners"),
    path("<str:organization_id>/learners/import/", views.learner_import, name="learner_import"),
    path("<str:organization_id>/learners/template.csv", views.learner_template, name="learner_template"),
    path("<str:organization_id>/learners/imports/<str:import_id>/", views.learner_import_show, name="learner_import_show"),
    path("<str:organization_id>/learners/<str:learner_id>/", views.learner_show, name="learner_show"),
]
