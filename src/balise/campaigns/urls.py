"""Two sets of pages: the learner's (join by code, the test, the results and sending them),
under /campagnes/, and the organization's (its campaigns and their results), under
/organizations/<id>/campaigns/."""

from django.urls import path

from balise.campaigns import views, views_organization

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
        path("", views_organization.campaign_list, name="list"),
        path("new/", views_organization.campaign_new, name="new"),
        path("<str:campaign_id>/", views_organization.campaign_show, name="show"),
        path("<str:campaign_id>/edit/", views_organization.campaign_edit, name="edit"),
        path("<str:campaign_id>/archive/", views_organization.campaign_archive, name="archive"),
        path("<str:campaign_id>/participants/", views_organization.participant_list, name="participants"),
        path(
            "<str:campaign_id>/participants/<str:participation_id>/",
            views_organization.participant_show,
            name="participant",
        ),
        path("<str:campaign_id>/export.csv", views.campaign_export, name="export"),
    ],
    "organization_campaigns",
)
