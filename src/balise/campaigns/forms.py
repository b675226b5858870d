from django import forms
from django.utils.text import capfirst
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


class CampaignForm(forms.ModelForm):
    """An organization's administrator creates or edits a campaign (the code is drawn, never typed)."""

    result_button_url = forms.URLField(
        label=_("result page button link"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        from balise.campaigns.models import Campaign

        model = Campaign
        fields = [
            "type", "target_profile", "name", "title", "landing_text", "external_id_label", "external_id_type",
            "multiple_sendings", "result_text", "result_button_text", "result_button_url",
        ]
        widgets = {"landing_text": forms.Textarea(attrs={"rows": 4}), "result_text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.label = capfirst(field.label)
        from balise.campaigns.models import Campaign

        # No empty choice: most campaigns are assessments.
        self.fields["type"].choices = Campaign.Type.choices
        self.fields["type"].initial = Campaign.Type.ASSESSMENT
        self.fields["target_profile"].queryset = profiles
        self.fields["target_profile"].help_text = _("Needed for an assessment campaign; none for a profiles collection.")

    def clean(self):
        cleaned = super().clean()
        kind, profile = cleaned.get("type"), cleaned.get("target_profile")
        if kind == "assessment" and profile is None:
            self.add_error("target_profile", _("An assessment campaign needs a target profile."))
        if kind == "profiles":
            cleaned["target_profile"] = None
        if bool(cleaned.get("result_button_text")) != bool(cleaned.get("result_button_url")):
            self.add_error("result_button_url", _("Give the button's text and its link together."))
        return cleaned
