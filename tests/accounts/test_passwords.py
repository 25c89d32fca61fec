"""Django's four password validators apply wherever a password is chosen."""

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password", "This password is too common."),
        ("qwerty123", "This password is too common."),
        ("short1!", "This password is too short."),
        ("4815162342", "This password is entirely numeric."),
        ("ana.ruiz.acme", "The password is too similar to the username."),
    ],
)
def test_a_weak_password_is_refused_naming_why(password, message):
    user = User(username="ana.ruiz.acme", email="ana@acme.test")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert any(m.startswith(message) for m in refused.value.messages)


def test_a_long_uncommon_password_is_accepted():
    validate_password("correct horse battery staple", User(username="ana"))


def test_the_set_password_form_refuses_password(reader):
    form = SetPasswordForm(reader, {"new_password1": "password", "new_password2": "password"})
    assert not form.is_valid()
    assert "This password is too common." in form.errors["new_password2"]


def test_the_admin_refuses_a_common_password_for_a_new_user(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newbie",
            "usable_password": "true",
            "password1": "password",
            "password2": "password",
        },
    )
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()
