"""Forms of the governance pages (crispy, Bootstrap 5). Forms parse; services write."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from governance.meeting_selectors import ExpectedPerson
from governance.models import POLICY_FIELDS, POLICY_SECTIONS, Policy
from governance.selectors import policy_setting_label
from stakeholders.forms import IsoDateField

# --- Meetings and attendance --------------------------------------------------------


def _plain_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class MeetingForm(forms.Form):
    # YYYY-MM-DD only, as the API and the org bundle take a meeting's date.
    date = IsoDateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label="Title", max_length=200, initial="COE monthly")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = _plain_helper()


def _attendee_label(entry: ExpectedPerson) -> str:
    left = " — has left" if not entry.person.active else ""
    recorded = "" if entry.recorded else " — not recorded yet"
    return f"{entry.person.name} ({entry.constituencies}){left}{recorded}"


class PersonIdsField(forms.TypedMultipleChoiceField):
    """Person ids. Which ones may be recorded is the service's rule (expected at the
    meeting): the choices are only the checkboxes shown, not a limit on what is read,
    so a page that changed between showing and saving is checked by the service."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, required=False, **kwargs)

    def valid_value(self, value) -> bool:
        try:
            return 0 < int(value) < 2**63
        except (TypeError, ValueError):
            return False


class AttendanceForm(forms.Form):
    """One page of a meeting's attendance: one checkbox per person on the page (a person
    with several seats has one), ticked means present, unticked absent. `shown` holds
    the ids of the people on the page (hidden inputs, written by the template): only
    they are recorded, the others keep what they have."""

    present = PersonIdsField(label="Present", widget=forms.CheckboxSelectMultiple)
    shown = PersonIdsField(widget=forms.MultipleHiddenInput)

    def show(self, people: list[ExpectedPerson]) -> AttendanceForm:
        """The checkboxes of a page's people, ticked when recorded present."""
        self.fields["present"].choices = [(e.person.pk, _attendee_label(e)) for e in people]
        self.initial["present"] = [e.person.pk for e in people if e.present]
        return self

    def checkboxes(self) -> list[tuple[int, str, bool]]:
        """(person id, label, ticked) of each checkbox: what was sent back when the form
        is shown again with its errors, else what is recorded. The template writes them
        itself (governance/meetings/_attendance_boxes.html): a page holds hundreds."""
        ticked = {str(value) for value in self["present"].value() or ()}
        return [
            (value, label, str(value) in ticked) for value, label in self.fields["present"].choices
        ]

    def clean(self):
        data = super().clean()
        if set(data.get("present", ())) - set(data.get("shown", ())):
            raise forms.ValidationError("Only the people shown on the page can be marked present.")
        return data


# --- Quarterly review ---------------------------------------------------------------


class ReviewForm(forms.Form):
    """The two dates of a review, `?from=YYYY-MM-DD&to=YYYY-MM-DD` (`from` is a Python
    keyword, hence the fields added by name)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_input = {"type": "date"}
        self.fields["from"] = forms.DateField(
            label="From", widget=forms.DateInput(attrs=date_input), input_formats=["%Y-%m-%d"]
        )
        self.fields["to"] = forms.DateField(
            label="To", widget=forms.DateInput(attrs=date_input), input_formats=["%Y-%m-%d"]
        )
        for name in ("from", "to"):
            self.fields[name].error_messages["invalid"] = "Enter a date written YYYY-MM-DD."

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error("to", "The end of the review comes before its start.")
        return cleaned


# --- Scoring policy -----------------------------------------------------------------


class PolicyForm(forms.Form):
    """Every setting of the policy, typed as the model types it. The rules between the
    values (not all weights zero, shares within 0-1...) are checked by the service."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(Policy, fields=POLICY_FIELDS))
        for name, field in self.fields.items():
            field.label = policy_setting_label(name)
        self.helper = _plain_helper()

    @staticmethod
    def initial_for(policy: Policy) -> dict:
        return {name: getattr(policy, name) for name in POLICY_FIELDS}

    def sections(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """The fields grouped as on the policy page, for the template."""
        return [
            (title, description, [self[name] for name in fields])
            for title, description, fields in POLICY_SECTIONS
        ]
