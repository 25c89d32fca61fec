"""Two-factor sign-in: turned on from the profile (QR code or secret, then a code),
asked after the password, recovery codes used once, turned off with a code; the policy
that makes leads and admins turn it on; the admin signs in through the same form."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import SignInEvent
from tests.test_csp import check

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def current_code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def turn_on(user) -> tuple[TOTPDevice, list[str]]:
    """On, confirmed with the previous step's code: the current one and the next stay
    usable once each (a code is never accepted twice, nor one older than the last)."""
    device = services.two_factor_start(user=user)
    codes = services.two_factor_confirm(user=user, code=current_code(device, drift=-1))
    device.refresh_from_db()
    return device, codes


def test_turning_it_on_shows_a_qr_code_and_secret_then_the_recovery_codes(client_for, reader):
    client = client_for(reader)
    page = client.get("/accounts/two-factor/")
    content = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in content
    assert 'data-testid="totp-secret"' in content
    check(page, "/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=reader, confirmed=False)

    wrong = client.post("/accounts/two-factor/", {"code": "000000"})
    assert "not right" in wrong.content.decode()

    done = client.post("/accounts/two-factor/", {"code": current_code(device)})

    assert done.status_code == 200
    assert done.content.decode().count("<li>") >= 10
    check(done, "recovery codes")
    assert services.two_factor_enabled(user=reader)
    assert SignInEvent.objects.filter(user=reader, kind="two_factor_changed").exists()


def test_signing_in_asks_for_the_code_after_the_password(client, reader):
    device, _ = turn_on(reader)
    response = client.post(LOGIN, {"username": "reader", "password": "roundtable"})
    assert response.url == "/accounts/two-factor/verify/"
    assert client.get("/").status_code == 302  # not signed in yet
    page = client.get(response.url)
    check(page, "the code page")

    done = client.post(response.url, {"code": current_code(device)})
    assert done.url == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_code_is_refused_recorded_and_slows_the_next_try(client, reader):
    device, _ = turn_on(reader)
    client.post(LOGIN, {"username": "reader", "password": "roundtable"})
    wrong = client.post("/accounts/two-factor/verify/", {"code": "123456"})
    assert "not right" in wrong.content.decode()
    assert SignInEvent.objects.filter(user=reader, kind="sign_in_failed").exists()
    # django-otp's throttle: right after a wrong code, even the right one waits a second.
    throttled = client.post("/accounts/two-factor/verify/", {"code": current_code(device)})
    assert throttled.status_code == 200
    assert client.get("/").status_code == 302


def test_the_code_page_keeps_the_page_asked_for(client, reader):
    device, _ = turn_on(reader)
    client.post(
        f"{LOGIN}?next=/meetings/",
        {"username": "reader", "password": "roundtable", "next": "/meetings/"},
    )
    assert (
        client.post("/accounts/two-factor/verify/", {"code": current_code(device)}).url
        == "/meetings/"
    )


def test_a_recovery_code_signs_in_once(reader):
    _, codes = turn_on(reader)
    first = Client()
    first.post(LOGIN, {"username": "reader", "password": "roundtable"})
    assert first.post("/accounts/two-factor/verify/", {"code": codes[0]}).url == "/"
    again = Client()
    again.post(LOGIN, {"username": "reader", "password": "roundtable"})
    response = again.post("/accounts/two-factor/verify/", {"code": codes[0]})
    assert response.status_code == 200
    assert "not right" in response.content.decode()


def test_the_code_page_without_a_password_goes_back_to_the_sign_in(client):
    response = client.get("/accounts/two-factor/verify/")
    assert response.url == LOGIN


def test_turning_it_off_needs_a_current_code(client, reader):
    device, _ = turn_on(reader)
    client.post(LOGIN, {"username": "reader", "password": "roundtable"})
    client.post("/accounts/two-factor/verify/", {"code": current_code(device)})
    refused = client.post("/accounts/two-factor/off/", {"code": "000000"}, follow=True)
    assert "stays on" in refused.content.decode()
    assert services.two_factor_enabled(user=reader)
    client.post("/accounts/two-factor/off/", {"code": current_code(device, drift=1)})
    assert not services.two_factor_enabled(user=reader)


def test_new_recovery_codes_replace_the_old(reader):
    _, old = turn_on(reader)
    new = services.recovery_codes_regenerate(user=reader)
    assert set(old).isdisjoint(new)
    assert services.two_factor_verify(user=reader, code=new[0]) is not None
    assert services.two_factor_verify(user=reader, code=old[0]) is None


def test_the_policy_sends_a_lead_without_two_factor_to_the_setup(client_for, lead, settings):
    settings.REQUIRE_2FA_FOR_LEADS = True
    client = client_for(lead)
    response = client.get("/")
    assert response.url == "/accounts/two-factor/"
    page = client.get("/accounts/two-factor/")
    assert "must turn two-factor sign-in on" in page.content.decode()
    device = TOTPDevice.objects.get(user=lead)
    client.post("/accounts/two-factor/", {"code": current_code(device)})
    assert client.get("/").status_code == 200


def test_the_policy_leaves_readers_and_heads_alone(client_for, reader, settings):
    settings.REQUIRE_2FA_FOR_LEADS = True
    assert client_for(reader).get("/").status_code == 200


def test_a_lead_with_two_factor_signed_in_without_a_code_is_asked_for_one(
    client_for, lead, settings
):
    settings.REQUIRE_2FA_FOR_LEADS = True
    device, _ = turn_on(lead)
    client = client_for(lead)  # force_login: no code was entered in this session
    assert client.get("/").url == "/accounts/two-factor/"
    assert "signed in without a code" in client.get("/accounts/two-factor/").content.decode()
    client.post("/accounts/two-factor/", {"code": current_code(device)})
    assert client.get("/").status_code == 200


def test_the_admin_signs_in_through_the_site(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert re.match(r"^/accounts/login/\?next=/admin/", response.url)
