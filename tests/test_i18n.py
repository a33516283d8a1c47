"""Dutch is the default, English is complete, and the switch is on every page."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"


def _entries(po_path: Path):
    """(msgid, msgstr) pairs of a .po file, plural forms joined; the header skipped."""
    entries, current, key = [], {}, None
    for raw in [*po_path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current.get("msgid"):
                entries.append((current["msgid"], current.get("msgstr", ""), current))
            current, key = {}, None
            continue
        if line.startswith("#"):
            current.setdefault("flags", "")
            current["flags"] += line
            continue
        if line.startswith('"'):
            current[key] = current.get(key, "") + line[1:-1]
            continue
        key, _, value = line.partition(" ")
        key = "msgstr" if key.startswith("msgstr") else key
        current[key] = current.get(key, "") + value[1:-1]
    return entries


def test_dutch_catalog_is_complete_and_not_fuzzy():
    entries = _entries(LOCALE / "nl" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 50
    untranslated = [msgid for msgid, msgstr, _ in entries if not msgstr]
    fuzzy = [msgid for msgid, _, meta in entries if "fuzzy" in meta.get("flags", "")]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogs_are_committed_and_newer_than_sources():
    for language in ("nl", "en"):
        po = LOCALE / language / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        assert mo.exists(), f"{mo} missing: run make messages"
        assert mo.stat().st_size > 0


@pytest.mark.parametrize("name", ["home", "model-overview", "login"])
def test_language_switch_is_on_every_page(client, im_model, name):
    page = client.get(reverse(name))
    assert f'action="{reverse("set_language")}"' in page.text
    assert 'value="nl"' in page.text
    assert 'value="en"' in page.text


def test_switching_language_changes_the_page_and_sticks(client, im_model):
    assert "Zes niveaus" in client.get("/").text
    response = client.post(reverse("set_language"), {"language": "en", "next": "/model/"})
    assert response.status_code == 302
    assert response["Location"] == "/model/"
    page = client.get("/")
    assert "Six levels of maturity" in page.text
    assert '<html lang="en">' in page.text
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Zes niveaus" in client.get("/").text


def test_switch_refuses_an_offsite_next_url(client, im_model):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_browser_language_is_honoured_without_a_cookie(client, im_model):
    page = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert page["Content-Language"] == "en"
