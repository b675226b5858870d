from django.urls import path

from balise.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.my_tutorials, name="mine"),
    path("competence/<str:competence_id>/", views.competence_tutorials, name="competence"),
    path("<str:tutorial_id>/", views.tutorial_show, name="show"),
    path("<str:tutorial_id>/save/", views.tutorial_save, name="save"),
    path("<str:tutorial_id>/rate/", views.tutorial_rate, name="rate"),
]
