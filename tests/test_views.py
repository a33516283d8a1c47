"""Public pages, login by e-mail, and the access table of every named URL."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# Every named URL of the app with what each principal gets on GET. A new URL
# pattern without a row here fails test_every_named_url_has_an_access_row.
# Respondent pages need a session bound by a link; without one they ask for the link.
EVERYONE = ("anonymous", "manager", "consultant")
ACCESS = {
    "home": (dict.fromkeys(EVERYONE, 200), ()),
    "model-overview": (dict.fromkeys(EVERYONE, 200), ()),
    "login": ({"anonymous": 200, "manager": 302, "consultant": 302}, ()),
    "logout": (dict.fromkeys(EVERYONE, 405), ()),
    "set_language": (dict.fromkeys(EVERYONE, 302), ()),
    "survey-enter": (dict.fromkeys(EVERYONE, 404), ("not-a-real-token",)),
    "survey-welcome": (dict.fromkeys(EVERYONE, 403), ()),
    "survey-page": (dict.fromkeys(EVERYONE, 403), (1,)),
    "survey-autosave": (dict.fromkeys(EVERYONE, 405), ()),
    "survey-review": (dict.fromkeys(EVERYONE, 403), ()),
    "survey-submit": (dict.fromkeys(EVERYONE, 405), ()),
    "survey-thanks": (dict.fromkeys(EVERYONE, 403), ()),
    "survey-next-person": (dict.fromkeys(EVERYONE, 405), ()),
    "password-set": (dict.fromkeys(EVERYONE, 200), ("MQ", "set-password")),
    "password-set-done": (dict.fromkeys(EVERYONE, 200), ()),
    "logo-file": (dict.fromkeys(EVERYONE, 404), ("0" * 64, "png")),  # no such logo
    "brand-css": (dict.fromkeys(EVERYONE, 404), ("stale",)),  # not the brand's stamp
    "brand-print-css": (dict.fromkeys(EVERYONE, 404), ("stale",)),
    "branding-edit": ({"anonymous": 302, "manager": 403, "consultant": 403}, ()),
}
# The workspace: anonymous users are sent to the login, managers are refused, and
# a consultant gets a 404 for anything not theirs (pk 999999 exists for nobody).
CONSULTANT_PAGE = {"anonymous": 302, "manager": 403, "consultant": 404}
POST_ONLY = dict.fromkeys(EVERYONE, 405)
NOBODY = 999999
NO_DOWNLOAD = "00000000-0000-0000-0000-000000000000"
ACCESS |= {
    "workspace": ({"anonymous": 302, "manager": 403, "consultant": 200}, ()),
    "organization-create": (POST_ONLY, ()),
    "organization-detail": (CONSULTANT_PAGE, (NOBODY,)),
    "organization-rename": (POST_ONLY, (NOBODY,)),
    "organization-logo": (POST_ONLY, (NOBODY,)),
    "team-create": (POST_ONLY, (NOBODY,)),
    "team-rename": (POST_ONLY, (NOBODY,)),
    "manager-invite": (POST_ONLY, (NOBODY,)),
    "manager-revoke": (POST_ONLY, (NOBODY,)),
    "manager-unlock": (POST_ONLY, (NOBODY,)),
    "assessment-create": (CONSULTANT_PAGE, (NOBODY,)),
    "assessment-detail": (CONSULTANT_PAGE, (NOBODY,)),
    "assessment-edit": (CONSULTANT_PAGE, (NOBODY,)),
    "assessment-notes": (CONSULTANT_PAGE, (NOBODY,)),
    "assessment-report": (CONSULTANT_PAGE, (NOBODY,)),
    "report-preview": (CONSULTANT_PAGE, (NOBODY,)),
    "assessment-transition": (POST_ONLY, (NOBODY, "close")),
    "assessment-clone": (POST_ONLY, (NOBODY,)),
    "link-create": (POST_ONLY, (NOBODY,)),
    "link-revoke": (POST_ONLY, (NOBODY,)),
    "invitations-upload": (CONSULTANT_PAGE, (NOBODY,)),
    "invitations-send": (POST_ONLY, (NOBODY,)),
    "reminders-send": (POST_ONLY, (NOBODY, "never_opened")),
    "assessment-export": (CONSULTANT_PAGE, (NOBODY, "csv")),
    "download-prepare": (POST_ONLY, (NOBODY, "csv")),
    "download-status": (CONSULTANT_PAGE, (NO_DOWNLOAD,)),
    "download-file": (CONSULTANT_PAGE, (NO_DOWNLOAD,)),
    "respondent-privacy": (CONSULTANT_PAGE, (NOBODY,)),
    "respondent-export": (CONSULTANT_PAGE, (NOBODY,)),
    "respondent-erase": (POST_ONLY, (NOBODY,)),
    "dashboard-list": ({"anonymous": 302, "manager": 200, "consultant": 200}, ()),
    "assessment-dashboard": ({"anonymous": 302, "manager": 404, "consultant": 404}, (NOBODY,)),
    "report-pdf": ({"anonymous": 302, "manager": 404, "consultant": 404}, (NOBODY,)),
    "report-deck": ({"anonymous": 302, "manager": 404, "consultant": 404}, (NOBODY,)),
    "report-issued": ({"anonymous": 302, "manager": 404, "consultant": 404}, (NOBODY, 1)),
    "report-issue": (POST_ONLY, (NOBODY,)),
    "plan-export": ({"anonymous": 302, "manager": 404, "consultant": 404}, (NOBODY, "csv")),
    "plan-adopt": (POST_ONLY, (NOBODY,)),
    "plan-entry-add": (POST_ONLY, (NOBODY,)),
    "plan-entry-change": (POST_ONLY, (NOBODY, "edit")),
    "action-status": (POST_ONLY, (NOBODY,)),
    "comments-release": (POST_ONLY, (NOBODY,)),
}


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's own admin, guarded by is_staff
            yield from _named_patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name


def test_every_named_url_has_an_access_row():
    assert set(_named_patterns()) == set(ACCESS)


@pytest.fixture
def principals(im_model):
    manager = MembershipFactory(role="manager").user
    consultant = MembershipFactory(role="consultant").user
    return {"anonymous": None, "manager": manager, "consultant": consultant}


@pytest.mark.parametrize("name", sorted(ACCESS))
@pytest.mark.parametrize("principal", ["anonymous", "manager", "consultant"])
def test_access_table(client, principals, name, principal):
    if principals[principal] is not None:
        client.force_login(principals[principal])
    expected, args = ACCESS[name]
    response = client.get(reverse(name, args=args))
    assert response.status_code == expected[principal]


def test_home_is_dutch_by_default_and_names_the_product(client, im_model):
    page = client.get("/")
    assert page["Content-Language"] == "nl"
    assert '<html lang="nl">' in page.text
    assert "IM Assess" in page.text
    assert "Gebruiken" in page.text  # level 1 from the model content


def test_model_overview_shows_all_dimensions_in_english(client, im_model):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("model-overview"))
    assert page["Content-Language"] == "en"
    for dimension in im_model.dimensions.all():
        assert dimension.name_en.replace("&", "&amp;") in page.text
    assert "IM 2.3 Integrated" in page.text


def test_model_overview_without_content_explains_how_to_load_it(client, db):
    from questionnaires.models import MaturityModel

    MaturityModel.objects.all().delete()
    page = client.get(reverse("model-overview"))
    assert page.status_code == 200
    assert "load_maturity_model" in page.text


def test_login_with_email_and_password(client, im_model):
    UserFactory(email="anna@klant.nl")
    response = client.post(
        reverse("login"), {"username": "anna@klant.nl", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"].email == "anna@klant.nl"


def test_wrong_password_shows_a_clear_message_and_keeps_the_email(client, im_model):
    UserFactory(email="anna@klant.nl")
    page = client.post(reverse("login"), {"username": "anna@klant.nl", "password": "wrong"})
    assert page.status_code == 200
    assert "anna@klant.nl" in page.text
    assert "wachtwoord" in page.text.lower()


def test_static_assets_come_from_our_own_server(client, im_model):
    page = client.get("/").text
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page
    # Random tokens (CSRF, CSP nonces) may spell "cdn" by chance: they are left out.
    words = re.sub(r'(value|nonce)="[^"]*"', "", page).lower()
    assert "cdn" not in words
    assert "https://" not in page
