"""Pages of the registry: the department directory and pages, the social account
registry with its add/edit forms. The roster page is governance's
(governance/views/roster.py): it shows meeting attendance and the stored roster."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from coe.pagination import LIST_COUNT_LIMIT, PAGE_SIZE, page_of
from stakeholders import access, handovers, ports, selectors, services
from stakeholders.filters import DepartmentFilterSet, SocialAccountFilterSet
from stakeholders.forms import SocialAccountForm, add_service_error

DIRECTORY_PAGE_SIZE = PAGE_SIZE
ACCOUNTS_PAGE_SIZE = PAGE_SIZE


def _page(request: HttpRequest, items, size: int):
    return page_of(items, size, request.GET.get("page"), count_limit=LIST_COUNT_LIMIT)


# --- Directory, department pages ------------------------------------------------------


@require_GET
def department_list(request: HttpRequest) -> HttpResponse:
    representation, assessed_at = ports.latest_representation()
    filters = DepartmentFilterSet(
        request.GET,
        queryset=selectors.department_directory(as_of=timezone.localdate()),
        representation=lambda: representation,
    )
    context = {
        "page": _page(request, filters.qs, DIRECTORY_PAGE_SIZE),
        "filters": filters,
        "representation": representation,
        "assessed_at": assessed_at,
        "can_add": access.can_manage_departments(request.user),
    }
    return render(request, "stakeholders/department_list.html", context)


@require_GET
def department_mine(request: HttpRequest) -> HttpResponse:
    """The departments the user heads, with what needs their attention."""
    access.require_head(request.user)
    departments = ports.headed_departments(request.user)
    return render(request, "stakeholders/department_mine.html", {"departments": departments})


@require_GET
def department_detail(request: HttpRequest, key: str) -> HttpResponse:
    department = access.department_for_user(request.user, key)
    page = selectors.department_page(
        department, assessment=ports.latest_department_assessment, as_of=timezone.localdate()
    )
    context = {
        "page": page,
        "department": department,
        "can_act": access.can_act_for_department(request.user, department),
        "can_edit": bool(access.department_editable_fields(request.user, department)),
        "can_manage": access.can_manage_departments(request.user),
        "timeline": selectors.department_timeline(department, limit=12),
        "handovers": list(handovers.open_handovers().filter(account__owner=department)),
        # Closing is the owning head's or a lead's: the same rule as editing its accounts.
        "can_close_handovers": access.is_lead(request.user)
        or department.pk in access.headed_department_ids(request.user),
    }
    return render(request, "stakeholders/department_detail.html", context)


# --- Social accounts -------------------------------------------------------------------


@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    flags = ports.latest_account_flags()
    filters = SocialAccountFilterSet(
        request.GET, queryset=selectors.account_registry(), flagged=lambda: flags.flagged
    )
    page = _page(request, filters.qs, ACCOUNTS_PAGE_SIZE)
    headed = access.headed_department_ids(request.user)
    context = {
        "page": page,
        "filters": filters,
        "codes": flags.codes_for([account.subject_key for account in page.object_list]),
        "assessed_at": flags.assessed_at,
        "is_lead": access.is_lead(request.user),
        "headed_ids": headed,
        "can_add": access.is_lead(request.user) or bool(headed),
    }
    return render(request, "stakeholders/account_list.html", context)


def _account_form(request: HttpRequest, *, account=None, initial=None) -> SocialAccountForm:
    owners = selectors.account_owner_queryset(
        lead=access.is_lead(request.user),
        headed_ids=access.headed_department_ids(request.user),
        current=account.owner if account is not None else None,
    )
    return SocialAccountForm(
        request.POST or None,
        owners=owners,
        owner_required=not access.is_lead(request.user),
        initial=initial,
    )


def _account_data(form: SocialAccountForm) -> services.AccountData:
    return services.AccountData(**form.cleaned_data)


@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    access.require_account_registrar(request.user)
    initial = {"owner": request.GET.get("owner")} if request.GET.get("owner") else None
    form = _account_form(request, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(actor=request.user, data=_account_data(form))
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Added {account} to the registry.")
            return redirect(_registry_url(account))
    return render(request, "stakeholders/account_form.html", {"form": form, "account": None})


@require_http_methods(["GET", "POST"])
def account_update(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.account_for_user(request.user, pk, write=True)
    form = _account_form(request, account=account, initial=SocialAccountForm.initial_for(account))
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_update(
                actor=request.user, account=account, data=_account_data(form)
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Saved the changes to {account}.")
            return redirect(_registry_url(account))
    return render(request, "stakeholders/account_form.html", {"form": form, "account": account})


def _registry_url(account) -> str:
    query = urlencode({"platform": account.platform, "q": account.handle})
    return f"{reverse('stakeholders:account-list')}?{query}"
