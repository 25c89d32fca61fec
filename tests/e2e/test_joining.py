"""Joining in a real browser: a COE lead adds a department headed by a registered person
who has no account; the invitation e-mail's link lets them set a password, and they land
on their department and nominate a representative."""

import re

import pytest
from django.core import mail
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
    context.close()
    assert errors == []
