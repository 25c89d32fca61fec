"""The REST API: the registry, meetings and the latest assessment.

Everyone signed in reads everything (as on the web). Writes go through the same access
helpers and services as the web pages, so a department head nominates for their
departments, COE leads decide, and the rules live in one place:

- POST /api/seats/                    nominate (stakeholders.services.seat_nominate)
- POST /api/seats/{id}/approve|decline|withdraw|end/
- POST /api/accounts/, PUT/PATCH /api/accounts/{id}/   (account_create / account_update)
- POST /api/departments/, PUT/PATCH /api/departments/{key}/   (department_create / _update)
- POST /api/departments/{key}/archive|restore/   (department_archive / _restore)
- POST /api/groups/, PUT/PATCH /api/groups/{key}/   (group_create / group_update)
- POST /api/people/, PUT/PATCH /api/people/{id}/   (person_create / person_update)
- POST /api/people/{id}/leave|rejoin/   (person_leave / person_rejoin)
- POST /api/meetings/, POST /api/meetings/{id}/attendance/   (governance services;
  `among` records only some people, as a page of the meeting's form does)

Meetings carry the counts of their attendance (`taken`, `present_count`,
`recorded_count`; one meeting also `expected_count`), not its rows: those are
GET /api/meetings/{id}/attendance/, paginated like every list.
- PUT/PATCH /api/policy/              (governance.services.policy_update, COE leads)

A refusal by a service (a ValidationError) is a 400, or a 409 when the seat is not
in a state that allows the action.
"""

from __future__ import annotations

from dataclasses import asdict

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from api import filters, serializers
from api.authentication import ExpiringTokenAuthentication
from api.schema import RoundtableSchema
from governance import access as governance_access
from governance import meeting_selectors, scoring
from governance import selectors as governance_selectors
from governance import services as governance_services
from governance.filters import FindingFilterForm
from governance.models import Meeting
from stakeholders import access, services
from stakeholders.models import Department, Person, Seat, SocialAccount, StakeholderGroup

ID_PATTERN = r"[0-9]{1,18}"  # an id column's range; longer is a 404, not a database error
KEY_PATTERN = r"[-a-zA-Z0-9_]+"
CONFLICT_CODES = {"illegal_transition", "already_seated"}


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class Api:
    """What every API view shares. Token first, so that an anonymous call gets a 401 that
    names the scheme; session for the browser (with its CSRF check on writes)."""

    authentication_classes = (ExpiringTokenAuthentication, SessionAuthentication)
    pagination_class = Pagination
    schema = RoundtableSchema()


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record is not in a state that allows this."
    default_code = "conflict"


def _call(service, **kwargs):
    """Call a service; its refusal becomes a 400 (or a 409 for a state conflict)."""
    try:
        return service(**kwargs)
    except DjangoValidationError as error:
        codes = {e.code for e in error.error_list} if hasattr(error, "error_list") else set()
        if codes & CONFLICT_CODES:
            raise Conflict(" ".join(error.messages)) from None
        if hasattr(error, "error_dict"):
            raise ValidationError(error.message_dict) from None
        raise ValidationError({"detail": error.messages}) from None


def _input(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- registry --------------------------------------------------------------------------------


_REGISTRY_WRITE_ERRORS = {
    400: serializers.ErrorSerializer,
    403: serializers.ErrorSerializer,
    404: serializers.ErrorSerializer,
}


class _ServiceWrites:
    """POST, PUT and PATCH of a registry record through its create and update services.

    PATCH starts from the record as it is (`current`), so a field left out keeps its
    value; PUT takes the whole record (left-out fields take their defaults). Each
    viewset says who may create (`check_create`), which record a user may change
    (`to_edit`, 404/403 from the access helpers) and how input becomes the service's
    data object (`make_data`, passed as `data_argument`)."""

    write_serializer: type
    data_argument = "data"
    record_argument: str

    def create(self, request, *args, **kwargs):
        self.check_create(request.user)
        data = _input(self.write_serializer, request)
        record = _call(
            self.create_service, actor=request.user, **{self.data_argument: self.make_data(data)}
        )
        return self._respond(record, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        record = self.to_edit(request.user, kwargs[self.lookup_url_kwarg or self.lookup_field])
        serializer = self.write_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = (
            {**self.current(record), **serializer.validated_data}
            if partial
            else {**serializer.validated_data}
        )
        record = _call(
            self.update_service,
            actor=request.user,
            **{self.record_argument: record, self.data_argument: self.make_data(data)},
        )
        return self._respond(record)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _respond(self, record, code: int = status.HTTP_200_OK) -> Response:
        record = self.get_queryset().get(pk=record.pk)
        return Response(self.serializer_class(record).data, status=code)


def _write_schema(what: str, who: str, serializer, read_serializer):
    return extend_schema_view(
        create=extend_schema(
            summary=f"Add a {what} (COE leads)",
            request=serializer,
            responses={201: read_serializer, **_REGISTRY_WRITE_ERRORS},
        ),
        update=extend_schema(
            summary=f"Change a {what} ({who}); the key cannot change",
            request=serializer,
            responses={200: read_serializer, **_REGISTRY_WRITE_ERRORS},
        ),
        partial_update=extend_schema(
            summary=f"Change some fields of a {what} ({who})",
            request=serializer(partial=True),
            responses={200: read_serializer, **_REGISTRY_WRITE_ERRORS},
        ),
    )


@_write_schema(
    "department",
    "COE leads; a head changes name, headcount and customer_facing of the departments they head",
    serializers.DepartmentWriteSerializer,
    serializers.DepartmentSerializer,
)
class DepartmentViewSet(
    Api,
    _ServiceWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Departments, by key."""

    queryset = Department.objects.select_related("parent", "head").order_by("key")
    serializer_class = serializers.DepartmentSerializer
    filterset_class = filters.DepartmentFilter
    lookup_field = "key"
    lookup_value_regex = KEY_PATTERN
    write_serializer = serializers.DepartmentWriteSerializer
    make_data = staticmethod(lambda data: services.DepartmentData(**data))
    create_service = staticmethod(services.department_create)
    update_service = staticmethod(services.department_update)
    record_argument = "department"

    @staticmethod
    def check_create(user) -> None:
        access.require_department_manager(user)

    @staticmethod
    def to_edit(user, key: str) -> Department:
        return access.department_to_edit(user, key)

    @staticmethod
    def current(department: Department) -> dict:
        return asdict(services.DepartmentData.of(department))

    @extend_schema(
        summary="Archive a department (COE leads); its seats are kept as they are",
        request=None,
        responses={200: serializers.DepartmentSerializer, 409: serializers.ErrorSerializer},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, key=None):
        department = access.department_to_edit(request.user, key, manage=True)
        return self._respond(
            _call(services.department_archive, actor=request.user, department=department)
        )

    @extend_schema(
        summary="Restore an archived department (COE leads)",
        request=None,
        responses={200: serializers.DepartmentSerializer, 409: serializers.ErrorSerializer},
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, key=None):
        department = access.department_to_edit(request.user, key, manage=True)
        return self._respond(
            _call(services.department_restore, actor=request.user, department=department)
        )


_PERSON_ERRORS = {
    400: serializers.ErrorSerializer,
    403: serializers.ErrorSerializer,
    404: serializers.ErrorSerializer,
}


@extend_schema_view(
    create=extend_schema(
        summary="Add a person (COE leads; heads for the departments they head)",
        request=serializers.PersonWriteSerializer,
        responses={201: serializers.PersonSerializer, **_PERSON_ERRORS},
    ),
    update=extend_schema(
        summary="Change a person (COE leads; the head of their department)",
        request=serializers.PersonWriteSerializer,
        responses={200: serializers.PersonSerializer, **_PERSON_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change some fields of a person",
        request=serializers.PersonWriteSerializer(partial=True),
        responses={200: serializers.PersonSerializer, **_PERSON_ERRORS},
    ),
    leave=extend_schema(
        summary="Mark a person as having left the company",
        request=serializers.PersonLeaveSerializer,
        responses={
            200: serializers.PersonSerializer,
            **_PERSON_ERRORS,
            409: serializers.ErrorSerializer,
        },
    ),
    rejoin=extend_schema(
        summary="Mark a person who left as back",
        request=None,
        responses={
            200: serializers.PersonSerializer,
            **_PERSON_ERRORS,
            409: serializers.ErrorSerializer,
        },
    ),
)
class PersonViewSet(
    Api,
    _ServiceWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """People of the registry (and outside voices without a department)."""

    queryset = (
        Person.objects.select_related("department").prefetch_related("expertise").order_by("id")
    )
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    lookup_value_regex = ID_PATTERN
    write_serializer = serializers.PersonWriteSerializer
    create_service = staticmethod(services.person_create)
    update_service = staticmethod(services.person_update)
    record_argument = "person"
    data_argument = "details"
    check_create = staticmethod(access.require_person_registrar)

    @staticmethod
    def to_edit(user, pk: str) -> Person:
        return access.person_for_user(user, int(pk), write=True)

    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        person = access.person_for_user(request.user, int(pk), write=True)
        data = _input(serializers.PersonLeaveSerializer, request)
        leaving = _call(services.person_leave, actor=request.user, person=person, **data)
        return self._respond(leaving.person)

    @action(detail=True, methods=["post"])
    def rejoin(self, request, pk=None):
        person = access.person_for_user(request.user, int(pk), write=True)
        return self._respond(_call(services.person_rejoin, actor=request.user, person=person))

    @staticmethod
    def current(person: Person) -> dict:
        return {
            "email": person.email,
            "name": person.name,
            "title": person.title,
            "seniority": person.seniority,
            "department": person.department,
            "expertise": [tag.name for tag in person.expertise.all()],
        }

    @staticmethod
    def make_data(data: dict) -> services.PersonDetails:
        return services.PersonDetails(**{**data, "expertise": tuple(data["expertise"])})


@_write_schema(
    "stakeholder group",
    "COE leads",
    serializers.StakeholderGroupWriteSerializer,
    serializers.StakeholderGroupSerializer,
)
class StakeholderGroupViewSet(
    Api,
    _ServiceWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Outside voices the COE should hear (customers, employees, partners...), by key."""

    queryset = StakeholderGroup.objects.order_by("key")
    serializer_class = serializers.StakeholderGroupSerializer
    filterset_class = filters.StakeholderGroupFilter
    lookup_field = "key"
    lookup_value_regex = KEY_PATTERN
    write_serializer = serializers.StakeholderGroupWriteSerializer
    make_data = staticmethod(lambda data: services.GroupData(**data))
    create_service = staticmethod(services.group_create)
    update_service = staticmethod(services.group_update)
    record_argument = "group"

    @staticmethod
    def check_create(user) -> None:
        access.require_group_manager(user)

    @staticmethod
    def to_edit(user, key: str) -> StakeholderGroup:
        return access.group_to_edit(user, key)

    @staticmethod
    def current(group: StakeholderGroup) -> dict:
        return {"key": group.key, "name": group.name, "kind": group.kind}


def _seat_response(seat: Seat, code: int = status.HTTP_200_OK) -> Response:
    seat = Seat.objects.select_related(*SeatViewSet.related).get(pk=seat.pk)
    return Response(serializers.SeatSerializer(seat).data, status=code)


_SEAT_ERRORS = {
    400: serializers.ErrorSerializer,
    403: serializers.ErrorSerializer,
    404: serializers.ErrorSerializer,
    409: serializers.ErrorSerializer,
}


@extend_schema_view(
    create=extend_schema(
        summary="Nominate someone for a department or a stakeholder group",
        description="A department's head nominates for it and the departments below it; COE "
        "leads for any department and for stakeholder groups.",
        request=serializers.NominationSerializer,
        responses={201: serializers.SeatSerializer, **_SEAT_ERRORS},
    ),
    approve=extend_schema(
        summary="Approve a nomination (COE leads)",
        request=serializers.SeatApproveSerializer,
        responses={200: serializers.SeatSerializer, **_SEAT_ERRORS},
    ),
    decline=extend_schema(
        summary="Decline a nomination (COE leads)",
        request=serializers.SeatDeclineSerializer,
        responses={200: serializers.SeatSerializer, **_SEAT_ERRORS},
    ),
    withdraw=extend_schema(
        summary="Withdraw a pending nomination (its nominator or a COE lead)",
        request=None,
        responses={200: serializers.SeatSerializer, **_SEAT_ERRORS},
    ),
    end=extend_schema(
        summary="End an approved seat (COE leads)",
        request=serializers.SeatEndSerializer,
        responses={200: serializers.SeatSerializer, **_SEAT_ERRORS},
    ),
    renew=extend_schema(
        summary="Give an approved seat a new term end (COE leads)",
        request=serializers.SeatRenewSerializer,
        responses={200: serializers.SeatSerializer, **_SEAT_ERRORS},
    ),
)
class SeatViewSet(Api, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Seats and nominations (a nomination is a seat with status `nominated`)."""

    related = ("person", "department", "group", "nominated_by", "decided_by")
    queryset = Seat.objects.select_related(*related).order_by("-nominated_at", "-id")
    serializer_class = serializers.SeatSerializer
    filterset_class = filters.SeatFilter
    lookup_value_regex = ID_PATTERN

    def create(self, request, *args, **kwargs):
        data = _input(serializers.NominationSerializer, request)
        department, group = data["department"], data["group"]
        if department is not None:
            department = access.department_for_user(request.user, department.key, write=True)
        else:
            group = access.group_for_user(request.user, group.key, write=True)
        new_person = data["new_person"]
        seat = _call(
            services.seat_nominate,
            actor=request.user,
            person=data["person"],
            new_person=services.PersonData(
                email=new_person["email"],
                name=new_person["name"],
                title=new_person["title"],
                seniority=new_person["seniority"],
                expertise=tuple(new_person["expertise"]),
            )
            if new_person
            else None,
            department=department,
            group=group,
            role=data["role"],
            note=data["note"],
        )
        return _seat_response(seat, status.HTTP_201_CREATED)

    def _act(self, request, pk, access_action: str, service, input_serializer=None):
        seat = access.seat_for_user(request.user, int(pk), action=access_action)
        data = _input(input_serializer, request) if input_serializer else {}
        return _seat_response(_call(service, actor=request.user, seat=seat, **data))

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(
            request, pk, "decide", services.seat_approve, serializers.SeatApproveSerializer
        )

    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._act(
            request, pk, "decide", services.seat_decline, serializers.SeatDeclineSerializer
        )

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._act(request, pk, "withdraw", services.seat_withdraw)

    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        return self._act(request, pk, "end", services.seat_end, serializers.SeatEndSerializer)

    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        return self._act(request, pk, "end", services.seat_renew, serializers.SeatRenewSerializer)


_WRITE_ERRORS = {
    400: serializers.ErrorSerializer,
    403: serializers.ErrorSerializer,
    404: serializers.ErrorSerializer,
}


@extend_schema_view(
    create=extend_schema(
        summary="Register a social account (COE leads; heads for the departments they head)",
        request=serializers.SocialAccountWriteSerializer,
        responses={201: serializers.SocialAccountSerializer, **_WRITE_ERRORS},
    ),
    update=extend_schema(
        summary="Change a social account (COE leads; the owning department's head)",
        request=serializers.SocialAccountWriteSerializer,
        responses={200: serializers.SocialAccountSerializer, **_WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change some fields of a social account",
        request=serializers.SocialAccountWriteSerializer(partial=True),
        responses={200: serializers.SocialAccountSerializer, **_WRITE_ERRORS},
    ),
)
class SocialAccountViewSet(
    Api,
    _ServiceWrites,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The company's social media accounts."""

    queryset = (
        SocialAccount.objects.select_related("owner")
        .prefetch_related(Prefetch("managers", queryset=Person.objects.only("id")))
        .order_by("platform", "handle", "id")
    )
    serializer_class = serializers.SocialAccountSerializer
    filterset_class = filters.SocialAccountFilter
    lookup_value_regex = ID_PATTERN
    write_serializer = serializers.SocialAccountWriteSerializer
    create_service = staticmethod(services.account_create)
    update_service = staticmethod(services.account_update)
    record_argument = "account"
    check_create = staticmethod(access.require_account_registrar)

    @staticmethod
    def to_edit(user, pk: str) -> SocialAccount:
        return access.account_for_user(user, int(pk), write=True)

    @staticmethod
    def current(account: SocialAccount) -> dict:
        return {
            "platform": account.platform,
            "handle": account.handle,
            "url": account.url,
            "owner": account.owner,
            "status": account.status,
            "followers": account.followers,
            "last_post_at": account.last_post_at,
            "purpose": account.purpose,
            "managers": list(account.managers.all()),
        }

    @staticmethod
    def make_data(data: dict) -> services.AccountData:
        return services.AccountData(**{**data, "managers": tuple(data["managers"])})


@extend_schema_view(
    list=extend_schema(
        summary="Meetings, newest first, with the counts of their attendance",
    ),
    retrieve=extend_schema(
        summary="A meeting, with how many people were expected, present and recorded",
        responses={200: serializers.MeetingDetailSerializer},
    ),
    create=extend_schema(
        summary="Record a COE meeting (COE leads)",
        request=serializers.MeetingCreateSerializer,
        responses={201: serializers.MeetingDetailSerializer, **_WRITE_ERRORS},
    ),
)
class MeetingViewSet(
    Api,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """COE meetings with the counts of their attendance; the attendance rows (present or
    absent, per person) are a paginated list of each meeting's."""

    queryset = Meeting.objects.order_by("-date", "title", "id")
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilter
    lookup_value_regex = ID_PATTERN

    def list(self, request, *args, **kwargs):
        meetings = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        meeting_selectors.counts_of(meetings)
        return self.get_paginated_response(self.get_serializer(meetings, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    def create(self, request, *args, **kwargs):
        access.require_lead(request.user)
        data = _input(serializers.MeetingCreateSerializer, request)
        meeting = _call(governance_services.meeting_create, actor=request.user, **data)
        return self._respond(meeting, status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        summary="The recorded attendance of a meeting, by person id",
        responses={200: serializers.AttendanceSerializer(many=True)},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Record who was present (COE leads)",
        request=serializers.AttendanceRecordSerializer,
        responses={200: serializers.MeetingDetailSerializer, **_WRITE_ERRORS},
    )
    @action(detail=True, methods=["get", "post"])
    def attendance(self, request, pk=None):
        if request.method == "GET":
            meeting = governance_access.meeting_for_user(request.user, int(pk))
            rows = self.paginate_queryset(meeting_selectors.attendance_rows(meeting))
            data = serializers.AttendanceSerializer(rows, many=True).data
            return self.get_paginated_response(data)
        meeting = governance_access.meeting_for_user(request.user, int(pk), write=True)
        data = _input(serializers.AttendanceRecordSerializer, request)
        _call(
            governance_services.attendance_record,
            actor=request.user,
            meeting=meeting,
            present=data["present"],
            among=data.get("among"),
        )
        return self._respond(meeting)

    def _respond(self, meeting: Meeting, code: int = status.HTTP_200_OK) -> Response:
        meeting = Meeting.objects.get(pk=meeting.pk)
        meeting.expected_count = meeting_selectors.meeting_figures(meeting).expected
        return Response(serializers.MeetingDetailSerializer(meeting).data, status=code)


# --- the scoring policy -------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="The scoring policy: every weight and threshold of the assessment"),
    put=extend_schema(
        summary="Change the scoring policy (COE leads); the score is recomputed",
        responses={200: serializers.PolicySerializer, **_WRITE_ERRORS},
    ),
    patch=extend_schema(
        summary="Change some settings of the scoring policy (COE leads)",
        responses={200: serializers.PolicySerializer, **_WRITE_ERRORS},
    ),
)
class PolicyView(Api, generics.GenericAPIView):
    """The one row of weights and thresholds the assessment uses (the /policy/ page)."""

    serializer_class = serializers.PolicySerializer
    pagination_class = None
    filter_backends: list = []

    def get(self, request):
        return Response(self.get_serializer(governance_access.policy_for_user(request.user)).data)

    def put(self, request):
        return self._update(request, partial=False)

    def patch(self, request):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool) -> Response:
        governance_access.policy_for_user(request.user, write=True)
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        policy = _call(
            governance_services.policy_update, actor=request.user, data=serializer.validated_data
        )
        return Response(self.get_serializer(policy).data)


# --- the assessment -----------------------------------------------------------------------------


def _latest() -> dict:
    """The latest snapshot as the API shows it; a live assessment (not stored) before
    the first snapshot."""
    snapshot = governance_selectors.snapshot_latest()
    if snapshot is not None:
        return {
            "as_of": snapshot.as_of,
            "assessed_at": snapshot.created_at,
            "stale": governance_selectors.snapshot_is_stale(snapshot),
            "score": snapshot.score,
            "grade": snapshot.grade,
            "components": snapshot.components,
            "org_model": snapshot.org_model,
            "org_model_reason": snapshot.org_model_reason,
            "projected_score": snapshot.projected_score,
            "snapshot": snapshot,
            "recommendations": snapshot.recommendations,
        }
    assessment = governance_services.assessment_compute()
    return {
        **scoring.assessment_to_dict(assessment),
        "as_of": assessment.as_of,
        "assessed_at": None,
        "stale": False,
    }


class AssessmentView(Api, generics.GenericAPIView):
    """The latest assessment of the COE's inclusion (the dashboard's numbers)."""

    serializer_class = serializers.AssessmentSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(summary="The latest assessment")
    def get(self, request):
        result = _latest()
        snapshot = result.pop("snapshot", None)
        if snapshot is None:
            result["findings_count"] = len(result["findings"])
        elif snapshot.summary:
            result["findings_count"] = snapshot.summary["findings_total"]
        else:
            result["findings_count"] = len(snapshot.findings)
        return Response(serializers.AssessmentSerializer(result).data)


class FindingViewSet(Api, viewsets.GenericViewSet):
    """The findings of the latest assessment, most severe first."""

    serializer_class = serializers.FindingSerializer
    filter_backends: list = []

    @extend_schema(
        summary="Findings of the latest assessment",
        parameters=[
            OpenApiParameter(
                "severity", OpenApiTypes.STR, enum=list(scoring.SEVERITIES), required=False
            ),
            OpenApiParameter("code", OpenApiTypes.STR, required=False),
            OpenApiParameter("subject", OpenApiTypes.STR, required=False),
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                required=False,
                description="Text in the message, "
                "subject or action (as the findings export and the dashboard).",
            ),
        ],
    )
    def list(self, request):
        form = FindingFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        page = self.paginate_queryset(form.entries().values_list("data", flat=True))
        return self.get_paginated_response(serializers.FindingSerializer(page, many=True).data)
