"""The provider's claims, and two test-only endpoints through which a test sets up the
provider's side: a user (with or without a verified e-mail) and an allowed redirect URI."""

import json

from django.contrib.auth.models import Group, User
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oidc_provider.models import Client

from tests.idp import CLIENT_ID

# email_verified: True for most users; these groups make it false or leave it out.
UNVERIFIED = "email-unverified"
NO_CLAIM = "email-verified-missing"


def userinfo(claims, user):
    claims["email"] = user.email
    claims["name"] = f"{user.first_name} {user.last_name}".strip()
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    groups = set(user.groups.values_list("name", flat=True))
    claims["email_verified"] = None if NO_CLAIM in groups else UNVERIFIED not in groups
    return claims


@csrf_exempt
@require_POST
def user_put(request):
    data = json.loads(request.body)
    user, _ = User.objects.get_or_create(username=data["username"])
    user.email = data.get("email", "")
    user.first_name = data.get("first_name", "")
    user.last_name = data.get("last_name", "")
    user.set_password(data["password"])
    user.save()
    user.groups.clear()
    verified = data.get("email_verified", True)
    if verified is None or verified is False:
        group, _ = Group.objects.get_or_create(name=NO_CLAIM if verified is None else UNVERIFIED)
        user.groups.add(group)
    return JsonResponse({"username": user.username})


@csrf_exempt
@require_POST
def redirect_uri_add(request):
    uri = json.loads(request.body)["uri"]
    client = Client.objects.get(client_id=CLIENT_ID)
    if uri not in client.redirect_uris:
        client.redirect_uris = [*client.redirect_uris, uri]
        client.save()
    return HttpResponse(status=204)
