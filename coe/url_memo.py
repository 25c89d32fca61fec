"""The `{% url %}` tag, with the address of each (view, arguments) remembered.

A list page writes a hundred links and Django's reverse() costs about 20 µs each (its
namespace look-ups read the active language through thread-locals). The URL
configuration does not change while a process runs, so an address is computed once per
process and arguments. Only whole numbers and strings are remembered: the address of a
model instance comes from its str(), which can change. The script prefix, the URL conf
and the current application are part of the key; the language is not, because no URL
of the app is language-prefixed.

Installed as a template builtin (coe/settings.py), so it replaces Django's tag in every
template without a `{% load %}`.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url_tag
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

MEMO_SIZE = 16384
_REMEMBERED_TYPES = (int, str)


def reverse_remembered(
    view_name: str,
    *,
    args: tuple = (),
    kwargs: dict | None = None,
    current_app: str | None = None,
) -> str:
    """reverse(), remembered for whole-number and string arguments."""
    named = tuple(kwargs.items()) if kwargs else ()
    if not (isinstance(view_name, str) and _rememberable(args + tuple(v for _, v in named))):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    return _reverse(view_name, args, named, current_app, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=MEMO_SIZE)
def _reverse(view_name, args, kwargs, current_app, prefix, urlconf) -> str:
    # `prefix` is only part of the key: reverse() reads the same script prefix itself.
    return reverse(
        view_name, args=args, kwargs=dict(kwargs), current_app=current_app, urlconf=urlconf
    )


def _rememberable(values) -> bool:
    return all(type(value) in _REMEMBERED_TYPES for value in values)


class RememberedURLNode(URLNode):
    def render(self, context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        try:
            url = reverse_remembered(
                self.view_name.resolve(context),
                args=args,
                kwargs=kwargs,
                current_app=_current_app(context),
            )
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


def _current_app(context) -> str | None:
    # As Django's tag decides it.
    request = getattr(context, "request", None)
    try:
        return request.current_app
    except AttributeError:
        try:
            return request.resolver_match.namespace
        except AttributeError:
            return None


@register.tag
def url(parser, token):
    node = django_url_tag(parser, token)
    return RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
