from django.db import migrations


def fill_answer_log(apps, schema_editor):
    """Tests taken before the log existed get it from their recorded answers."""
    Assessment = apps.get_model("evaluation", "Assessment")
    Answer = apps.get_model("evaluation", "Answer")
    for assessment in Assessment.objects.filter(answered_count__gt=0).iterator():
        assessment.answer_log = [
            [challenge_id, skill_id, status]
            for challenge_id, skill_id, status in Answer.objects.filter(assessment=assessment)
            .order_by("position")
            .values_list("challenge_id", "skill_id", "status")
        ]
        assessment.save(update_fields=["answer_log"])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_assessment_answer_log")]

    operations = [migrations.RunPython(fill_answer_log, migrations.RunPython.noop)]
