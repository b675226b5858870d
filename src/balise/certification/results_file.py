"""A published session's results for the centre's organization, as a CSV file a spreadsheet in
French opens as it is (see balise.spreadsheets): one line per enrolled candidate."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from balise.certification.models import Candidate, Session
from balise.content.models import Competence
from balise.i18n.translation import pick_text
from balise.spreadsheets import BOM, line_writer, safe_cell


def _status(candidate: Candidate) -> str:
    if candidate.result is None:
        return _("not certified") if candidate.entered_at else _("absent")
    if candidate.decision == Candidate.Decision.CANCELLED:
        return _("cancelled")
    return _("certified") if candidate.is_certified else _("not certified")


def session_results_lines(session: Session) -> Iterator[str]:
    competences = list(Competence.objects.filter(space__isnull=True).order_by("area__position", "position", "id"))
    writer = line_writer()
    header = [_("Session number"), _("Birth name"), _("First name"), _("Birth date"), _("Local identifier"),
              _("E-mail for the results"), _("Status"), _("Score"), _("Verification code"),
              *(f"{c.id} {pick_text(c.name)}" for c in competences)]
    yield BOM + writer.writerow([safe_cell(h) for h in header])
    for candidate in session.candidates.order_by("last_name", "first_name"):
        # Only a certification's figures are the organization's; a failed or cancelled one shows its status.
        result = candidate.result if candidate.is_certified else {}
        levels = result.get("levels", {})
        yield writer.writerow([safe_cell(v) for v in (
            session.pk, candidate.last_name, candidate.first_name, candidate.birth_date.strftime("%d/%m/%Y"),
            candidate.local_id, candidate.results_email, _status(candidate), result.get("score", ""),
            candidate.verification_code or "", *(levels.get(c.id, "") for c in competences),
        )])
