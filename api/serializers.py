"""Serializers of the REST API: read shapes of the registry and the assessment, and
the inputs of the writes (each write goes through the same service as the web)."""

from __future__ import annotations

from rest_framework import serializers

from governance import scoring
from governance.models import POLICY_FIELDS, Attendance, Meeting, Policy
from stakeholders import rules
from stakeholders.models import (
    AccountPurpose,
    AccountStatus,
    Department,
    DepartmentKind,
    Function,
    GroupKind,
    Person,
    Platform,
    Seat,
    SeatRole,
    Seniority,
    SocialAccount,
    StakeholderGroup,
)

MAX_ID = 2**63 - 1


def record_id(**kwargs) -> serializers.PrimaryKeyRelatedField:
    """A reference by id, checked to be in the id column's range before it is looked up."""
    return serializers.PrimaryKeyRelatedField(
        pk_field=serializers.IntegerField(min_value=1, max_value=MAX_ID), **kwargs
    )


# --- fields judged by stakeholders.rules: the verdict and message of the web forms, the
# bundle and the spreadsheet import.


def _judged(rule, value):
    try:
        return rule(value)
    except rules.Invalid as error:
        raise serializers.ValidationError(error.message) from None


class RuleField(serializers.CharField):
    """Text judged by `rule` (a stakeholders.rules function of one value)."""

    def __init__(self, *, rule, **kwargs):
        self.rule = rule
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        return value if value == "" else _judged(self.rule, value)


class WholeNumberField(serializers.IntegerField):
    """A JSON whole number (or its text, as rules.whole_number reads it), then `rule`."""

    def __init__(self, *, rule, **kwargs):
        self.rule = rule
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("invalid")
        if isinstance(data, float) and not data.is_integer():
            self.fail("invalid")
        number = int(data) if not isinstance(data, str) else _judged(rules.whole_number, data)
        return _judged(self.rule, number)


class IsoDateField(serializers.DateField):
    """A date written YYYY-MM-DD (rules.iso_date)."""

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid", format="YYYY-MM-DD")
        return _judged(rules.iso_date, value)


def count_field(label: str, **kwargs) -> WholeNumberField:
    return WholeNumberField(
        rule=lambda n: rules.clean_count(n, label=label),
        min_value=0,
        max_value=rules.MAX_COUNT,
        default=0,
        **kwargs,
    )


def rating_field(label: str) -> WholeNumberField:
    return WholeNumberField(
        rule=lambda n: rules.clean_rating(n, label=label),
        min_value=rules.RATING_MIN,
        max_value=rules.RATING_MAX,
        default=3,
    )


def tags_field() -> serializers.ListField:
    return serializers.ListField(
        child=RuleField(rule=rules.clean_tag, max_length=rules.TAG_MAX_LENGTH * 4),
        required=False,
        default=list,
        max_length=rules.TAGS_MAX,
    )


class ErrorSerializer(serializers.Serializer):
    """An error. `detail` says what went wrong (a message, or a list of messages); a
    validation error names each field in error, with a list of messages for it."""

    detail = serializers.JSONField(required=False)


class UsernameField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="username", read_only=True, allow_null=True, **kwargs)


# --- registry (read) --------------------------------------------------------------------


class DepartmentSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    head = UsernameField(help_text="Username of the department's head.")

    class Meta:
        model = Department
        fields = [
            "key",
            "name",
            "parent",
            "kind",
            "function",
            "headcount",
            "customer_facing",
            "influence",
            "interest",
            "head",
            "active",
        ]


class PersonSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    expertise = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["id", "email", "name", "title", "seniority", "department", "expertise", "active"]


class StakeholderGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = StakeholderGroup
        fields = ["key", "name", "kind"]


class SeatSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    person_email = serializers.EmailField(source="person.email", read_only=True)
    department = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    group = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    nominated_by = UsernameField()
    decided_by = UsernameField()

    class Meta:
        model = Seat
        fields = [
            "id",
            "person",
            "person_name",
            "person_email",
            "department",
            "group",
            "role",
            "status",
            "nomination_note",
            "nominated_by",
            "nominated_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "term_start",
            "term_end",
        ]
        read_only_fields = fields


class SocialAccountSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)
    # A URL, or empty when nobody entered one (so not `format: uri`).
    url = serializers.CharField(read_only=True)

    class Meta:
        model = SocialAccount
        fields = [
            "id",
            "platform",
            "handle",
            "url",
            "owner",
            "managers",
            "status",
            "followers",
            "last_post_at",
            "purpose",
        ]
        read_only_fields = fields


class AttendanceSerializer(serializers.ModelSerializer):
    """One recorded row of a meeting's attendance (GET /api/meetings/{id}/attendance/)."""

    email = serializers.EmailField(source="person.email", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["person", "email", "name", "present"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting with the counts of its attendance; the rows themselves are a list of
    their own (/api/meetings/{id}/attendance/): tens of thousands at a large company."""

    taken = serializers.SerializerMethodField(
        help_text="Whether its attendance has been taken (at least one row is recorded)."
    )
    present_count = serializers.IntegerField(read_only=True, help_text="People recorded present.")
    recorded_count = serializers.IntegerField(
        read_only=True, help_text="People whose attendance is recorded (present or absent)."
    )

    class Meta:
        model = Meeting
        fields = ["id", "date", "title", "notes", "taken", "present_count", "recorded_count"]
        read_only_fields = fields

    def get_taken(self, meeting: Meeting) -> bool:
        return meeting.recorded_count > 0


class MeetingDetailSerializer(MeetingSerializer):
    """One meeting: also how many people were expected at it (a count of its own, so not
    in the list, where it would cost a query per meeting)."""

    expected_count = serializers.IntegerField(
        read_only=True,
        help_text="People expected at the meeting (a seat current on its date), once each.",
    )

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "expected_count"]
        read_only_fields = fields


# --- writes -------------------------------------------------------------------------------


class NewPersonSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    seniority = serializers.ChoiceField(
        choices=Seniority.choices, required=False, allow_null=True, default=None
    )
    expertise = tags_field()


class NominationSerializer(serializers.Serializer):
    """A nomination: an existing person (`person`) or someone new (`new_person`), for a
    department (`department`, its key) or a stakeholder group (`group`, its key)."""

    person = record_id(queryset=Person.objects.all(), required=False, allow_null=True, default=None)
    new_person = NewPersonSerializer(required=False, allow_null=True, default=None)
    department = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    group = serializers.SlugRelatedField(
        slug_field="key",
        queryset=StakeholderGroup.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    role = serializers.ChoiceField(choices=SeatRole.choices, default=SeatRole.CORE)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def validate(self, attrs):
        if (attrs["person"] is None) == (attrs["new_person"] is None):
            raise serializers.ValidationError("Give either `person` or `new_person` (not both).")
        if (attrs["department"] is None) == (attrs["group"] is None):
            raise serializers.ValidationError("Give either `department` or `group` (not both).")
        return attrs


class SeatApproveSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    term_start = IsoDateField(required=False, allow_null=True, default=None)
    term_end = IsoDateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Left out or null: a term without an end date.",
    )


class SeatRenewSerializer(serializers.Serializer):
    term_end = IsoDateField(help_text="The new term's end: after today and the old end.")


class SeatDeclineSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class SeatEndSerializer(serializers.Serializer):
    term_end = IsoDateField(required=False, allow_null=True, default=None)


class SocialAccountWriteSerializer(serializers.Serializer):
    """A social account as the registry form takes it; PATCH may leave fields out."""

    platform = serializers.ChoiceField(choices=Platform.choices)
    handle = serializers.CharField(max_length=200)
    url = RuleField(
        rule=rules.clean_url,
        max_length=rules.URL_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
    )
    owner = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    status = serializers.ChoiceField(choices=AccountStatus.choices, default=AccountStatus.ACTIVE)
    followers = count_field("number of followers")
    last_post_at = IsoDateField(required=False, allow_null=True, default=None)
    purpose = serializers.ChoiceField(choices=AccountPurpose.choices, default=AccountPurpose.OTHER)
    managers = record_id(queryset=Person.objects.all(), many=True, required=False, default=list)

    def validate(self, attrs):
        # The platform's rule for the handle; a PATCH without both is judged by the service.
        if "handle" in attrs and "platform" in attrs:
            try:
                attrs["handle"] = rules.clean_handle(attrs["handle"], platform=attrs["platform"])
            except rules.Invalid as error:
                raise serializers.ValidationError({"handle": [error.message]}) from None
        return attrs


# --- departments and stakeholder groups (writes) ---------------------------------------


class DepartmentWriteSerializer(serializers.Serializer):
    """A department as the web form takes it. The key is set on creation and never changes
    (PUT must repeat it; PATCH may leave it out). COE leads change every field; a head may
    change only `name`, `headcount` and `customer_facing` of the departments they head."""

    # No max_length of its own: stakeholders.rules judges a new key (in the service).
    key = serializers.CharField(help_text=rules.KEY_HELP.capitalize() + ".")
    name = RuleField(rule=rules.clean_name, max_length=rules.NAME_MAX_LENGTH)
    parent = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        allow_null=True,
        default="",
        help_text="The parent's key; empty or null for a top-level department.",
    )
    kind = serializers.ChoiceField(choices=DepartmentKind.choices, default=DepartmentKind.FUNCTION)
    function = serializers.ChoiceField(choices=Function.choices, default=Function.OTHER)
    headcount = count_field("headcount")
    customer_facing = serializers.BooleanField(default=False)
    influence = rating_field("influence")
    interest = rating_field("interest")
    head = serializers.CharField(
        max_length=254,
        required=False,
        allow_blank=True,
        allow_null=True,
        default="",
        help_text="E-mail of a registered person, or username or e-mail of a user; "
        "empty or null: no head.",
    )

    def validate(self, attrs):
        return {
            name: ("" if value is None and name in {"parent", "head"} else value)
            for name, value in attrs.items()
        }


class StakeholderGroupWriteSerializer(serializers.Serializer):
    """A stakeholder group; the key is set on creation and never changes."""

    # No max_length of its own: stakeholders.rules judges a new key (in the service).
    key = serializers.CharField(help_text=rules.KEY_HELP.capitalize() + ".")
    name = RuleField(rule=rules.clean_name, max_length=rules.NAME_MAX_LENGTH)
    kind = serializers.ChoiceField(choices=GroupKind.choices, default=GroupKind.OTHER)


# --- people


class PersonWriteSerializer(serializers.Serializer):
    """A person as the people form takes it; PATCH may leave fields out. `active` is not
    written here: POST /api/people/{id}/leave/ and /rejoin/ change it."""

    email = serializers.EmailField(max_length=254, help_text="Unique, compared ignoring case.")
    name = RuleField(rule=rules.clean_name, max_length=rules.NAME_MAX_LENGTH)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    seniority = serializers.ChoiceField(
        choices=Seniority.choices, required=False, allow_null=True, default=None
    )
    department = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Key of the department; null for someone outside the company.",
    )
    expertise = tags_field()


class PersonLeaveSerializer(serializers.Serializer):
    end_seats = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Also end their approved seats today (COE leads only).",
    )


# --- end of people


class MeetingCreateSerializer(serializers.Serializer):
    date = IsoDateField()
    title = serializers.CharField(max_length=200)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


def _person_ids(**kwargs) -> serializers.ListField:
    # Plain ids, not looked up one query each: the service checks that each is expected
    # at the meeting (a large company's meeting expects tens of thousands).
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), **kwargs
    )


class AttendanceRecordSerializer(serializers.Serializer):
    present = _person_ids(
        help_text="Ids of the people present; everyone else expected (or, with `among`, "
        "everyone else in `among`) is marked absent.",
    )
    among = _person_ids(
        required=False,
        help_text="Record only these people (ids; each must be expected at the meeting, and "
        "`present` within them); the others keep what is recorded. Left out: everyone "
        "expected is recorded.",
    )


# --- the scoring policy ----------------------------------------------------------------------


class PolicySerializer(serializers.ModelSerializer):
    """Every weight and threshold of the assessment. PUT sends them all, PATCH some; the
    rules between them (not all weights zero, shares within 0-1...) are the service's."""

    class Meta:
        model = Policy
        fields = (*POLICY_FIELDS, "updated_at")
        read_only_fields = ("updated_at",)
        extra_kwargs = {name: {"required": True} for name in POLICY_FIELDS}


# --- the assessment --------------------------------------------------------------------------


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=[(s, s) for s in scoring.SEVERITIES])
    subject = serializers.CharField(allow_blank=True)
    message = serializers.CharField()
    action = serializers.CharField(allow_blank=True)


class RecommendationSerializer(serializers.Serializer):
    department = serializers.CharField()
    gain = serializers.FloatField()
    person = serializers.CharField(allow_null=True)


class ComponentsSerializer(serializers.Serializer):
    """Each component from 0 to 1, unrounded; null when not measured."""

    coverage = serializers.FloatField(allow_null=True)
    footprint = serializers.FloatField(allow_null=True)
    balance = serializers.FloatField(allow_null=True)
    seniority_mix = serializers.FloatField(allow_null=True)
    voices = serializers.FloatField(allow_null=True)
    participation = serializers.FloatField(allow_null=True)


class AssessmentSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    assessed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the snapshot was taken; null for a live assessment."
    )
    stale = serializers.BooleanField(help_text="The registry changed since; a recompute is due.")
    score = serializers.FloatField()
    grade = serializers.CharField()
    components = ComponentsSerializer()
    org_model = serializers.CharField()
    org_model_reason = serializers.CharField(allow_blank=True)
    projected_score = serializers.FloatField(allow_null=True)
    findings_count = serializers.IntegerField()
    recommendations = RecommendationSerializer(many=True)
