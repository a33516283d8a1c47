"""Rate limits, lockout, security headers and cookies (issue 8, guarantees 3 and 8)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from questionnaires import throttle
from questionnaires.models import Invitation, User
from questionnaires.tokens import token_new
from tests.factories import AssessmentFactory, MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

BAD = "x" * 43


@pytest.fixture
def invitation(im_model):
    team = TeamFactory()
    assessment = AssessmentFactory(maturity_model=im_model, organization=team.organization)
    token, digest = token_new()
    invitation = Invitation.objects.create(assessment=assessment, team=team, token_hash=digest)
    invitation.token = token
    return invitation


def _enter(client, token, address="203.0.113.7", **headers):
    return client.get(reverse("survey-enter", args=[token]), REMOTE_ADDR=address, **headers)


# --- Tokens ------------------------------------------------------------------------------


def test_eleventh_bad_token_in_a_minute_gets_429(client, invitation):
    for attempt in range(10):
        assert _enter(client, f"{BAD}{attempt}").status_code == 404
    blocked = _enter(client, f"{BAD}-eleventh", HTTP_ACCEPT_LANGUAGE="nl")
    assert blocked.status_code == 429
    assert 1 <= int(blocked["Retry-After"]) <= 120
    assert "Te veel links geprobeerd" in blocked.text
    # Only unknown links are refused: behind one shared public address, the colleague
    # with a valid link still gets in.
    assert _enter(client, invitation.token).status_code == 302
    # Elsewhere the same valid link works too.
    assert _enter(client.__class__(), invitation.token, address="198.51.100.4").status_code == 302


def test_the_block_lifts_after_a_minute(client, invitation, monkeypatch):
    now = 1_800_000_000.0
    monkeypatch.setattr(throttle.time, "time", lambda: now)
    for attempt in range(10):
        _enter(client, f"{BAD}{attempt}")
    assert _enter(client, f"{BAD}-blocked").status_code == 429
    now += 2 * throttle.WINDOW_SECONDS
    assert _enter(client, f"{BAD}-later").status_code == 404


def test_failures_just_before_a_minute_boundary_still_count(client, invitation, monkeypatch):
    now = 1_800_000_059.0  # one second before a new counting window starts
    monkeypatch.setattr(throttle.time, "time", lambda: now)
    for attempt in range(10):
        _enter(client, f"{BAD}{attempt}")
    now += 2
    assert _enter(client, f"{BAD}-after").status_code == 429


def test_ten_bad_tokens_do_not_block(client, invitation):
    for attempt in range(9):
        _enter(client, f"{BAD}{attempt}")
    assert _enter(client, f"{BAD}-tenth").status_code == 404
    assert _enter(client, invitation.token).status_code == 302


def test_the_count_is_shared_by_every_worker(client, invitation):
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for attempt in range(10):
        _enter(client, f"{BAD}{attempt}")
    for alias in caches:  # another worker: nothing of this one's memory
        if isinstance(caches[alias], LocMemCache):
            caches[alias].clear()
    assert _enter(client, f"{BAD}-elsewhere").status_code == 429
    assert throttle.failures("token", "203.0.113.7") == 11


@pytest.mark.django_db(transaction=True)
def test_parallel_unknown_links_get_at_most_the_limit_of_404s(invitation):
    """80 unknown links at once from one address, as two gunicorn workers took them: the
    failure is counted before the total decides, so no more than the limit pass."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection
    from django.test import Client

    if connection.vendor == "sqlite":
        pytest.skip("threads need a database server; the count itself is tested above")

    def guess(number):
        try:
            return Client().get(f"/s/{BAD}{number}/", REMOTE_ADDR="203.0.113.9").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(guess, range(80)))
    assert statuses.count(404) <= 10 and statuses.count(429) >= 70, statuses


@override_settings(CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR", CLIENT_IP_PROXY_COUNT=1)
def test_behind_a_proxy_only_the_address_the_proxy_saw_counts(client, invitation):
    # The client writes whatever it likes left of the proxy's entry; that part is ignored.
    for attempt in range(10):
        spoofed = f"10.0.0.{attempt}, 192.0.2.55"
        _enter(client, f"{BAD}{attempt}", address="127.0.0.1", HTTP_X_FORWARDED_FOR=spoofed)
    blocked = _enter(client, BAD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 192.0.2.55")
    assert blocked.status_code == 429
    other = _enter(client, invitation.token, address="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.56")
    assert other.status_code == 302


def test_without_a_proxy_setting_forwarded_headers_are_ignored(client, invitation):
    for attempt in range(10):
        _enter(client, f"{BAD}{attempt}", HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}")
    assert _enter(client, BAD, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_tokens_never_reach_the_log(client, invitation, caplog):
    caplog.set_level("DEBUG")
    _enter(client, invitation.token)
    _enter(client, BAD)
    invitation.assessment.status = "closed"
    invitation.assessment.save()
    assert _enter(client, invitation.token).status_code == 410
    assert "Not Found: /s/[token]" in caplog.text
    assert invitation.token not in caplog.text
    assert BAD not in caplog.text


# --- Login ---------------------------------------------------------------------------------


@pytest.fixture
def manager(im_model):
    user = UserFactory(email="manager@klant.nl")
    user.set_password("juist-wachtwoord-2026")
    user.save()
    MembershipFactory(user=user, role="manager")
    return user


def _login(client, password, email="manager@klant.nl", address="203.0.113.7"):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="nl",
    )


def test_five_failures_lock_the_account_at_that_address_for_15_minutes(client, manager):
    for _attempt in range(4):
        assert _login(client, "fout").status_code == 200
    locked = _login(client, "fout")
    assert locked.status_code == 429
    assert "Inloggen gepauzeerd" in locked.text
    assert "15 minuten" in locked.text
    # Even the right password waits now.
    assert _login(client, "juist-wachtwoord-2026").status_code == 429
    assert "_auth_user_id" not in client.session
    # The same account from another address, and another account here, are not locked.
    elsewhere = _login(client.__class__(), "juist-wachtwoord-2026", address="198.51.100.4")
    assert elsewhere.status_code == 302
    assert _login(client.__class__(), "fout", email="ander@klant.nl").status_code == 200
    # Writing the address differently is the same account.
    assert _login(client, "juist-wachtwoord-2026", email=" Manager@Klant.NL").status_code == 429


def test_email_addresses_log_in_whatever_their_case(client, manager):
    page = _login(client, "juist-wachtwoord-2026", email="Manager@Klant.nl")
    assert page.status_code == 302


def test_the_lock_lifts_after_15_minutes(client, manager):
    for _attempt in range(5):
        _login(client, "fout")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, "juist-wachtwoord-2026").status_code == 302


def test_a_successful_login_resets_the_count(client, manager):
    for _attempt in range(4):
        _login(client, "fout")
    assert _login(client, "juist-wachtwoord-2026").status_code == 302
    fresh = client.__class__()
    for _attempt in range(4):
        assert _login(fresh, "fout").status_code == 200


def _guess_from_many_addresses(addresses, per_address=5, email="manager@klant.nl"):
    from django.test import Client

    for index in range(addresses):
        guesser = Client()
        for _attempt in range(per_address):
            _login(guesser, "fout", email=email, address=f"198.18.{index // 250}.{index % 250}")


def test_guessing_one_account_from_many_addresses_pauses_it_everywhere(client, manager):
    # Issue #16: 24 addresses × 5 wrong passwords, then the right one from a 25th.
    _guess_from_many_addresses(24)
    assert throttle.account_failures("manager@klant.nl") >= 20
    page = _login(client, "juist-wachtwoord-2026", address="192.0.2.25")
    assert page.status_code == 429
    assert "overal gepauzeerd" in page.text
    assert "adviseur" in page.text  # the way out without e-mail
    assert "_auth_user_id" not in client.session
    # Another account is not touched.
    other = UserFactory(email="ander@klant.nl")
    other.set_password("juist-wachtwoord-2026")
    other.save()
    assert (
        _login(client.__class__(), "juist-wachtwoord-2026", email="ander@klant.nl").status_code
        == 302
    )


def test_fewer_failures_than_the_account_limit_pause_only_their_addresses(client, manager):
    _guess_from_many_addresses(3)  # 15 wrong passwords from three addresses
    assert not throttle.account_paused("manager@klant.nl")
    assert _login(client, "juist-wachtwoord-2026", address="192.0.2.25").status_code == 302
    locked_there = _login(client.__class__(), "juist-wachtwoord-2026", address="198.18.0.0")
    assert locked_there.status_code == 429 and "overal" not in locked_there.text


def test_the_account_pause_lifts_after_the_cool_off(client, manager):
    _guess_from_many_addresses(4)
    assert _login(client, "juist-wachtwoord-2026", address="192.0.2.25").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, "juist-wachtwoord-2026", address="192.0.2.25").status_code == 302


def test_the_consultant_lifts_a_managers_pause_without_any_email(client, manager, mailoutbox):
    _guess_from_many_addresses(4)
    membership = manager.memberships.get()
    consultant = MembershipFactory(organization=membership.organization, role="consultant").user
    stranger = MembershipFactory(role="consultant").user
    client.force_login(stranger)  # a consultant of another client cannot
    assert client.post(reverse("manager-unlock", args=[membership.pk])).status_code == 404
    client.force_login(consultant)
    page = client.get(reverse("organization-detail", args=[membership.organization.pk]))
    assert reverse("manager-unlock", args=[membership.pk]) in page.text
    lifted = client.post(reverse("manager-unlock", args=[membership.pk]), follow=True)
    assert "kan weer inloggen" in lifted.text or "can log in again" in lifted.text
    assert reverse("manager-unlock", args=[membership.pk]) not in lifted.text
    assert membership.organization.audit_entries.filter(action="login pause lifted").exists()
    assert mailoutbox == []
    client.logout()
    assert _login(client, "juist-wachtwoord-2026", address="192.0.2.25").status_code == 302


def test_an_administrator_lifts_a_pause_in_the_admin(client, manager):
    _guess_from_many_addresses(4)
    admin = UserFactory(email="beheer@adviesbureau.nl", is_staff=True, is_superuser=True)
    client.force_login(admin)
    client.post(
        reverse("admin:questionnaires_user_changelist"),
        {"action": "lift_login_pause", "_selected_action": [manager.pk]},
    )
    assert not throttle.account_paused("manager@klant.nl")


# --- Headers and cookies ---------------------------------------------------------------


def test_every_page_sends_a_strict_content_security_policy(client):
    page = client.get(reverse("home"))
    policy = page["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["X-Frame-Options"] == "DENY"
    assert page["Referrer-Policy"] == "same-origin"


def test_no_page_template_carries_inline_script_or_style():
    from pathlib import Path

    from django.conf import settings

    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        if "report" in template.parts:
            continue  # the PDF is not a web page; WeasyPrint runs no scripts
        text = template.read_text()
        assert "<script>" not in text and "<script >" not in text, template
        assert " style=" not in text and "<style" not in text, template
        assert " on" + "click=" not in text, template


def test_token_page_sends_no_referrer_and_no_store(client, invitation):
    page = _enter(client, invitation.token)
    assert page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page["Cache-Control"]


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_production_settings_send_hsts_and_secure_cookies(client, manager):
    plain = client.get(reverse("home"))
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    page = client.post(
        reverse("login"),
        {"username": "manager@klant.nl", "password": "juist-wachtwoord-2026"},
        secure=True,
    )
    assert page.status_code == 302
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    cookie = page.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_production_settings_module_sets_the_hardening(monkeypatch):
    """The settings file itself, read with DEBUG off, as a deployment would."""
    import importlib

    import im_assess.settings as module

    monkeypatch.setenv("DJANGO_DEBUG", "0")
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    try:
        production = importlib.reload(module)
        assert production.SECURE_HSTS_SECONDS >= 31_536_000
        assert production.SECURE_SSL_REDIRECT is True
        assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
        assert production.SESSION_COOKIE_HTTPONLY
        # __Host-: only over HTTPS, for this host and path /; no sibling domain can set them.
        assert production.SESSION_COOKIE_NAME == "__Host-sessionid"
        assert production.CSRF_COOKIE_NAME == "__Host-csrftoken"
        assert getattr(production, "SESSION_COOKIE_DOMAIN", None) is None  # no Domain allowed
        assert production.SESSION_IDLE_SECONDS == 30 * 60
        assert production.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60
    finally:
        monkeypatch.undo()
        importlib.reload(module)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("consultant@demo.local", "/workspace/"),
        ("consultant@demo.local", "/workspace/assessments/{pk}/"),
        ("manager@demo.local", "/dashboard/{pk}/"),
        ("manager@demo.local", "/"),
        ("manager@demo.local", "/dashboard/999999/"),  # an error page
    ],
)
@pytest.mark.django_db
def test_no_page_of_a_logged_in_user_is_kept_by_a_cache(client, demo, who, path):
    client.force_login(User.objects.get(email=who))
    page = client.get(path.format(pk=demo.pk))
    assert "no-store" in page.get("Cache-Control", ""), (path, page.status_code)


@pytest.mark.django_db
def test_survey_pages_are_not_kept_and_public_ones_may_be(client, demo):
    from questionnaires.services import team_link_token

    link = demo.team_links.filter(revoked_at__isnull=True).first()
    entered = client.get(f"/s/{team_link_token(link)}/", follow=True)
    assert "no-store" in entered.get("Cache-Control", "")
    assert "no-store" in client.get("/survey/").get("Cache-Control", "")
    visitor = client.__class__()
    assert "no-store" not in visitor.get("/").get("Cache-Control", "")
