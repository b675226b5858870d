"""Two sets of pages: the learner's (join by code, the test, the results and sending them),
under /campagnes/, and the organization's (its campaigns and their results), under
/organizations/<id>/campaigns/."""

from django.urls import path

from balise.campaigns import views

learner_patterns = (
    [
        path("", views.my_campaigns, name="mine"),
        path("formations/", views.my_trainings, name="trainings"),
        path("participations/<str:public_id>/", views.participation_show, name="participation"),
        path("participations/<str:public_id>/send/", views.participation_send, name="send"),
        path("participations/<str:public_id>/delete/", views.participation_remove, name="delete"),
        path("<str:code>/", views.campaign_landing, name="landing"),
    ],
    "campaigns",
)

organization_patterns = (
    [
        path("<str:campaign_id>/export.csv", views.campaign_export, name="export"),
    ],
    "organization_campaigns",
)
