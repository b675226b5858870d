"""A campaign's results as a CSV file, streamed: a spreadsheet in French opens it as it is
(UTF-8 with a BOM, `;` between cells), and a campaign of 100,000 participants is never held in
memory — rows are read in chunks and written as they come.

Only what participants sent carries results; the others show their progress. A participant who
deleted their participation is not in the file (nothing of it names them any more).
"""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from balise.campaigns.models import Campaign, Participation
from balise.campaigns.results import percent
from balise.content.models import Area, Competence
from balise.i18n.translation import pick_text
from balise.organizations.models import Organization, OrganizationLearner
from balise.spreadsheets import line_writer, safe_cell

CHUNK = 2000


def _yes_no(flag: bool) -> str:
    return _("Yes") if flag else _("No")


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def export_filename(campaign: Campaign, now) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in campaign.name).strip("-")[:60] or "campaign"
    return f"{slug}-{campaign.pk}-{timezone.localtime(now).strftime('%Y-%m-%d-%H%M')}.csv"


def _framework(campaign: Campaign):
    """The competences (and their areas) the file has columns for, in the framework's order."""
    if campaign.is_assessment:
        ids = set(campaign.target_profile.tubes.values_list("tube__competence_id", flat=True))
    else:
        ids = set(
            Competence.objects.visible_in(campaign.organization.space_id).values_list("id", flat=True)
        )
    competences = list(Competence.objects.filter(id__in=ids).order_by("area__position", "position"))
    areas = list(Area.objects.filter(id__in={c.area_id for c in competences}).order_by("position"))
    return competences, areas


def _learner_columns(organization: Organization) -> list[str]:
    if organization.type == Organization.Type.SCHOOL:
        return [_("Class")]
    if organization.type == Organization.Type.HIGHER_EDUCATION:
        return [_("Group"), _("Student number"), _("Diploma"), _("Department")]
    return []


def _learner_cells(organization: Organization, learner) -> list[str]:
    if organization.type == Organization.Type.SCHOOL:
        return [learner.group if learner else ""]
    if organization.type == Organization.Type.HIGHER_EDUCATION:
        if not learner:
            return ["", "", "", ""]
        return [learner.group, learner.identifier, learner.diploma, learner.department]
    return []


def _rows(campaign: Campaign) -> Iterator[tuple]:
    """(participation, progress, learner record) per current participation, read in chunks."""
    organization = campaign.organization
    participations = (
        Participation.objects.filter(campaign=campaign, improved=False, deleted_at=None)
        .select_related("stage")
        .only(
            "pk", "user_id", "participant_first_name", "participant_last_name", "external_id", "status",
            "created_at", "shared_at", "mastery_percent", "results", "badge_keys", "assessment_id",
            "stage__threshold", "stage__title",
        )
        .order_by("participant_last_name", "participant_first_name", "pk")
    )
    batch = []
    for participation in participations.iterator(chunk_size=CHUNK):
        batch.append(participation)
        if len(batch) == CHUNK:
            yield from _with_details(organization, batch)
            batch = []
    if batch:
        yield from _with_details(organization, batch)


def _with_details(organization, batch):
    from balise.evaluation.models import Assessment

    started = [p.assessment_id for p in batch if p.status == Participation.Status.STARTED and p.assessment_id]
    progress = dict(Assessment.objects.filter(pk__in=started).values_list("pk", "progress_percent")) if started else {}
    learners = {}
    if organization.manages_learners:
        learners = {
            learner.user_id: learner
            for learner in OrganizationLearner.objects.filter(
                organization=organization, user_id__in=[p.user_id for p in batch if p.user_id]
            ).only("user_id", "group", "identifier", "diploma", "department")
        }
    for participation in batch:
        done = participation.status != Participation.Status.STARTED
        yield participation, 100 if done else progress.get(participation.assessment_id, 0), learners.get(participation.user_id)


def campaign_csv(campaign: Campaign) -> Iterator[str]:
    """The file, line by line (the first one starts with the BOM)."""
    organization = campaign.organization
    competences, areas = _framework(campaign)
    writer = line_writer()
    header = [
        _("Organization"), _("Campaign ID"), _("Code"), _("Campaign name"),
    ]
    if campaign.is_assessment:
        header.append(_("Target profile"))
    header += [_("Last name"), _("First name"), *_learner_columns(organization)]
    if campaign.external_id_label:
        header.append(campaign.external_id_label)
    badges, stages_count = [], 0
    if campaign.is_assessment:
        profile = campaign.target_profile
        badges = list(profile.badges.all())
        stage_thresholds = sorted(profile.stages.values_list("threshold", flat=True))
        stages_count = sum(1 for t in stage_thresholds if t > 0)
        header += [_("Progress (%)"), _("Started on"), _("Sent (Yes/No)"), _("Sent on")]
        header += [_("Stage reached (out of %(n)s)") % {"n": stages_count}]
        header += [_("%(badge)s earned (Yes/No)") % {"badge": b.title} for b in badges]
        header.append(_("Overall mastery (%)"))
        for level in [*competences, *areas]:
            name = f"{level.id} {pick_text(level.name)}"
            header += [
                _("Mastery of %(name)s (%%)") % {"name": name},
                _("Skills of the profile in %(name)s") % {"name": name},
                _("Skills validated in %(name)s") % {"name": name},
            ]
    else:
        header += [_("Started on"), _("Sent (Yes/No)"), _("Sent on"), _("Total pix"), _("Certifiable (Yes/No)"),
                   _("Competences with a level")]
        for competence in competences:
            name = f"{competence.id} {pick_text(competence.name)}"
            header += [_("Level in %(name)s") % {"name": name}, _("Pix in %(name)s") % {"name": name}]
    yield "\ufeff" + writer.writerow([safe_cell(h) for h in header])

    area_of = {c.id: c.area_id for c in competences}
    for participation, progress, learner in _rows(campaign):
        sent = participation.status == Participation.Status.SHARED
        row = [organization.name, campaign.pk, campaign.code, campaign.name]
        if campaign.is_assessment:
            row.append(campaign.target_profile.name)
        row += [participation.participant_last_name, participation.participant_first_name]
        row += _learner_cells(organization, learner)
        if campaign.external_id_label:
            row.append(participation.external_id)
        results = participation.results if sent else {}
        if campaign.is_assessment:
            row += [progress, _when(participation.created_at), _yes_no(sent), _when(participation.shared_at)]
            if sent:
                stage = participation.stage
                reached = sum(1 for t in stage_thresholds if stage and 0 < t <= stage.threshold)
                row.append(f"{reached}/{stages_count}")
                row += [_yes_no(b.key in participation.badge_keys) for b in badges]
                row.append(participation.mastery_percent)
                by_competence = results.get("competences", {})
                by_area: dict[str, list[int]] = {}
                for competence_id, (skills, validated) in by_competence.items():
                    area = by_area.setdefault(area_of.get(competence_id, ""), [0, 0])
                    area[0] += skills
                    area[1] += validated
                for counts in [*(by_competence.get(c.id) for c in competences), *(by_area.get(a.id) for a in areas)]:
                    skills, validated = counts or (0, 0)
                    row += [percent(validated, skills), skills, validated]
            else:
                row += [""] * (2 + len(badges) + 3 * (len(competences) + len(areas)))
        else:
            row += [_when(participation.created_at), _yes_no(sent), _when(participation.shared_at)]
            if sent:
                levels = results.get("competences", {})
                row += [results.get("pix_total", 0), _yes_no(results.get("certifiable", False)),
                        sum(1 for level, _pix in levels.values() if level >= 1)]
                for competence in competences:
                    level, pix = levels.get(competence.id, (0, 0))
                    row += [level, pix]
            else:
                row += [""] * (3 + 2 * len(competences))
        yield writer.writerow([safe_cell(cell) for cell in row])
