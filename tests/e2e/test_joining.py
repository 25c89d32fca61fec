"""Joining in a real browser: a COE lead adds a department headed by a registered person
who has no account; the invitation e-mail's link lets them set a password, and they land
on their department and nominate a representative; then they turn two-factor sign-in on
and sign in again with a code."""

import base64
import re

import pytest
from django.core import mail
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts.models import Invitation
from stakeholders.models import Person, Seat

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Correct-Horse-42x"


def test_a_new_head_is_invited_sets_a_password_and_nominates(sign_in, browser, live_server):
    newcomer = (
        Person.objects.filter(active=True, user__isnull=True, department__isnull=False)
        .order_by("email")
        .first()
    )
    mail.outbox.clear()

    lead = sign_in("lead")
    page = lead.visit("/departments/new/")
    page.get_by_label("Key").fill("social-care")
    page.get_by_label("Name").fill("Social Care")
    page.get_by_label("Function").select_option("customer_support")
    page.get_by_label("Headcount").fill("12")
    page.get_by_label("Head", exact=True).fill(newcomer.email)
    page.locator("main").get_by_role("button", name="Add the department").click()
    page.wait_for_url(re.compile(r"/departments/social-care/$"))

    [message] = [m for m in mail.outbox if m.to == [newcomer.email.lower()]]
    path = re.search(r"(/accounts/join/[0-9a-f]+/)", message.body).group(1)

    # The lead sees the invitation as sent.
    page = lead.visit("/accounts/invitations/")
    expect(page.locator("[data-invitation-status='open']")).to_contain_text(newcomer.email.lower())

    # The newcomer, in their own browser.
    context = browser.new_context(base_url=live_server.url)
    errors: list[str] = []
    head = context.new_page()
    head.on("pageerror", lambda error: errors.append(str(error)))
    head.goto(path)
    expect(head.locator("main h1")).to_contain_text("Welcome to Roundtable")
    head.locator("#id_new_password1").fill("password")
    head.locator("#id_new_password2").fill("password")
    head.locator("main").get_by_role("button", name="Set password and sign in").click()
    expect(head.locator("main")).to_contain_text("too common")

    head.locator("#id_new_password1").fill(NEW_PASSWORD)
    head.locator("#id_new_password2").fill(NEW_PASSWORD)
    head.locator("main").get_by_role("button", name="Set password and sign in").click()
    head.wait_for_url(re.compile(r"/departments/social-care/$"))
    expect(head.locator(".alert-success")).to_contain_text("Welcome to Roundtable")
    assert Invitation.objects.get(user__email=newcomer.email.lower()).status == "accepted"

    head.get_by_role("link", name="Nominate a representative").click()
    head.wait_for_url(re.compile(r"/nominate/$"))
    # The new department has no staff yet: the head nominates someone new.
    head.get_by_label("E-mail").fill("rosa.new@acme.test")
    head.get_by_label("Full name").fill("Rosa New")
    head.locator("main").get_by_role("button", name="Nominate").click()
    expect(head.locator(".alert-success")).to_contain_text("Nominated")
    seat = Seat.objects.get(department__key="social-care", status="nominated")
    assert seat.person.email == "rosa.new@acme.test"

    # The link works once.
    response = head.goto(path)
    assert response.status == 410
    expect(head.locator("main")).to_contain_text("was used already")

    # Two-factor sign-in, from the profile: the secret typed into an "app", a code back.
    head.goto("/accounts/profile/")
    expect(head.get_by_test_id("headed-departments")).to_contain_text("Social Care")
    head.get_by_role("link", name="Two-factor sign-in").click()
    expect(head.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = head.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    head.get_by_label("Code").fill(_code(secret))
    head.locator("main").get_by_role("button", name="Turn two-factor sign-in on").click()
    expect(head.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)

    head.goto("/")
    head.get_by_role("button", name=re.compile(newcomer.email.lower())).click()
    head.get_by_role("button", name="Sign out").click()
    head.wait_for_url(re.compile(r"/accounts/login/"))
    head.get_by_label("Username").fill(newcomer.email.lower())
    head.get_by_label("Password").fill(NEW_PASSWORD)
    head.locator("main").get_by_role("button", name="Sign in").click()
    head.wait_for_url(re.compile(r"/accounts/two-factor/verify/$"))
    head.get_by_label("Code").fill(_code(secret, step=1))  # each code works once
    head.locator("main").get_by_role("button", name="Sign in").click()
    head.wait_for_url(re.compile(r"/$"))
    expect(head.get_by_test_id("score")).to_be_visible()
    context.close()
    assert errors == []


def _code(secret: str, step: int = 0) -> str:
    """What an authenticator app shows now (step 0) or for the next 30 seconds (1)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, drift=step):06d}"
