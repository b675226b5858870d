"""A published session's results for the centre's organization, as a CSV file a spreadsheet in
French opens as it is (see balise.spreadsheets): one line per enrolled candidate."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from balise.certification.certificates import certificate_of
from balise.certification.models import Candidate, Session
from balise.content.models import Competence
from balise.i18n.translation import pick_text
from balise.spreadsheets import BOM, line_writer, safe_cell


def _status(candidate: Candidate, certificate) -> str:
    if not candidate.assessment_id:
        return _("absent")
    if certificate.cancelled:
        return _("cancelled")
    return _("certified") if certificate.certified else _("not certified")


def session_results_lines(session: Session) -> Iterator[str]:
    competences = list(Competence.objects.filter(space__isnull=True).order_by("area__position", "position", "id"))
    writer = line_writer()
    header = [_("Session number"), _("Birth name"), _("First name"), _("Birth date"), _("Local identifier"),
              _("E-mail for the results"), _("Status"), _("Score"), _("Verification code"),
              *(f"{c.id} {pick_text(c.name)}" for c in competences)]
    yield BOM + writer.writerow([safe_cell(h) for h in header])
    for candidate in session.candidates.select_related("session__centre__organization").order_by("last_name", "first_name"):
        certificate = certificate_of(candidate) if candidate.result else None
        levels = (candidate.result or {}).get("levels", {})
        show = bool(certificate and certificate.certified)
        yield writer.writerow([safe_cell(v) for v in (
            session.pk, candidate.last_name, candidate.first_name, candidate.birth_date.strftime("%d/%m/%Y"),
            candidate.local_id, candidate.results_email,
            _status(candidate, certificate) if certificate else (_("absent") if not candidate.entered_at else _("not certified")),
            certificate.score if show else "", candidate.verification_code or "",
            *((levels.get(c.id, "") if show else "") for c in competences),
        )])
