from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Campaign code"), max_length=20, help_text=_("9 characters, as given by your organization (e.g. ABCDEF123).")
    )


class JoinForm(forms.Form):
    """The external identifier, when the campaign asks for one (its label is the campaign's)."""

    external_id = forms.CharField(max_length=255, required=False)

    # Asked only by an organization that keeps a list of its learners, the first time.
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, help_text=_("DD/MM/YYYY"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"], widget=forms.DateInput(attrs={"autocomplete": "bday"}),
    )

    def __init__(self, *args, campaign, asks_identity: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.asks_identity = asks_identity
        for name in ("first_name", "last_name", "birth_date"):
            if asks_identity:
                self.fields[name].required = True
            else:
                del self.fields[name]
        field = self.fields["external_id"]
        field.label = campaign.external_id_label
        field.required = bool(campaign.external_id_label)
        if campaign.external_id_type == campaign.ExternalIdType.EMAIL:
            self.fields["external_id"] = forms.EmailField(label=campaign.external_id_label, max_length=254, required=True)

    def identity(self) -> dict | None:
        if not self.asks_identity:
            return None
        return {k: self.cleaned_data[k] for k in ("first_name", "last_name", "birth_date")}
