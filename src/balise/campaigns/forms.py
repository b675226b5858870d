from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Campaign code"), max_length=20, help_text=_("9 characters, as given by your organization (e.g. ABCDEF123).")
    )


class JoinForm(forms.Form):
    """The external identifier, when the campaign asks for one (its label is the campaign's)."""

    external_id = forms.CharField(max_length=255, required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["external_id"]
        field.label = campaign.external_id_label
        field.required = bool(campaign.external_id_label)
        if campaign.external_id_type == campaign.ExternalIdType.EMAIL:
            self.fields["external_id"] = forms.EmailField(label=campaign.external_id_label, max_length=254, required=True)
