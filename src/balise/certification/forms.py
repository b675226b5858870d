from datetime import date

from django import forms
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from balise.certification.candidate_file import MAX_LINES
from balise.certification.models import Candidate, Incident
from balise.organizations.learner_file import OLDEST_BIRTH_YEAR


class SessionForm(forms.Form):
    site = forms.CharField(label=_("Site"), max_length=120, help_text=_("The building or the campus, as candidates know it."))
    room = forms.CharField(label=_("Room"), max_length=60)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}))
    examiner = forms.CharField(label=_("Invigilator(s)"), max_length=200,
                               help_text=_("The names of the people who supervise the session."))
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value < timezone.localdate() and not self.editing:
            raise forms.ValidationError(_("This date is past: a session is planned for today or later."))
        return value


class CandidateForm(forms.Form):
    last_name = forms.CharField(label=_("Birth name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    birth_date = forms.DateField(label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}))
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Candidate.Sex.choices])
    birth_place = forms.CharField(label=_("Birth place"), max_length=120,
                                  help_text=_("The commune, or the country for a person born abroad."))
    results_email = forms.EmailField(label=_("E-mail for the results"), max_length=254, required=False)
    local_id = forms.CharField(label=_("Local identifier"), max_length=60, required=False)
    extra_time_percent = forms.IntegerField(
        label=_("Extra time (%)"), min_value=0, max_value=100, initial=0, required=False,
        help_text=_("Added to the test's time, e.g. 33 for a third more."),
    )
    accessibility_needed = forms.BooleanField(label=_("Needs an accessibility adjustment"), required=False)

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if not (date(OLDEST_BIRTH_YEAR, 1, 1) <= value <= timezone.localdate()):
            raise forms.ValidationError(_("This is not a possible birth date (from 1900 to today)."))
        return value

    def clean_extra_time_percent(self):
        return self.cleaned_data.get("extra_time_percent") or 0


class CandidatesImportForm(forms.Form):
    file = forms.FileField(
        label=_("File of the candidates (CSV or ODS)"),
        allow_empty_file=True,  # the reader says "the file is empty", in its own words
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.ods,text/csv,application/vnd.oasis.opendocument.spreadsheet"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per request: in the reader's language.
        self.fields["file"].help_text = _(
            "A spreadsheet (.ods, its first sheet) or a CSV file (semicolons or commas, UTF-8 or as a French "
            "spreadsheet saves it); at most %(lines)s candidates."
        ) % {"lines": number_format(MAX_LINES, force_grouping=True)}


class EntryForm(forms.Form):
    session_number = forms.CharField(label=_("Session number"), max_length=11)
    access_code = forms.CharField(label=_("Access code"), max_length=12,
                                  help_text=_("4 letters and 2 digits, given by the invigilator."))
    last_name = forms.CharField(label=_("Birth name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    birth_date = forms.DateField(label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}))


class InstructionsForm(forms.Form):
    accepted = forms.BooleanField(label=_("I have read the instructions and I accept them"))


class InvigilationForm(forms.Form):
    session_number = forms.CharField(label=_("Session number"), max_length=11)
    password = forms.CharField(label=_("Invigilator password"), max_length=12,
                               widget=forms.PasswordInput(attrs={"autocomplete": "off"}))


class IncidentForm(forms.Form):
    candidate = forms.ChoiceField(label=_("Candidate"), required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Incident.Category.choices])
    description = forms.CharField(label=_("What happened"), max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(c.pk): c for c in candidates}
        self.fields["candidate"].choices = [("", _("the whole session"))] + [
            (pk, f"{c.last_name} {c.first_name}") for pk, c in self.candidates.items()]

    def clean_candidate(self):
        return self.candidates.get(self.cleaned_data.get("candidate") or "")


class FinaliseForm(forms.Form):
    comment = forms.CharField(label=_("Comment for the jury"), max_length=2000, required=False, widget=forms.Textarea,
                              help_text=_("What the jury should know about the session as a whole."))

    def __init__(self, *args, unfinished=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.unfinished = list(unfinished)
        for candidate in self.unfinished:
            self.fields[f"reason_{candidate.pk}"] = forms.ChoiceField(
                label=_("Why the test of %(name)s ended early") % {"name": f"{candidate.first_name} {candidate.last_name}"},
                choices=[("", "—"), *Candidate.AbortReason.choices],
            )

    def reasons(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"reason_{c.pk}"] for c in self.unfinished}


class JuryReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea)


class ListEnrolmentForm(forms.Form):
    """One row per learner of a class or group: enrol or not, and what the list does not hold."""

    def __init__(self, *args, learners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.learners = list(learners)
        for learner in self.learners:
            name = f"{learner.first_name} {learner.last_name}"
            self.fields[f"enrol_{learner.pk}"] = forms.BooleanField(label=_("Enrol %(name)s") % {"name": name}, required=False)
            self.fields[f"sex_{learner.pk}"] = forms.ChoiceField(
                label=_("Sex of %(name)s") % {"name": name}, choices=[("", "—"), *Candidate.Sex.choices], required=False)
            self.fields[f"birth_place_{learner.pk}"] = forms.CharField(
                label=_("Birth place of %(name)s") % {"name": name}, max_length=120, required=False)

    def clean(self):
        cleaned = super().clean()
        if self.learners and not any(cleaned.get(f"enrol_{learner.pk}") for learner in self.learners):
            raise forms.ValidationError(_("Tick the learners to enrol."))
        for learner in self.learners:
            if cleaned.get(f"enrol_{learner.pk}"):
                for field in (f"sex_{learner.pk}", f"birth_place_{learner.pk}"):
                    if not cleaned.get(field):
                        self.add_error(field, _("Needed for the certificate."))
        return cleaned

    def choices(self) -> list[dict]:
        return [{"learner": learner, "sex": self.cleaned_data[f"sex_{learner.pk}"],
                 "birth_place": self.cleaned_data[f"birth_place_{learner.pk}"]}
                for learner in self.learners if self.cleaned_data.get(f"enrol_{learner.pk}")]

    def rows(self) -> list[dict]:
        return [{"learner": learner, "enrol": self[f"enrol_{learner.pk}"], "sex": self[f"sex_{learner.pk}"],
                 "birth_place": self[f"birth_place_{learner.pk}"]} for learner in self.learners]
