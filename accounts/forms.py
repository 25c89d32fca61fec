from django import forms
from django.contrib.auth.forms import SetPasswordForm


class InvitationPasswordForm(SetPasswordForm):
    """The invited user's new password, twice, through Django's validators."""


class LeadInviteForm(forms.Form):
    email = forms.EmailField(label="E-mail")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6 digits your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )
