from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError

from accounts import services, sso


class SignInForm(AuthenticationForm):
    """Django's sign-in form; with SSO_ONLY it turns away every username but the
    break-glass admin's before the password is checked, saying where to sign in."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and not services.password_sign_in_allowed(username=username):
            raise ValidationError(
                f"Password sign-in is turned off: use “Sign in with {sso.label()}”.",
                code="sso_only",
            )
        return super().clean()


class SignInPasswordResetForm(PasswordResetForm):
    """With SSO_ONLY, only the break-glass admin can reset a password (the page still
    answers "check your inbox" for any address, as always)."""

    def get_users(self, email):
        for user in super().get_users(email):
            if services.password_sign_in_allowed(username=user.get_username()):
                yield user


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
