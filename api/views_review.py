"""GET /api/review/?from=YYYY-MM-DD&to=YYYY-MM-DD: the quarterly review of the web page
(governance/review.py) as JSON — two stored snapshots and what changed between them."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from api.views import Api
from governance import forms, review


class ReviewSnapshotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    as_of = serializers.DateField()
    created_at = serializers.DateTimeField()
    score = serializers.FloatField()
    grade = serializers.CharField()
    org_model = serializers.CharField()


class ComponentChangeSerializer(serializers.Serializer):
    name = serializers.CharField()
    before = serializers.FloatField(allow_null=True)
    after = serializers.FloatField(allow_null=True)
    delta = serializers.FloatField(allow_null=True)


class ReviewFindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.CharField()
    subject = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class RepresentationChangeSerializer(serializers.Serializer):
    department = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class ReviewSeatSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    person = serializers.EmailField(source="person.email")
    department = serializers.CharField(source="department.key", allow_null=True, read_only=True)
    group = serializers.CharField(source="group.key", allow_null=True, read_only=True)
    role = serializers.CharField()
    status = serializers.CharField()
    term_start = serializers.DateField(allow_null=True)
    term_end = serializers.DateField(allow_null=True)


class ReviewSerializer(serializers.Serializer):
    start = serializers.DateField(source="review.start")
    end = serializers.DateField(source="review.end")
    before = ReviewSnapshotSerializer(source="review.before")
    after = ReviewSnapshotSerializer(source="review.after")
    score_delta = serializers.FloatField(source="review.comparison.score_delta")
    components = ComponentChangeSerializer(source="review.comparison.components", many=True)
    findings_opened = ReviewFindingSerializer(source="review.comparison.findings_opened", many=True)
    findings_closed = ReviewFindingSerializer(source="review.comparison.findings_closed", many=True)
    representation = RepresentationChangeSerializer(
        source="review.comparison.representation", many=True
    )
    seats_started = ReviewSeatSerializer(source="review.seats_started", many=True)
    seats_ended = ReviewSeatSerializer(source="review.seats_ended", many=True)


class ReviewView(Api, generics.GenericAPIView):
    """Two stored snapshots side by side: the latest one on or before each date."""

    serializer_class = ReviewSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        summary="Quarterly review between two dates",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True),
        ],
        responses=ReviewSerializer,
    )
    def get(self, request):
        form = forms.ReviewForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        try:
            result = review.review_between(form.cleaned_data["from"], form.cleaned_data["to"])
        except review.NoSnapshot as error:
            raise NotFound(str(error)) from None
        return Response(ReviewSerializer({"review": result}).data)
