"""The sendings per day move into the campaign's totals (the dashboard's chart reads one row):
fill them for the campaigns that already have sendings. Reversible: going back drops them."""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import TruncDate


def days_fill(apps, schema_editor):
    CampaignTotals = apps.get_model("campaigns", "CampaignTotals")
    Participation = apps.get_model("campaigns", "Participation")
    for totals in CampaignTotals.objects.all():
        per_day = (
            Participation.objects.filter(campaign_id=totals.campaign_id, improved=False, status="shared")
            .annotate(day=TruncDate("shared_at")).values_list("day").annotate(n=Count("pk")).order_by()
        )
        totals.sums["days"] = {day.isoformat(): n for day, n in per_day if day}
        totals.save(update_fields=["sums"])


def days_drop(apps, schema_editor):
    CampaignTotals = apps.get_model("campaigns", "CampaignTotals")
    for totals in CampaignTotals.objects.all():
        totals.sums.pop("days", None)
        totals.save(update_fields=["sums"])


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_campaign_totals")]
    operations = [migrations.RunPython(days_fill, days_drop)]
