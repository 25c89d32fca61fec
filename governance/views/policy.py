"""The scoring policy: everyone signed in reads the rules the score uses, COE leads
change them or restore the DESIGN.md defaults (the admin edits the same row)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from governance import access, forms, selectors, services
from stakeholders.forms import add_service_error, posted

RECOMPUTING = "The score is being recomputed with the new rules."


@require_GET
def policy_detail(request: HttpRequest) -> HttpResponse:
    policy = access.policy_for_user(request.user)
    context = {
        "policy": policy,
        "sections": selectors.policy_sections(policy),
        "can_change": access.can_change_policy(request.user),
    }
    return render(request, "governance/policy/detail.html", context)


@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest) -> HttpResponse:
    policy = access.policy_for_user(request.user, write=True)
    form = forms.PolicyForm(posted(request), initial=forms.PolicyForm.initial_for(policy))
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if form.has_changed():
                messages.success(request, f"Saved the scoring policy. {RECOMPUTING}")
            else:
                messages.info(request, "Nothing changed: the policy already had these values.")
            return redirect("governance:policy")
    return render(request, "governance/policy/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def policy_reset(request: HttpRequest) -> HttpResponse:
    """GET asks for confirmation, listing what would change back; POST restores."""
    policy = access.policy_for_user(request.user, write=True)
    changed = selectors.policy_changed_settings(policy)
    if request.method == "POST":
        services.policy_reset(actor=request.user)
        if changed:
            messages.success(request, f"Restored the default scoring policy. {RECOMPUTING}")
        else:
            messages.info(request, "Nothing changed: the policy already had its defaults.")
        return redirect("governance:policy")
    return render(request, "governance/policy/reset.html", {"changed": changed})
