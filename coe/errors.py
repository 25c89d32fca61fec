"""The site's error pages: the app's own look, a sentence on what happened and what to do.

Django renders 400/403/404/500.html by itself, but its 400 and 500 handlers render
without the request (so no navigation), its 405 is an empty page and its CSRF failure
page is its own. These handlers render through `render()` so the navigation shows.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger(__name__)


def _page(request: HttpRequest, template: str, status: int, context=None) -> HttpResponse:
    return render(request, template, context or {}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The access helpers say why ("Only COE leads decide on seats."): pass it on.
    return _page(request, "403.html", 403, {"reason": str(exception)})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "404.html", 404, {"request_path": request.path})


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return _page(request, "500.html", 500)
    except Exception:  # the error may come from what the full page needs: keep it plain
        logger.exception("The 500 page could not be rendered with the request")
        return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(request, "403_csrf.html", 403)


class MethodNotAllowedPageMiddleware:
    """`require_POST` answers a GET with an empty 405: show a page that says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            page = _page(request, "405.html", 405, {"allowed": response["Allow"]})
            page["Allow"] = response["Allow"]
            return page
        return response
