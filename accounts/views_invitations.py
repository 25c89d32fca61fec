"""Invitations: the one-time link a new user follows to set a password, and the page
where COE leads see, resend and revoke them and invite a new lead."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access, selectors, services
from accounts.forms import InvitationPasswordForm, LeadInviteForm
from accounts.security import client_ip
from accounts.views import sso_context

# The status of the page that explains why a link cannot be used.
PROBLEM_STATUS = {
    "unknown": 404,
    "expired": 410,
    "used": 410,
    "revoked": 410,
    "has_password": 410,
    "sso_only": 200,  # not a problem of the link: SSO_ONLY, the page shows the button
}


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_check(token=token)
    except services.InvitationError as error:
        return _problem(request, error)
    form = InvitationPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token, password=form.cleaned_data["new_password1"], ip=client_ip(request)
            )
        except services.InvitationError as error:
            return _problem(request, error)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to Roundtable, {user.get_username()}.")
        return redirect(services.landing_url(user=user))
    context = {"form": form, "invitation": invitation}
    return render(request, "accounts/invitation_accept.html", context)


def _problem(request: HttpRequest, error: services.InvitationError) -> HttpResponse:
    context = {"reason": error.reason, "invitation": error.invitation, **sso_context(request)}
    status = PROBLEM_STATUS[error.reason]
    return render(request, "accounts/invitation_problem.html", context, status=status)


@require_GET
def invitation_list(request: HttpRequest) -> HttpResponse:
    access.require_lead(request.user)
    context = {
        "invitations": selectors.invitation_list(),
    }
    return render(request, "accounts/invitation_list.html", context)


@require_POST
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = access.invitation_for_lead(request.user, invitation_id)
    try:
        services.invitation_resend(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Sent the invitation to {invitation.user.email} again.")
    return redirect("accounts:invitation-list")


@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = access.invitation_for_lead(request.user, invitation_id)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Revoked the invitation of {invitation.user.email}.")
    return redirect("accounts:invitation-list")


@require_http_methods(["GET", "POST"])
def lead_invite(request: HttpRequest) -> HttpResponse:
    access.require_lead(request.user)
    form = LeadInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.lead_invite(invited_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, f"{user.email} is a COE lead now.")
            return redirect("accounts:invitation-list")
    return render(request, "accounts/lead_invite.html", {"form": form})
