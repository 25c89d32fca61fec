"""/api/: the REST API, its OpenAPI schema (/api/schema/) and its docs (/api/docs/).

The API answers for itself when nobody is signed in (401 naming the token scheme):
DRF exempts its views from the site's LoginRequiredMiddleware, which would send a
token-authenticated call to the login page. The docs page is for people in a browser,
so it opts back in: an anonymous visitor is sent to sign in.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from api import tokens, views, views_handovers, views_review

app_name = "api"


class SchemaView(views.Api, SpectacularAPIView):
    permission_classes = (IsAuthenticated,)


router = DefaultRouter()
router.include_root_view = False
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("people", views.PersonViewSet, basename="person")
router.register("handovers", views_handovers.HandoverViewSet, basename="handover")
router.register("groups", views.StakeholderGroupViewSet, basename="group")
router.register("seats", views.SeatViewSet, basename="seat")
router.register("accounts", views.SocialAccountViewSet, basename="account")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("findings", views.FindingViewSet, basename="finding")

# The split view serves its init script from ?script instead of inline, for the CSP.
docs = SpectacularSwaggerSplitView.as_view(
    url_name="api:schema", template_name="api/swagger_ui.html"
)
docs.login_required = True

urlpatterns = [
    *router.urls,
    path("assessment/", views.AssessmentView.as_view(), name="assessment"),
    path("review/", views_review.ReviewView.as_view(), name="review"),
    path("policy/", views.PolicyView.as_view(), name="policy"),
    path("token/", tokens.TokenView.as_view(), name="token"),
    path("token/revoke/", tokens.TokenRevokeView.as_view(), name="token-revoke"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", docs, name="docs"),
]
