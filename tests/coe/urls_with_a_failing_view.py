"""The site's URLs plus one view that fails, to show the 500 page."""

from django.urls import path

from coe.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def failing_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", failing_view), *urlpatterns]
