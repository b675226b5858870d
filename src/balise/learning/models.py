from django.conf import settings
from django.db import models

from balise.content.models import Tutorial


class SavedTutorial(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_tutorials")
    tutorial = models.ForeignKey(Tutorial, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-saved_at"]
        constraints = [models.UniqueConstraint(fields=["user", "tutorial"], name="save_tutorial_once")]


class TutorialRating(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tutorial_ratings")
    tutorial = models.ForeignKey(Tutorial, on_delete=models.CASCADE, related_name="ratings")
    useful = models.BooleanField()
    rated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tutorial"], name="rate_tutorial_once")]
