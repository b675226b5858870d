"""The demo organizations and campaigns: the FWB administration's course, a school, a university;
created once, and joinable as README says."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from balise.accounts.models import User
from balise.campaigns.models import Campaign, Training
from balise.organizations.models import Membership

pytestmark = pytest.mark.django_db
STARTER_PACK = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
def starter_content(db):
    """The starter pack `make run` imports: the demo profiles name its tubes."""
    from shipped import shipped_spaces_ensure

    from balise.content.selectors import content_caches_clear
    from balise.content.services import content_pack_import

    content_caches_clear()
    shipped_spaces_ensure()
    content_pack_import(STARTER_PACK)


def test_the_demo_campaigns_exist_once_and_the_french_learner_joins_the_school_one(starter_content):
    call_command("demo_accounts")
    call_command("demo_campaigns")
    call_command("demo_campaigns")  # make run runs it at every start: nothing doubles
    codes = dict(Campaign.objects.values_list("code", "organization__space__slug"))
    assert codes == {"FWBAGT456": "fwb", "RENTRE234": "international", "PREPAC345": "international",
                     "PRFSEM567": "international"}
    fwb = Campaign.objects.get(code="FWBAGT456")
    assert fwb.external_id_label == "matricule" and fwb.organization.name.startswith("Fédération Wallonie-Bruxelles")
    assert fwb.target_profile.tubes.count() == 20  # every tube the course names exists in the pack
    assert Campaign.objects.get(code="PREPAC345").target_profile.tubes.values("tube__competence").distinct().count() == 16
    assert Training.objects.filter(triggers__target_profile=fwb.target_profile).distinct().count() >= 5
    for email in ["admin.fwb@balise.test", "direction.ecole@balise.test", "admin.universite@balise.test"]:
        assert Membership.objects.filter(user__email=email, role="admin").count() == 1

    learner = Client()
    learner.force_login(User.objects.get(email="learner@balise.test"))
    joined = learner.post("/campagnes/RENTRE234/")
    assert joined.status_code == 302 and joined["Location"].startswith("/tests/")
    assert learner.get(joined["Location"]).status_code == 200
    # The FWB's code is the FWB's: on the default address it does not exist.
    assert learner.get("/campagnes/FWBAGT456/").status_code == 404
