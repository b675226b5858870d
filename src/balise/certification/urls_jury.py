from django.urls import path

from balise.certification import views_jury

app_name = "certification_jury"

urlpatterns = [
    path("", views_jury.sessions, name="sessions"),
    path("publish/", views_jury.publish_many, name="publish_many"),
    path("sessions/<str:session_id>/", views_jury.session_show, name="session"),
    path("sessions/<str:session_id>/actions/", views_jury.session_action, name="session_action"),
    path("sessions/<str:session_id>/candidates/<str:candidate_id>/", views_jury.candidate_action, name="candidate_action"),
]
