"""Forms of the registry (crispy, Bootstrap 5). Forms parse and validate; services write."""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from stakeholders import handovers, rules, services
from stakeholders.models import (
    AccountPurpose,
    AccountStatus,
    Department,
    DepartmentKind,
    Function,
    GroupKind,
    Person,
    Platform,
    SeatRole,
    Seniority,
)
from stakeholders.services import DepartmentData, GroupData, PersonData, PersonDetails

# --- Nominations and decisions ---------------------------------------------------


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data for a form, or None on GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form, on the field it names when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: Person) -> str:
        details = ", ".join(
            part
            for part in (person.title, person.department.name if person.department else "")
            if part
        )
        return f"{person.name} ({details})" if details else person.name


# --- Fields judged by stakeholders.rules: the same verdict and message as the API, the
# bundle and the spreadsheet import give.


def _judged(rule, value):
    try:
        return rule(value)
    except rules.Invalid as error:
        raise ValidationError(error.message) from None


class RuleField(forms.CharField):
    """Text judged by `rule` (a stakeholders.rules function of one value)."""

    def __init__(self, *, rule, **kwargs) -> None:
        self.rule = rule
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return value if value in self.empty_values else _judged(self.rule, value)


class WholeNumberField(forms.IntegerField):
    """A whole number as rules.whole_number reads it, then judged by `rule` (a range);
    min_value and max_value only tell the browser."""

    def __init__(self, *, rule, **kwargs) -> None:
        self.rule = rule
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return _judged(self.rule, _judged(rules.whole_number, str(value)))


class IsoDateField(forms.DateField):
    """A date written YYYY-MM-DD (rules.iso_date), what the browser's date picker sends."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        return _judged(rules.iso_date, str(value))


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TagsField(forms.CharField):
    """Expertise tags separated by commas or semicolons (rules.clean_tags)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", "Tags separated by commas, e.g. community, C++, analytics.")
        super().__init__(required=False, max_length=2000, label="Expertise", **kwargs)

    def clean(self, value) -> tuple[str, ...]:
        text = super().clean(value)
        return tuple(_judged(rules.clean_tags, rules.split_list(text)))


class NominationForm(forms.Form):
    """Nominate an existing person or someone new. `people` is the queryset offered."""

    person = PersonChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Existing person",
        empty_label="— someone new (enter below) —",
    )
    email = forms.EmailField(
        required=False,
        label="E-mail",
        help_text=(
            "If this e-mail already belongs to someone in the registry, that person is "
            "nominated and their record is left as it is."
        ),
    )
    name = RuleField(rule=rules.clean_name, required=False, label="Full name")
    title = forms.CharField(required=False, max_length=rules.NAME_MAX_LENGTH, label="Job title")
    seniority = forms.ChoiceField(
        required=False, choices=[("", "—")] + Seniority.choices, label="Seniority"
    )
    expertise = TagsField()
    role = forms.ChoiceField(choices=SeatRole.choices, initial=SeatRole.CORE, label="Role")
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note for the COE leads",
        help_text="Why this person? What do they know about social media?",
    )

    def __init__(
        self, *args, people=None, suggested_email: str = "", suggested_role: str = "", **kwargs
    ):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people
        if suggested_role in SeatRole.values and not self.is_bound:
            self.initial["role"] = suggested_role
        if suggested_email and not self.is_bound:
            # The dashboard's "next best seat" links here with its suggested person.
            match = self.fields["person"].queryset.filter(email__iexact=suggested_email).first()
            if match is not None:
                self.initial["person"] = match.pk
            else:
                self.initial["email"] = suggested_email
        self.helper = _plain_helper()
        self.helper.layout = Layout(
            Fieldset("Who", "person"),
            Fieldset(
                "Or someone new",
                HTML(
                    '<p class="form-text mt-0">Leave “Existing person” empty and enter the '
                    "new person's details.</p>"
                ),
                "email",
                "name",
                "title",
                "seniority",
                "expertise",
            ),
            Fieldset("The seat", "role", "note"),
        )

    def clean(self):
        data = super().clean()
        person, email = data.get("person"), data.get("email")
        if person is not None and email:
            raise ValidationError(
                "Pick an existing person or enter someone new, not both.", code="both"
            )
        if person is None and not email and not self.has_error("email"):
            self.add_error("person", "Pick a person, or enter the e-mail of someone new.")
        return data

    def nomination(self) -> dict:
        """The keyword arguments of services.seat_nominate (without actor and constituency)."""
        data = self.cleaned_data
        new_person = None
        if data["person"] is None:
            new_person = PersonData(
                email=data["email"],
                name=data["name"],
                title=data["title"],
                seniority=data["seniority"] or None,
                expertise=data["expertise"],
            )
        return {
            "person": data["person"],
            "new_person": new_person,
            "role": data["role"],
            "note": data["note"],
        }


def _plain_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class SeatApproveForm(forms.Form):
    term_start = IsoDateField(
        required=False,
        label="Term starts",
        widget=_date_input(),
        help_text="Empty: today.",
    )
    term_end = IsoDateField(
        required=False,
        label="Term ends",
        widget=_date_input(),
        help_text="Proposed from the policy's term length. Empty: no end date.",
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note to the nominator"
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"term_end": services.default_term_end(timezone.localdate())})
        super().__init__(*args, **kwargs)
        self.helper = _plain_helper()


class SeatRenewForm(forms.Form):
    term_end = IsoDateField(
        label="New term ends",
        widget=_date_input(),
        help_text="Proposed from the policy's term length, counted from the current end.",
    )

    def __init__(self, *args, seat=None, **kwargs):
        if seat is not None:
            base = max(seat.term_end or timezone.localdate(), timezone.localdate())
            kwargs.setdefault("initial", {"term_end": services.default_term_end(base)})
        super().__init__(*args, **kwargs)
        self.helper = _plain_helper()


class SeatDeclineForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why is it declined?",
        help_text="The nominator receives this note by e-mail.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _plain_helper()


class SeatEndForm(forms.Form):
    term_end = IsoDateField(
        label="Term ends",
        widget=_date_input(),
        help_text="Today or a past date.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"term_end": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = _plain_helper()


# --- Social accounts --------------------------------------------------------------


class SocialAccountForm(forms.Form):
    """Add or edit a social account. `owners` is what the user may choose from: every
    active department for a lead, the departments they head for a head."""

    platform = forms.ChoiceField(choices=Platform.choices)
    handle = forms.CharField(help_text="As shown on the platform; a leading @ is dropped.")
    url = RuleField(rule=rules.clean_url, label="Address (URL)", required=False)
    owner = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        to_field_name="key",
        required=False,
        empty_label="No owner yet",
        help_text="The department that runs the account.",
    )
    status = forms.ChoiceField(choices=AccountStatus.choices, initial=AccountStatus.ACTIVE)
    purpose = forms.ChoiceField(choices=AccountPurpose.choices, initial=AccountPurpose.OTHER)
    followers = WholeNumberField(
        rule=lambda n: rules.clean_count(n, label="number of followers"),
        min_value=0,
        max_value=rules.MAX_COUNT,
        initial=0,
    )
    last_post_at = IsoDateField(label="Last post on", required=False, widget=_date_input())
    managers = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="E-mail addresses of the people who manage it, separated by commas.",
    )

    def __init__(self, *args, owners, owner_required: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].required = owner_required
        if owner_required:
            self.fields["owner"].empty_label = None

    def clean(self):
        data = super().clean()
        if "handle" in data and "platform" in data:
            try:
                data["handle"] = rules.clean_handle(data["handle"], platform=data["platform"])
            except rules.Invalid as error:
                self.add_error("handle", error.message)
        return data

    def clean_managers(self) -> tuple[Person, ...]:
        raw = self.cleaned_data.get("managers", "")
        parts = [part for part in re.split(r"[,;\s]+", raw) if part]
        emails = sorted({_judged(rules.clean_email, part) for part in parts})
        if not emails:
            return ()
        people = list(
            Person.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
        )
        unknown = sorted(set(emails) - {person.email_lower for person in people})
        if unknown:
            raise forms.ValidationError(
                f"Not in the registry: {', '.join(unknown)}. Add them as people first."
            )
        return tuple(people)

    @staticmethod
    def initial_for(account) -> dict:
        return {
            "platform": account.platform,
            "handle": account.handle,
            "url": account.url,
            "owner": account.owner.key if account.owner_id else None,
            "status": account.status,
            "purpose": account.purpose,
            "followers": account.followers,
            "last_post_at": account.last_post_at,
            "managers": ", ".join(sorted(p.email.lower() for p in account.managers.all())),
        }


# --- Departments and stakeholder groups --------------------------------------------------

RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class DepartmentForm(forms.Form):
    """Add or edit a department. On edit the key is shown but fixed, and the fields the
    user may not change (access.department_editable_fields) are shown disabled."""

    # No max_length of its own: stakeholders.rules judges the key, with the message the
    # API, the bundle and the imports give.
    key = forms.CharField(help_text=f"{rules.KEY_HELP.capitalize()} (imports and bundles use it).")
    name = RuleField(rule=rules.clean_name)
    parent = forms.CharField(
        required=False,
        max_length=64,
        label="Parent department",
        help_text="The parent's key; empty for a top-level department.",
    )
    kind = forms.ChoiceField(choices=DepartmentKind.choices, initial=DepartmentKind.FUNCTION)
    function = forms.ChoiceField(choices=Function.choices, initial=Function.OTHER)
    headcount = WholeNumberField(
        rule=lambda n: rules.clean_count(n, label="headcount"),
        min_value=0,
        max_value=rules.MAX_COUNT,
        initial=0,
        help_text="Own staff, not counting sub-departments.",
    )
    customer_facing = forms.BooleanField(required=False, label="Customer-facing")
    influence = forms.TypedChoiceField(choices=RATING_CHOICES, coerce=int, initial=3)
    interest = forms.TypedChoiceField(choices=RATING_CHOICES, coerce=int, initial=3)
    head = forms.CharField(
        required=False,
        max_length=254,
        help_text="E-mail of a registered person, or username or e-mail of a user; empty: no head.",
    )

    def __init__(self, *args, department=None, editable: frozenset[str], **kwargs) -> None:
        if department is not None:
            kwargs.setdefault("initial", asdict(DepartmentData.of(department)))
        super().__init__(*args, **kwargs)
        if department is not None:
            self.fields["key"].disabled = True
            self.fields["key"].help_text = "The key cannot change."
        for name, field in self.fields.items():
            if name != "key" and name not in editable:
                field.disabled = True
        self.fields["parent"].widget.attrs["list"] = "department-keys"

    def department_data(self) -> DepartmentData:
        return DepartmentData(**self.cleaned_data)


class StakeholderGroupForm(forms.Form):
    key = forms.CharField(help_text=rules.KEY_HELP.capitalize())
    name = RuleField(rule=rules.clean_name)
    kind = forms.ChoiceField(choices=GroupKind.choices, initial=GroupKind.OTHER)

    def __init__(self, *args, group=None, **kwargs) -> None:
        if group is not None:
            kwargs.setdefault("initial", {"key": group.key, "name": group.name, "kind": group.kind})
        super().__init__(*args, **kwargs)
        if group is not None:
            self.fields["key"].disabled = True
            self.fields["key"].help_text = "The key cannot change."

    def group_data(self) -> GroupData:
        return GroupData(**self.cleaned_data)


# --- People ---------------------------------------------------------------------------


class PersonForm(forms.Form):
    """Add or edit a person. `departments` is what the user may choose from: every active
    department for a lead, the departments they head for a head (and the current one)."""

    email = forms.EmailField(max_length=254, label="E-mail", help_text="Unique, in any case.")
    name = RuleField(rule=rules.clean_name, label="Full name")
    title = forms.CharField(required=False, max_length=rules.NAME_MAX_LENGTH, label="Job title")
    seniority = forms.ChoiceField(
        required=False, choices=[("", "Unknown")] + Seniority.choices, label="Seniority"
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        to_field_name="key",
        required=False,
        empty_label="Outside the company (no department)",
    )
    expertise = TagsField()

    def __init__(self, *args, departments, department_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["department"].required = department_required
        if department_required:
            self.fields["department"].empty_label = None

    def details(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(
            email=data["email"],
            name=data["name"],
            title=data["title"],
            seniority=data["seniority"] or None,
            department=data["department"],
            expertise=data["expertise"],
        )

    @staticmethod
    def initial_for(person: Person) -> dict:
        return {
            "email": person.email,
            "name": person.name,
            "title": person.title,
            "seniority": person.seniority or "",
            "department": person.department.key if person.department_id else None,
            "expertise": ", ".join(tag.name for tag in person.expertise.order_by("name")),
        }


class PersonLeaveForm(forms.Form):
    end_seats = forms.BooleanField(
        required=False,
        label="Also end their approved seats today",
        help_text="Otherwise the seats stay approved and the assessment reports them until "
        "someone ends them.",
    )

    def __init__(self, *args, may_end_seats: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_end_seats:
            del self.fields["end_seats"]


class HandoverCloseForm(forms.Form):
    """Who holds the keys now (e-mails of active people), and the confirmation."""

    successors = forms.CharField(
        label="Successors",
        help_text="E-mail of each person who now manages the account, separated by commas.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    access_removed = forms.BooleanField(
        label="Access removed and credentials changed",
        required=False,
        help_text="The departed person can no longer sign in to the account.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_successors(self) -> list[Person]:
        emails = re.split(r"[,;\s]+", self.cleaned_data["successors"])
        try:
            return handovers.successors_from_emails(emails=emails)
        except ValidationError as error:
            raise ValidationError(error.message_dict["successors"]) from None
