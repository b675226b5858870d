"""Demo organizations and campaigns (development only; `make run` runs it after the demo accounts):
the FWB administration's civil servants' course, a school and a university."""

from django.core.management.base import BaseCommand
from django.db import transaction

from balise.accounts.models import User
from balise.campaigns.models import Campaign, Stage, TargetProfile, TargetProfileTube, Training, TrainingTrigger
from balise.content.models import Tube
from balise.organizations.models import Membership, Organization, Role
from balise.spaces.selectors import space_by_slug, space_default

PASSWORD = "balise-demo-2026"

# Professional digital skills of a civil servant: the shared framework's workplace topics and the
# FWB's own Belgian topics, each up to the level a post needs.
CIVIL_SERVANTS_TUBES = {
    "emailWriting": 4, "emailRecipients": 4, "videoCalls": 3, "meetingScheduling": 3, "sharedDocumentEditing": 4,
    "versionHistory": 3, "fileOrganisation": 4, "shareLinkPermissions": 4, "phishingDetection": 4,
    "accountAuthentication": 4, "secureConnections": 3, "gdprRights": 3, "onlinePublicServices": 4,
    "beOnlineServices": 4, "beEid": 4, "beScamAlerts": 3, "beOfficialInfo": 3, "textFormatting": 3,
    "accessibleDocuments": 3, "workstationErgonomics": 3,
}
SCHOOL_TUBES = {
    "searchQueries": 3, "sourceReliability": 3, "fileTree": 3, "storageSizes": 3, "onlineConversations": 3,
    "privacySettings": 3, "phishingDetection": 3, "cyberbullyingHelp": 3, "textFormatting": 3, "programVariables": 3,
}
STAGES = [
    (0, "Premiers pas", "Vous découvrez ces compétences : les formations proposées sont faites pour vous."),
    (30, "En progression", "Vous avez des bases solides ; continuez sur les sujets à renforcer."),
    (60, "À l'aise", "Vous maîtrisez l'essentiel de ce qu'un poste demande."),
    (85, "Expert·e", "Vous pouvez aider vos collègues sur ces sujets."),
]
# Trainings of public bodies' own sites; triggered while the topics are not mastered yet.
CIVIL_SERVANTS_TRAININGS = [
    ("Reconnaître l'hameçonnage et les arnaques en ligne", "https://safeonweb.be/fr", "e-learning", 45,
     "Safeonweb (Centre pour la Cybersécurité Belgique)", ["phishingDetection", "beScamAlerts"], 60),
    ("Les services publics en ligne et l'eID", "https://www.belgium.be/fr", "module", 60,
     "Belgium.be", ["beOnlineServices", "beEid", "onlinePublicServices"], 60),
    ("Écrire des courriels professionnels clairs", "https://www.federation-wallonie-bruxelles.be/", "in-person", 180,
     "Fédération Wallonie-Bruxelles", ["emailWriting", "emailRecipients"], 60),
    ("Travailler à plusieurs sur un document partagé", "https://www.digitalwallonia.be/fr/", "webinar", 90,
     "Digital Wallonia", ["sharedDocumentEditing", "versionHistory", "shareLinkPermissions"], 60),
    ("Protéger les données personnelles (RGPD) au quotidien", "https://www.autoriteprotectiondonnees.be/citoyen",
     "e-learning", 60, "Autorité de protection des données", ["gdprRights"], 50),
    ("Des documents accessibles à tous", "https://www.federation-wallonie-bruxelles.be/", "module", 120,
     "Fédération Wallonie-Bruxelles", ["accessibleDocuments", "textFormatting"], 60),
]


def _user(email, name, language, space):
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "language": language, "home_space": space if space.pk else None}
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


def _organization(name, type_, space, admin):
    organization, _ = Organization.objects.get_or_create(name=name, space=space, defaults={"type": type_})
    Membership.objects.get_or_create(organization=organization, user=admin, defaults={"role": Role.ADMIN})
    return organization


def _profile(name, description, tubes, space, organization):
    profile, created = TargetProfile.objects.get_or_create(name=name, defaults={"description": description, "space": space})
    if created:
        known = set(Tube.objects.filter(id__in=list(tubes)).values_list("id", flat=True))
        TargetProfileTube.objects.bulk_create(
            TargetProfileTube(target_profile=profile, tube_id=tube, level_cap=cap) for tube, cap in tubes.items() if tube in known
        )
        Stage.objects.bulk_create(
            Stage(target_profile=profile, threshold=t, title=title, message=message, organization_title=title)
            for t, title, message in STAGES
        )
    profile.organizations.add(organization)
    return profile


def _campaign(code, organization, profile, owner, **fields):
    campaign, _ = Campaign.objects.get_or_create(
        code=code,
        defaults=dict(organization=organization, target_profile=profile, owner=owner, created_by=owner,
                      type=Campaign.Type.ASSESSMENT if profile else Campaign.Type.PROFILES_COLLECTION, **fields),
    )
    return campaign


class Command(BaseCommand):
    help = "Create the demo organizations and campaigns (development only)."

    @transaction.atomic
    def handle(self, *args, **options):
        default, fwb = space_default(), space_by_slug("fwb")
        if fwb is None or not Tube.objects.exists():
            self.stderr.write("Import the spaces and the content first (make run does).")
            return
        fwb_admin = _user("admin.fwb@balise.test", "Sacha Lambert", "fr-be", fwb)
        administration = _organization(
            "Fédération Wallonie-Bruxelles — administration", Organization.Type.PROFESSIONAL, fwb, fwb_admin
        )
        civil = _profile(
            "Compétences numériques professionnelles des agents",
            "Ce qu'un poste de l'administration demande au quotidien : courriels, réunions, documents partagés, "
            "sécurité, données personnelles et services publics en ligne belges.",
            CIVIL_SERVANTS_TUBES, fwb, administration,
        )
        for title, link, type_, minutes, editor, tubes, goal in CIVIL_SERVANTS_TRAININGS:
            training, created = Training.objects.get_or_create(
                title=title, defaults=dict(link=link, type=type_, duration_minutes=minutes, languages=["fr", "fr-be"],
                                           editor_name=editor, space=fwb),
            )
            if created:
                trigger = TrainingTrigger.objects.create(
                    training=training, target_profile=civil, kind=TrainingTrigger.Kind.GOAL, threshold=goal
                )
                trigger.tubes.set(Tube.objects.filter(id__in=tubes))
        _campaign(
            "FWBAGT456", administration, civil, fwb_admin, name="Parcours numérique des agents 2026",
            title="Votre parcours numérique d'agent",
            landing_text="Ce test situe vos compétences numériques professionnelles et vous propose les formations "
            "de la Fédération qui vous seront utiles. Comptez 30 à 45 minutes ; vous pouvez l'interrompre et le reprendre.",
            external_id_label="matricule", multiple_sendings=True,
            result_text="Merci ! Vos résultats aident la Fédération à proposer les bonnes formations.",
        )

        school_admin = _user("direction.ecole@balise.test", "Dominique Leroy", "fr", default)
        school = _organization("Lycée Balise (démo)", Organization.Type.SCHOOL, default, school_admin)
        basics = _profile(
            "Les essentiels du lycée", "Chercher, ranger, échanger et se protéger en ligne.", SCHOOL_TUBES, None, school
        )
        _campaign("RENTRE234", school, basics, school_admin, name="Rentrée 2026 — secondes",
                  landing_text="Un test de rentrée pour savoir où vous en êtes. Il ne compte pas dans vos notes.")

        university_admin = _user("admin.universite@balise.test", "Camille Rousseau", "fr", default)
        university = _organization("Université Balise (démo)", Organization.Type.HIGHER_EDUCATION, default, university_admin)
        # Every tube of the shared framework, up to level 4: preparing all 16 competences.
        every_tube = {t: 4 for t in Tube.objects.filter(space=None).values_list("id", flat=True)}
        certification = _profile(
            "Préparer la certification", "Les 16 compétences, jusqu'au niveau 4.", every_tube, None, university
        )
        _campaign("PREPAC345", university, certification, university_admin, name="Se préparer à la certification",
                  multiple_sendings=True)
        _campaign("PRFSEM567", university, None, university_admin, name="Collecte des profils — L1")
        for code in ("FWBAGT456", "RENTRE234", "PREPAC345", "PRFSEM567"):
            self.stdout.write(f"campaign {code}")
