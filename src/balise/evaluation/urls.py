from django.urls import path

from balise.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("competences/", views.competences, name="competences"),
    path("competences/<str:competence_id>/start/", views.assessment_start, name="start"),
    path("competences/<str:competence_id>/reset/", views.competence_reset, name="reset"),
    path("tests/<str:public_id>/", views.assessment_show, name="assessment"),
    path("tests/<str:public_id>/answer/", views.assessment_answer, name="answer"),
    path("tests/<str:public_id>/focus-lost/", views.assessment_focus_lost, name="focus_lost"),
    path("tests/<str:public_id>/timer/", views.assessment_timer_start, name="timer_start"),
    path("tests/<str:public_id>/result/", views.assessment_result, name="result"),
    path("profile/", views.profile, name="profile"),
]
