"""Every named URL × nine principals × GET and POST (issue 8, guarantee 1).

Two client organisations, A and B, each with its own canary string in every free
text. Every URL is requested with A's objects in its arguments. Whoever does not
belong to A gets the login page (not logged in), 403 (wrong role, revealing
nothing about the object) or 404 (another organisation: as if it did not exist),
and B's canary never appears in anything served while A's people work.

A new URL pattern without a row in ``ROUTES`` fails the first test.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from questionnaires import brand
from questionnaires.access import RESPONSE_SESSION_KEY
from tests.factories import UserFactory
from tests.test_views import _named_patterns
from tests.worlds import build_world

pytestmark = pytest.mark.django_db

PRINCIPALS = (
    "anonymous",
    "respondent_a",
    "respondent_b",
    "respondent_done",
    "manager_a",
    "manager_b",
    "consultant_a",
    "consultant_other",
    "superuser",
)
RESPONDENTS = {"respondent_a", "respondent_b", "respondent_done"}
NOT_LOGGED_IN = RESPONDENTS | {"anonymous"}
OUTSIDERS = {"manager_b", "consultant_other"}  # logged in, but not A's
A_STAFF = {"consultant_a", "superuser"}

# name: (kind, methods, args from world A)
#   public      anyone
#   token       the survey link itself
#   respondent  token-free questionnaire pages, bound to the session
#   workspace   consultants only; managers get 403
#   viewer      managers and consultants of the organisation
#   plan        the organisation's consultant changes the plan; its managers get 404
#   action      managers and consultants of the organisation
#   login-only  anyone logged in (lists that are filtered to the user's own)
#   administrator  the installation's settings: administrators only, others get 403
ROUTES = {
    "home": ("public", {"GET"}, lambda w: ()),
    "logo-file": ("public", {"GET"}, lambda w: (w.organization.logo.digest, "png")),
    "brand-css": ("public", {"GET"}, lambda w: (brand.current().stamp,)),
    "branding-edit": ("administrator", {"GET", "POST"}, lambda w: ()),
    "organization-logo": ("workspace", {"POST"}, lambda w: (w.organization.pk,)),
    "model-overview": ("public", {"GET"}, lambda w: ()),
    "login": ("public", {"GET", "POST"}, lambda w: ()),
    "logout": ("public", {"POST"}, lambda w: ()),
    "set_language": ("public", {"GET", "POST"}, lambda w: ()),
    "password-set": ("public", {"GET", "POST"}, lambda w: ("MQ", "set-password")),
    "password-set-done": ("public", {"GET"}, lambda w: ()),
    "survey-enter": ("token", {"GET"}, lambda w: (w.tokens["invitation"],)),
    "survey-welcome": ("respondent", {"GET", "POST"}, lambda w: ()),
    "survey-page": ("respondent", {"GET", "POST"}, lambda w: (1,)),
    "survey-autosave": ("respondent", {"POST"}, lambda w: ()),
    "survey-review": ("respondent", {"GET"}, lambda w: ()),
    "survey-submit": ("respondent", {"POST"}, lambda w: ()),
    "survey-thanks": ("respondent", {"GET"}, lambda w: ()),
    "survey-next-person": ("respondent", {"POST"}, lambda w: ()),
    "workspace": ("workspace-home", {"GET"}, lambda w: ()),
    "organization-create": ("workspace-home", {"POST"}, lambda w: ()),
    "organization-detail": ("workspace", {"GET"}, lambda w: (w.organization.pk,)),
    "organization-rename": ("workspace", {"POST"}, lambda w: (w.organization.pk,)),
    "team-create": ("workspace", {"POST"}, lambda w: (w.organization.pk,)),
    "team-rename": ("workspace", {"POST"}, lambda w: (w.teams[0].pk,)),
    "manager-invite": ("workspace", {"POST"}, lambda w: (w.organization.pk,)),
    "manager-revoke": ("workspace", {"POST"}, lambda w: (w.manager_membership.pk,)),
    "manager-unlock": ("workspace", {"POST"}, lambda w: (w.manager_membership.pk,)),
    "assessment-create": ("workspace", {"GET", "POST"}, lambda w: (w.organization.pk,)),
    "assessment-detail": ("workspace", {"GET"}, lambda w: (w.assessment.pk,)),
    "assessment-edit": ("workspace", {"GET", "POST"}, lambda w: (w.assessment.pk,)),
    "assessment-notes": ("workspace", {"GET", "POST"}, lambda w: (w.assessment.pk,)),
    "brand-print-css": ("public", {"GET"}, lambda w: (brand.current().stamp,)),
    "report-preview": ("workspace", {"GET"}, lambda w: (w.assessment.pk,)),
    "assessment-report": ("workspace", {"GET", "POST"}, lambda w: (w.assessment.pk,)),
    "assessment-transition": ("workspace", {"POST"}, lambda w: (w.assessment.pk, "close")),
    "assessment-clone": ("workspace", {"POST"}, lambda w: (w.assessment.pk,)),
    "link-create": ("workspace", {"POST"}, lambda w: (w.assessment.pk,)),
    "link-revoke": ("workspace", {"POST"}, lambda w: (w.team_link.pk,)),
    "invitations-upload": ("workspace", {"GET", "POST"}, lambda w: (w.assessment.pk,)),
    "invitations-send": ("workspace", {"POST"}, lambda w: (w.assessment.pk,)),
    "reminders-send": ("workspace", {"POST"}, lambda w: (w.assessment.pk, "never_opened")),
    "assessment-export": ("workspace", {"GET"}, lambda w: (w.assessment.pk, "csv")),
    "download-prepare": ("workspace", {"POST"}, lambda w: (w.assessment.pk, "csv")),
    "download-status": ("workspace", {"GET"}, lambda w: (w.download.pk,)),
    "download-file": ("workspace", {"GET"}, lambda w: (w.download.pk,)),
    "respondent-privacy": ("workspace", {"GET", "POST"}, lambda w: (w.assessment.pk,)),
    "respondent-export": ("workspace", {"GET"}, lambda w: (w.invitation.pk,)),
    "respondent-erase": ("workspace", {"POST"}, lambda w: (w.invitation.pk,)),
    "dashboard-list": ("login-only", {"GET"}, lambda w: ()),
    "assessment-dashboard": ("viewer", {"GET"}, lambda w: (w.assessment.pk,)),
    "report-pdf": ("viewer", {"GET"}, lambda w: (w.assessment.pk,)),
    "report-deck": ("viewer", {"GET"}, lambda w: (w.assessment.pk,)),
    "report-issued": ("viewer", {"GET"}, lambda w: (w.assessment.pk, w.issued.version)),
    "report-issue": ("workspace", {"POST"}, lambda w: (w.assessment.pk,)),
    "plan-export": ("viewer", {"GET"}, lambda w: (w.assessment.pk, "csv")),
    "plan-adopt": ("plan", {"POST"}, lambda w: (w.assessment.pk,)),
    "plan-entry-add": ("plan", {"POST"}, lambda w: (w.assessment.pk,)),
    "plan-entry-change": ("plan", {"POST"}, lambda w: (w.plan_entry.pk, "edit")),
    "action-status": ("action", {"POST"}, lambda w: (w.action.pk,)),
    "comments-release": ("plan", {"POST"}, lambda w: (w.assessment.pk,)),
}
# These change the session itself (log out, bind another response): requested last.
SESSION_CHANGING = ("survey-enter", "set_language", "login", "logout")
ALLOWED = {200, 302, 400}  # 400: an empty or partial form, refused with a message


def expected(kind: str, principal: str) -> set[int]:
    """The statuses this principal may get for A's object behind a URL of this kind."""
    if kind == "public":
        return ALLOWED
    if kind == "token":
        return {302}  # the link binds a session, whoever opens it
    if kind == "respondent":
        # Without a bound response the pages ask for the link again (403); a submitted
        # respondent is sent to the thank-you page or told the answers are final.
        # Autosave takes JSON only: the matrix's empty form post gets 415.
        return {403} if principal not in RESPONDENTS else ALLOWED | {409, 415}
    if principal in NOT_LOGGED_IN:
        return {302}  # to the login page
    if kind == "login-only":
        return {200}
    if kind == "administrator":
        return ALLOWED if principal == "superuser" else {403}
    if kind in {"workspace", "workspace-home"}:
        if principal in {"manager_a", "manager_b"}:
            return {403}  # a role refusal, the same whatever the object
        if principal == "consultant_other":
            return {200, 302, 400} if kind == "workspace-home" else {404}
        return ALLOWED
    if principal in OUTSIDERS:
        return {404}
    if kind == "plan" and principal == "manager_a":
        return {404}  # only the consultant edits the plan; managers see it read-only
    return ALLOWED


@pytest.fixture
def worlds(im_model):
    return build_world(im_model, "A", "KANARIE-A-7f3c"), build_world(
        im_model, "B", "KANARIE-B-91d2"
    )


def _client_for(client, principal, a, b):
    users = {
        "manager_a": a.manager,
        "manager_b": b.manager,
        "consultant_a": a.consultant,
        "consultant_other": b.consultant,
    }
    if principal == "superuser":
        users["superuser"] = UserFactory(email="root@example.nl", is_superuser=True, is_staff=True)
    if principal in users:
        client.force_login(users[principal])
    bound = {"respondent_a": a.in_progress, "respondent_b": b.in_progress}
    bound["respondent_done"] = a.submitted
    if principal in bound:
        session = client.session
        session[RESPONSE_SESSION_KEY] = bound[principal].pk
        session.save()
    return client


def test_every_named_url_has_a_route_row():
    assert set(_named_patterns()) == set(ROUTES)


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_access_matrix(client, worlds, principal, method):
    a, b = worlds
    client = _client_for(client, principal, a, b)
    wrong = []
    order = sorted(ROUTES, key=lambda name: (name in SESSION_CHANGING, name))
    for name in order:
        kind, methods, args = ROUTES[name]
        url = reverse(name, args=args(a))
        # Every request is rolled back: one principal's action never changes the next row.
        with transaction.atomic():
            response = client.get(url) if method == "GET" else client.post(url, {})
            transaction.set_rollback(True)
        status = response.status_code
        allowed = expected(kind, principal) if method in methods else {405}
        if status not in allowed:
            wrong.append(f"{method} {name} → {status}, expected {sorted(allowed)}")
        body = b"".join(response) if response.streaming else response.content
        if principal not in {"respondent_b", "manager_b", "consultant_other", "superuser"}:
            assert b.canary.encode() not in body, f"{method} {name} shows B's canary"
        if status in {302, 403, 404, 405}:
            assert a.canary.encode() not in body, f"{method} {name} {status} leaks A's text"
    assert not wrong, "\n".join(wrong)


def _everything_served(body: bytes, content_type: str) -> str:
    """All text inside a response: XLSX and PPTX parts unzipped, PDF text extracted."""
    import io
    import zipfile

    from pypdf import PdfReader

    if content_type.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if "spreadsheetml" in content_type or "presentationml" in content_type:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            # Every XML part; a deck's images are the charts, checked as SVG elsewhere.
            parts = [n for n in archive.namelist() if n.endswith((".xml", ".rels"))]
            return "\n".join(archive.read(name).decode() for name in parts)
    return body.decode()  # the charts are inline SVG: their texts are in the page


@pytest.mark.parametrize("principal", ["manager_a", "consultant_a"])
def test_no_output_served_to_a_shows_anything_of_b(client, worlds, principal):
    a, b = worlds
    client = _client_for(client, principal, a, b)
    urls = [
        reverse("dashboard-list"),
        reverse("assessment-dashboard", args=[a.assessment.pk]),
        reverse("report-pdf", args=[a.assessment.pk]) + "?lang=nl",
        reverse("report-deck", args=[a.assessment.pk]) + "?lang=en",
        reverse("plan-export", args=[a.assessment.pk, "csv"]),
        reverse("plan-export", args=[a.assessment.pk, "xlsx"]),
    ]
    if principal == "consultant_a":
        urls += [reverse("workspace"), reverse("organization-detail", args=[a.organization.pk])]
        urls += [reverse("assessment-detail", args=[a.assessment.pk])]
        urls += [reverse("respondent-privacy", args=[a.assessment.pk])]
        urls += [reverse("respondent-export", args=[a.invitation.pk])]
        urls += [
            reverse("assessment-export", args=[a.assessment.pk, fmt])
            for fmt in ("csv", "xlsx", "json")
        ]
    seen_own = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response) if response.streaming else response.content
        text = _everything_served(body, response["Content-Type"])
        assert b.canary not in text, url
        seen_own += a.canary in text
    # A's own canary shows in A's outputs: the check can see free text where it is.
    assert seen_own == len(urls)
