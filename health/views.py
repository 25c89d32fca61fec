from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from health import checks


@login_not_required
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when every dependency answers, else 503, with each check."""
    results = checks.run_all()
    healthy = all(result.ok for result in results.values())
    response = JsonResponse(
        {
            "status": "ok" if healthy else "failing",
            "checks": {
                name: {"ok": result.ok, "detail": result.detail} for name, result in results.items()
            },
        },
        status=200 if healthy else 503,
    )
    add_never_cache_headers(response)
    return response
