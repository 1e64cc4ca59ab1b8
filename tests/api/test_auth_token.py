"""API tokens: obtained with e-mail and password, except by accounts that need a second factor."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from tests.factories import PASSWORD, FrameworkNodeFactory, PersonFactory

from .helpers import patch_json, problem

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"
BASE = "https://cleanasia.invalid/problems/"


def obtain(client, email, password=PASSWORD):
    return client.post(
        URL, {"email": email, "password": password}, content_type="application/json", headers={"Accept-Language": "en"}
    )


def test_the_token_endpoint_has_its_name():
    assert reverse("v1:auth-token") == URL


def test_an_expert_obtains_a_token_and_reads_with_it(client, make_user):
    expert = make_user("expert")
    members_only = PersonFactory(visibility="members")
    response = obtain(client, expert.email.upper())
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=expert).key == token
    assert obtain(client, expert.email).json()["token"] == token, "one token per user"

    anonymous = Client().get("/api/v1/people/").json()
    assert members_only.pk not in [p["id"] for p in anonymous["results"]]
    with_token = Client().get("/api/v1/people/", headers={"Authorization": f"Token {token}"}).json()
    assert members_only.pk in [p["id"] for p in with_token["results"]]


def test_a_wrong_password_is_refused_without_saying_more(client, make_user):
    expert = make_user("expert")
    body = problem(obtain(client, expert.email, "not the password"), 400)
    assert body["type"] == BASE + "validation-error"
    assert body["errors"][0]["field"] is None
    assert not Token.objects.exists()


def test_missing_credentials_name_the_fields(client):
    body = problem(client.post(URL, {}, content_type="application/json"), 400)
    assert {e["field"] for e in body["errors"]} == {"email", "password"}


@pytest.mark.parametrize("role", ["secretariat", "admin"])
def test_accounts_that_need_a_second_factor_get_no_token_by_password(client, make_user, role):
    user = make_user(role)
    body = problem(obtain(client, user.email), 403)
    assert body["type"] == BASE + "second-factor-required"
    assert "administrator" in body["detail"]
    assert not Token.objects.filter(user=user).exists()
    # A wrong password does not reveal that the account is a secretariat account.
    problem(obtain(client, user.email, "not the password"), 400)


def test_an_expert_who_set_up_a_second_factor_is_refused_too(client, make_user):
    expert = make_user("expert")
    TOTPDevice.objects.create(user=expert, name="phone", confirmed=True)
    problem(obtain(client, expert.email), 403)


def test_repeated_failures_lock_the_account_out_with_a_429_problem(client, make_user):
    expert = make_user("expert")
    for _attempt in range(5):
        obtain(client, expert.email, "wrong password")
    response = obtain(client, expert.email)
    body = problem(response, 429)
    assert body["type"] == BASE + "too-many-requests"
    assert int(response["Retry-After"]) > 0
    assert not Token.objects.exists()


def test_a_token_an_administrator_issued_to_the_secretariat_can_edit(make_user):
    secretariat = make_user("secretariat")
    token = Token.objects.create(user=secretariat)
    node = FrameworkNodeFactory(title_en="Old")
    response = patch_json(
        Client(),
        f"/api/v1/framework-nodes/{node.pk}/",
        {"version": 1, "title_en": "New"},
        Authorization=f"Token {token.key}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["title_en"] == "New"


def test_an_unverified_secretariat_session_is_stopped_at_the_api(make_user):
    secretariat = make_user("secretariat")
    client = Client()
    client.force_login(secretariat)
    response = client.get("/api/v1/people/", headers={"Accept-Language": "en"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "one-time password" in response.json()["detail"]
