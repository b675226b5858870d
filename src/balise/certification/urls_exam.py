from django.urls import path

from balise.certification import views_exam

app_name = "certification_exam"

urlpatterns = [
    path("", views_exam.entry, name="entry"),
    path("candidacies/<str:candidate_id>/", views_exam.candidacy, name="candidacy"),
    path("candidacies/<str:candidate_id>/alert/", views_exam.alert_report, name="alert"),
    path("candidacies/<str:candidate_id>/start/", views_exam.certification_start, name="start"),
    path("candidacies/<str:candidate_id>/state.json", views_exam.candidacy_state, name="candidacy_state"),
    path("invigilation/", views_exam.invigilation_login, name="invigilation_login"),
    path("invigilation/<str:session_id>/", views_exam.invigilation, name="invigilation"),
    path("invigilation/<str:session_id>/incidents/", views_exam.invigilation_incident, name="invigilation_incident"),
    path("invigilation/<str:session_id>/candidates/<str:candidate_id>/", views_exam.invigilation_action,
         name="invigilation_action"),
]
