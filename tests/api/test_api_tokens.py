"""POST /api/token/, token expiry and revocation (POST /api/token/revoke/, signing out)."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

TOKEN = "/api/token/"
REVOKE = "/api/token/revoke/"
RIGHT = {"username": "reader", "password": "roundtable"}


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def age(key: str, hours: float) -> None:
    Token.objects.filter(key=key).update(
        created=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=hours)
    )


def test_the_token_answer_says_when_it_expires(reader, settings):
    response = APIClient().post(TOKEN, RIGHT)
    assert response.status_code == 200
    body = response.json()
    token = Token.objects.get(user=reader)
    assert body["token"] == token.key
    expires = datetime.datetime.fromisoformat(body["expires"].replace("Z", "+00:00"))
    assert expires == token.created + datetime.timedelta(hours=settings.API_TOKEN_TTL_HOURS)


def test_asking_again_returns_the_same_token_while_it_is_valid(reader):
    first = APIClient().post(TOKEN, RIGHT).json()["token"]
    assert APIClient().post(TOKEN, RIGHT).json()["token"] == first


def test_an_expired_token_is_refused_with_a_clear_401(reader, settings):
    key = APIClient().post(TOKEN, RIGHT).json()["token"]
    age(key, settings.API_TOKEN_TTL_HOURS + 1)
    response = with_token(key).get("/api/departments/")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Token expired.")
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_just_inside_its_lifetime_still_works(reader, settings):
    key = APIClient().post(TOKEN, RIGHT).json()["token"]
    age(key, settings.API_TOKEN_TTL_HOURS - 1)
    assert with_token(key).get("/api/departments/").status_code == 200


def test_after_expiry_asking_again_gives_a_new_token_that_works(reader, settings):
    old = APIClient().post(TOKEN, RIGHT).json()["token"]
    age(old, settings.API_TOKEN_TTL_HOURS + 1)
    new = APIClient().post(TOKEN, RIGHT).json()["token"]
    assert new != old
    assert with_token(new).get("/api/departments/").status_code == 200
    assert with_token(old).get("/api/departments/").status_code == 401


def test_revoking_ones_token_stops_it_working(reader):
    key = APIClient().post(TOKEN, RIGHT).json()["token"]
    client = with_token(key)
    assert client.post(REVOKE).status_code == 204
    assert client.get("/api/departments/").status_code == 401
    assert not Token.objects.filter(user=reader).exists()


def test_revoking_touches_only_the_callers_token(reader, lead, api_for):
    key = APIClient().post(TOKEN, RIGHT).json()["token"]
    assert api_for(lead).post(REVOKE).status_code == 204
    assert with_token(key).get("/api/departments/").status_code == 200


def test_revoking_needs_a_signed_in_caller():
    assert APIClient().post(REVOKE).status_code == 401


def test_signing_out_of_the_web_revokes_the_api_token(client, reader):
    key = APIClient().post(TOKEN, RIGHT).json()["token"]
    client.force_login(reader)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert with_token(key).get("/api/departments/").status_code == 401
    assert not Token.objects.filter(user=reader).exists()


def test_the_schema_documents_the_token_answer_and_its_429(api_for, reader):
    schema = api_for(reader).get("/api/schema/?format=json").json()
    token = schema["paths"]["/api/token/"]["post"]["responses"]
    assert {"200", "400", "429"} <= set(token)
    assert "/api/token/revoke/" in schema["paths"]
