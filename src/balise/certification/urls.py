from django.urls import path

from balise.certification import views

app_name = "certification"

urlpatterns = [
    path("", views.my_centres, name="mine"),
    path("<str:centre_id>/", views.centre_show, name="centre"),
    path("<str:centre_id>/sessions/new/", views.session_new, name="session_new"),
    path("<str:centre_id>/import/", views.candidates_import, name="import"),
    path("<str:centre_id>/import/template.csv", views.candidates_template, name="import_template"),
    path("<str:centre_id>/sessions/<str:session_id>/", views.session_show, name="session"),
    path("<str:centre_id>/sessions/<str:session_id>/edit/", views.session_edit, name="session_edit"),
    path("<str:centre_id>/sessions/<str:session_id>/delete/", views.session_delete, name="session_delete"),
    path("<str:centre_id>/sessions/<str:session_id>/results.csv", views.session_results, name="session_results"),
    path("<str:centre_id>/sessions/<str:session_id>/finalise/", views.session_finalise, name="session_finalise"),
    path("<str:centre_id>/sessions/<str:session_id>/incidents/", views.incident_add, name="incident_add"),
    path("<str:centre_id>/sessions/<str:session_id>/candidates/", views.candidate_add, name="candidate_add"),
    path("<str:centre_id>/sessions/<str:session_id>/candidates/<str:candidate_id>/delete/", views.candidate_remove,
         name="candidate_remove"),
]
