"""The installation's branding (administrators) and a client's own logo (its consultant)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from questionnaires import brand
from questionnaires.models import AuditEntry, Branding, Logo
from tests.factories import UserFactory, png_bytes

pytestmark = pytest.mark.django_db

HOSTILE = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script>'
FIELDS = {
    "name": "Koers & Co <b>Adviseurs</b>",
    "primary_colour": "#1d4e89",
    "accent_colour": "#d97706",
    "contact": "Oudegracht 120\nUtrecht",
    "sign_off_nl": "Met vriendelijke groet,\nKoers & Co",
    "sign_off_en": "Kind regards,\nKoers & Co",
}


@pytest.fixture
def administrator(client):
    user = UserFactory(email="beheer@example.nl", is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


def _logo(data=None, name="logo.png"):
    return SimpleUploadedFile(name, data or png_bytes(), content_type="image/png")


def test_an_administrator_sets_the_branding_and_every_page_carries_it(administrator):
    saved = administrator.post(reverse("branding-edit"), FIELDS | {"logo": _logo()}, follow=True,
                               HTTP_ACCEPT_LANGUAGE="nl")  # fmt: skip
    assert "Huisstijl opgeslagen." in saved.text
    row = Branding.objects.get()
    assert (row.name, row.primary_colour, row.accent_colour) == (
        "Koers & Co <b>Adviseurs</b>", "#1d4e89", "#d97706",
    )  # fmt: skip
    assert row.logo.content_type == "image/png"
    assert row.updated_by.email == "beheer@example.nl"
    home = administrator.get(reverse("home"))
    current = brand.current()
    assert reverse("brand-css", args=[current.stamp]) in home.text
    assert reverse("logo-file", args=[row.logo.digest, "png"]) in home.text
    assert "Koers &amp; Co &lt;b&gt;Adviseurs&lt;/b&gt;" in home.text  # escaped, never markup
    css = administrator.get(reverse("brand-css", args=[current.stamp]))
    assert css["Content-Type"].startswith("text/css")
    assert "--im-accent: #1d4e89;" in css.text
    assert "immutable" in css["Cache-Control"]


def test_a_colour_that_does_not_read_is_refused_with_a_shade_that_does(administrator):
    page = administrator.post(
        reverse("branding-edit"),
        FIELDS | {"primary_colour": "#7fd3e0", "logo": _logo()},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert page.status_code == 200
    assert "#7fd3e0 heeft een contrast van 1,7:1 met wit; om te lezen is 4,5:1 nodig" in page.text
    shade = brand.readable("#7fd3e0", brand.TEXT_CONTRAST)
    assert shade in page.text and brand.contrast(shade) >= 4.5
    assert "Oudegracht 120\nUtrecht</textarea>" in page.text  # what was entered stays
    assert not Branding.objects.exists()
    assert not Logo.objects.exists()


def test_a_hostile_logo_is_refused_and_nothing_is_stored(administrator):
    page = administrator.post(
        reverse("branding-edit"),
        FIELDS | {"logo": _logo(HOSTILE, "logo.svg")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "This SVG file cannot be read as a logo." in page.text
    assert not Logo.objects.exists()


def test_removing_the_logo_and_emptying_the_fields_brings_the_product_look_back(administrator):
    administrator.post(reverse("branding-edit"), FIELDS | {"logo": _logo()})
    empty = dict.fromkeys(FIELDS, "") | {"logo_remove": "on"}
    administrator.post(reverse("branding-edit"), empty)
    assert not brand.current().branded
    home = administrator.get(reverse("home"))
    assert "/brand/" not in home.text and "/logo/" not in home.text
    assert "IM Assess" in home.text


def test_consultants_and_managers_cannot_change_the_branding(logged_in):
    assert logged_in.get(reverse("branding-edit")).status_code == 403
    assert logged_in.post(reverse("branding-edit"), FIELDS).status_code == 403
    assert not Branding.objects.exists()


def test_the_consultant_gives_the_client_its_logo(logged_in, organization):
    url = reverse("organization-logo", args=[organization.pk])
    logged_in.post(url, {"logo": _logo()})
    organization.refresh_from_db()
    assert organization.logo.content_type == "image/png"
    entry = AuditEntry.objects.get(organization=organization, action="client logo changed")
    assert entry.detail == "image/png 40×20"
    page = logged_in.get(reverse("organization-detail", args=[organization.pk]))
    assert reverse("logo-file", args=[organization.logo.digest, "png"]) in page.text
    logged_in.post(url, {"logo_remove": "on"})
    organization.refresh_from_db()
    assert organization.logo is None


def test_a_refused_client_logo_says_why(logged_in, organization):
    url = reverse("organization-logo", args=[organization.pk])
    page = logged_in.post(url, {"logo": _logo(b"GIF89a....")}, follow=True,
                          HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert "Upload the logo as a PNG, JPEG or SVG file." in page.text
    nothing = logged_in.post(url, {}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Choose a file, or tick the box to remove the logo." in nothing.text
    organization.refresh_from_db()
    assert organization.logo is None


def test_a_stored_logo_is_served_as_stored_and_runs_nothing(client, organization):
    from questionnaires.services import logo_store

    logo = logo_store(data=b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4">'
                           b'<rect width="4" height="4" fill="#1d4e89"/></svg>')  # fmt: skip
    served = client.get(reverse("logo-file", args=[logo.digest, "svg"]))
    assert served["Content-Type"] == "image/svg+xml"
    assert served.content == bytes(logo.data)
    assert "sandbox" in served["Content-Security-Policy"]
    assert "default-src 'none'" in served["Content-Security-Policy"]
    assert "immutable" in served["Cache-Control"]
    assert client.get(reverse("logo-file", args=[logo.digest, "png"])).status_code == 404
    assert client.get(reverse("logo-file", args=["0" * 64, "svg"])).status_code == 404
    assert client.get(reverse("brand-css", args=["stale"])).status_code == 404


def test_a_change_shows_on_other_workers_within_the_cache_time(administrator, monkeypatch):
    import time

    from django.core.cache import cache

    administrator.post(reverse("branding-edit"), FIELDS | {"logo": _logo()})
    # Another worker read the branding before the change: it keeps it CACHE_SECONDS.
    cache.set(brand.CACHE_KEY, brand.Brand(name="old"), brand.CACHE_SECONDS)
    assert brand.current().name == "old"
    later = time.time() + brand.CACHE_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert brand.current().name == FIELDS["name"]
