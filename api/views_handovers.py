"""GET /api/handovers/ (open ones, or `?state=closed`), GET /api/handovers/{id}/ and
POST /api/handovers/{id}/close/ — the hand-over pages' reads and the same service."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.views import ID_PATTERN, Api, _call, _input
from stakeholders import access, handovers
from stakeholders.models import Handover


class HandoverSerializer(serializers.ModelSerializer):
    account = serializers.CharField(source="account.__str__", read_only=True)
    account_id = serializers.IntegerField(read_only=True)
    owner = serializers.SlugRelatedField(
        source="account.owner", slug_field="key", read_only=True, allow_null=True
    )
    departed = serializers.EmailField(source="departed.email", read_only=True)
    successors = serializers.SlugRelatedField(slug_field="email", many=True, read_only=True)
    closed_by = serializers.CharField(source="closed_by.get_username", read_only=True, default=None)

    class Meta:
        model = Handover
        fields = (
            "id",
            "account",
            "account_id",
            "owner",
            "departed",
            "opened_at",
            "closed_at",
            "closed_by",
            "successors",
            "access_removed",
        )


class HandoverCloseSerializer(serializers.Serializer):
    successors = serializers.ListField(child=serializers.EmailField(), allow_empty=True)
    access_removed = serializers.BooleanField()


class HandoverViewSet(
    Api, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = HandoverSerializer
    lookup_value_regex = ID_PATTERN
    filter_backends: list = []

    def get_queryset(self):
        if self.request.query_params.get("state") == "closed":
            return (
                handovers.handovers_with_details()
                .filter(closed_at__isnull=False)
                .order_by("-closed_at", "-id")
            )
        return handovers.open_handovers()

    @extend_schema(
        summary="Account hand-overs (open ones first)",
        parameters=[OpenApiParameter("state", OpenApiTypes.STR, enum=["open", "closed"])],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Close a hand-over: successors take over, access removed and credentials changed",
        request=HandoverCloseSerializer,
        responses=HandoverSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        handover = access.handover_for_user(request.user, int(pk), write=True)
        body = _input(HandoverCloseSerializer, request)
        successors = _call(handovers.successors_from_emails, emails=body["successors"])
        closed = _call(
            handovers.handover_close,
            actor=request.user,
            handover=handover,
            successors=successors,
            access_removed=body["access_removed"],
        )
        return Response(
            HandoverSerializer(handovers.handovers_with_details().get(pk=closed.pk)).data
        )
