from django import forms
from django.utils.translation import gettext_lazy as _

from balise.organizations.models import Role


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class LearnerImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of the learners"),
        help_text=_("Separated by semicolons or commas, in UTF-8 or as a French spreadsheet saves it; at most 10 MB."),
        allow_empty_file=True,  # the service says "the file is empty", in its own words
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )
