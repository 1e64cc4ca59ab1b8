"""Setting a new password through an e-mailed link, and changing one's own password."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cleanasia.accounts import audit, services
from tests.factories import PASSWORD

from .conftest import sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 2025"
LINK = re.compile(r"https?://testserver(/[^\s]+/password/reset/[^\s]+/)")


def request_link(client, email: str):
    return client.post(reverse("accounts:password-reset"), {"email": email})


def link_from_mail() -> str:
    assert len(mail.outbox) == 1
    found = LINK.search(mail.outbox[0].body)
    assert found, mail.outbox[0].body
    return found.group(1)


def confirm_url(user, token: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token})


def test_reset_by_e_mail_then_sign_in_with_the_new_password(client, member):
    response = request_link(client, "Member@Example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert mail.outbox[0].to == ["member@example.org"]
    assert "Clean Asia Platform" in mail.outbox[0].subject

    form_page = client.get(link_from_mail(), follow=True)
    assert form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:password-reset-complete")

    assert sign_in(client, member.email, PASSWORD).status_code == 200  # the old one no longer works
    assert sign_in(client, member.email, NEW_PASSWORD).status_code == 302
    assert member.history.latest("history_date").action_code == audit.USER_PASSWORD_RESET


def test_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = request_link(client, "nobody@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-reset-done")
    assert mail.outbox == []


def test_sent_page_does_not_say_whether_the_address_has_an_account(client, member):
    known = client.get(reverse("accounts:password-reset-done"))
    assert "If an account uses the address you entered" in known.content.decode()


def test_a_link_that_was_already_used_shows_the_expired_page(client, member):
    request_link(client, member.email)
    link = link_from_mail()
    page = client.get(link, follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(link, follow=True)
    html = again.content.decode()
    assert "This link has expired or was already used" in html
    assert reverse("accounts:password-reset") in html


def test_tampered_token_shows_the_invalid_link_page_and_changes_nothing(client, member):
    token = default_token_generator.make_token(member)
    tampered = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    response = client.get(confirm_url(member, tampered))
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert "This link has expired or was already used" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_link_older_than_the_lifetime_has_expired(client, member, settings):
    token = default_token_generator.make_token(member)
    later = dt.datetime.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        response = client.get(confirm_url(member, token))
    assert response.context["validlink"] is False
    assert "This link has expired or was already used" in response.content.decode()
    # The same token within its lifetime is accepted (so the test above can fail).
    assert client.get(confirm_url(member, token)).status_code == 302


def test_mail_is_written_in_the_accounts_preferred_language(client, member):
    member.preferred_language = "en"
    member.save()
    request_link(client, member.email)
    assert "/en/accounts/password/reset/" in link_from_mail()


def test_account_opened_without_password_gets_its_first_one_by_e_mail(client):
    user = services.user_create(actor=None, email="new@example.org", full_name="New")
    assert not user.has_usable_password()
    request_link(client, "new@example.org")
    page = client.get(link_from_mail(), follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert sign_in(client, "new@example.org", NEW_PASSWORD).status_code == 302


def test_setting_a_new_password_lifts_a_lockout(client, member):
    for _attempt in range(5):
        sign_in(client, member.email, "wrong password")
    assert sign_in(client, member.email).status_code == 429
    request_link(client, member.email)
    page = client.get(link_from_mail(), follow=True)
    client.post(page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert sign_in(client, member.email, NEW_PASSWORD).status_code == 302


def test_weak_new_password_is_refused_with_the_error_next_to_the_field(client, member):
    request_link(client, member.email)
    page = client.get(link_from_mail(), follow=True)
    response = client.post(page.redirect_chain[-1][0], {"new_password1": "12345", "new_password2": "12345"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_new_password2_error"' in html
    assert 'aria-describedby="id_new_password2_helptext id_new_password2_error"' in html or (
        'aria-describedby="id_new_password2_error"' in html
    )
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_change_own_password_keeps_this_session_and_records_it(client_for):
    client, user = client_for("expert")
    url = reverse("accounts:password-change")
    page = client.get(url)
    assert 'autocomplete="current-password"' in page.content.decode()
    assert 'autocomplete="new-password"' in page.content.decode()
    wrong = client.post(url, {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert wrong.status_code == 200
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:profile")
    assert client.get(reverse("accounts:profile")).status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.history.latest("history_date").action_code == audit.USER_PASSWORD_CHANGED


def test_password_change_needs_sign_in(client):
    response = client.get(reverse("accounts:password-change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_reset_e_mail_is_written_in_the_accounts_language(client, member):
    member.preferred_language = "ja"
    member.save(update_fields=["preferred_language"])
    request_link(client, "member@example.org")
    assert "パスワード" in mail.outbox[0].subject
    assert "/ja/accounts/" in mail.outbox[0].body
