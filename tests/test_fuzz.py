"""Hostile input on every form endpoint (issue 8, guarantee 6).

Hypothesis sends form posts made of known and unknown field names with values
that are too long, contain NUL bytes or other control characters, name choices of
other questions, are out of range or are not text at all; raw bodies that are
not UTF-8, not the declared content type, oversized or with 1,001 fields. The
server never answers 5xx, and a request it refuses (any 4xx, or a form shown
again with errors) leaves the database exactly as it was.
"""

import json

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from questionnaires import selectors
from questionnaires.access import RESPONSE_SESSION_KEY
from questionnaires.models import (
    ActionItem,
    Answer,
    Assessment,
    AuditEntry,
    Invitation,
    Membership,
    Organization,
    PlanEntry,
    Response,
    Team,
    TeamLink,
)
from questionnaires.views.respondent import PAGES_OPENED
from tests.worlds import build_world

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY_TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30).map(lambda t: t + "\x00"),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "<script>alert(1)</script>",
            "=cmd|' /C calc'!A0",
            "9" * 40,
            "-1",
            "0",
            "2147483648",
            "1e309",
            "NaN",
            "x" * 20_000,
            "dont_know",
            "not_applicable",
            "../../etc/passwd",
            "%00",
            "\ud7ff\ue000",
        ]
    ),
)
VALUES = st.one_of(NASTY_TEXT, st.lists(NASTY_TEXT, max_size=3))


def _snapshot(response=None):
    counts = tuple(
        model.objects.count()
        for model in (
            Answer,
            Response,
            Assessment,
            Organization,
            Team,
            Membership,
            Invitation,
            TeamLink,
            PlanEntry,
            ActionItem,
            AuditEntry,
        )
    )
    answers = tuple(
        Answer.objects.order_by("pk").values_list("choice_id", "special", "text", "comment")
    )
    if response is not None:
        response.refresh_from_db()
        return counts, answers, response.save_counter, response.submitted_at
    return counts, answers


def _checked(client, url, data=None, *, raw=None, content_type=None, response=None, ok=(302,)):
    """POST; never a server error, and a refusal changes nothing."""
    with transaction.atomic():
        before = _snapshot(response)
        if raw is not None:
            result = client.generic("POST", url, raw, content_type=content_type)
        else:
            result = client.post(url, data)
        assert result.status_code < 500, result.status_code
        if result.status_code not in ok:
            assert _snapshot(response) == before, (url, result.status_code)
        transaction.set_rollback(True)
    return result


@pytest.fixture
def world(im_model):
    return build_world(im_model, "A", "KANARIE-A")


@pytest.fixture
def respondent(client, world):
    session = client.session
    session[RESPONSE_SESSION_KEY] = world.in_progress.pk
    # Every page opened, so autosave's accepting path is fuzzed too.
    session[PAGES_OPENED] = {"response": world.in_progress.pk, "pages": list(range(1, 14))}
    session.save()
    return client


def _page_names(world, number):
    model = world.assessment.maturity_model
    page = selectors.survey_page(model, number, selectors.survey_outline(model))
    names = []
    for question in page.questions:
        names += [f"q-{question.code}", f"comment-{question.code}"]
    return names


def _form(names):
    keys = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=12))
    return st.dictionaries(keys, VALUES, max_size=12)


# --- Respondent endpoints ------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_questionnaire_page_posts(respondent, world, data):
    number = data.draw(st.integers(min_value=1, max_value=13))
    names = [*_page_names(world, number), "move"]
    form = data.draw(_form(names))
    url = reverse("survey-page", args=[number])
    _checked(respondent, url, form, response=world.in_progress)


@FUZZ
@given(form=_form(["team", "q-C1", "q-C2", "q-C3", "move"]))
def test_welcome_posts(respondent, world, form):
    _checked(respondent, reverse("survey-welcome"), form, response=world.in_progress)


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True),
        NASTY_TEXT,
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(NASTY_TEXT, inner)),
    max_leaves=6,
)


@FUZZ
@given(
    payload=st.one_of(
        st.fixed_dictionaries(
            {
                "question": st.one_of(st.sampled_from(["D1.1", "D1.2", "C1", "Q1"]), NASTY_TEXT),
                "value": st.one_of(
                    st.sampled_from(["level-1", "level-6", "level-7", "agree-3", "dont_know"]),
                    JSON_VALUES,
                ),
                "sequence": st.one_of(st.integers(min_value=-5, max_value=2**80), JSON_VALUES),
                "comment": JSON_VALUES,
            }
        ),
        JSON_VALUES,
    )
)
@example(payload={"question": "D1.1", "sequence": 2**70, "value": "level-2"})
@example(payload={"question": "D1.1", "sequence": 2**63, "value": "level-2"})
@example(payload={"question": "D1.1", "sequence": True, "value": "level-2"})
@example(payload={"question": "D1.1", "sequence": 1, "value": "level-2", "comment": "\x00"})
@example(payload={"question": "D1.2", "sequence": 2, "value": "agree-9"})
def test_autosave_json(respondent, world, payload):
    raw = json.dumps(payload, allow_nan=True)
    _checked(
        respondent,
        reverse("survey-autosave"),
        raw=raw,
        content_type="application/json",
        response=world.in_progress,
        ok=(200,),
    )


@FUZZ
@given(
    raw=st.binary(max_size=300),
    content_type=st.sampled_from(
        [
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "multipart/form-data",
            "text/plain",
            "application/xml",
            "",
        ]
    ),
    name=st.sampled_from(["survey-autosave", "survey-welcome", "survey-submit", "survey-page"]),
)
def test_raw_bodies_of_any_type_and_encoding(respondent, world, raw, content_type, name):
    url = reverse(name, args=[1]) if name == "survey-page" else reverse(name)
    accepted = (200,) if name == "survey-autosave" else (302,)
    _checked(
        respondent,
        url,
        raw=raw,
        content_type=content_type,
        response=world.in_progress,
        ok=accepted,
    )


@pytest.mark.parametrize("name", ["survey-page", "survey-welcome", "login"])
def test_oversized_body_and_too_many_fields_get_a_clear_400(respondent, world, name):
    url = reverse(name, args=[1]) if name == "survey-page" else reverse(name)
    huge = _checked(respondent, url, {"q-D1.1": "x" * 3_000_000}, response=world.in_progress)
    assert huge.status_code == 400
    assert "We konden dit verzoek niet verwerken" in huge.text
    assert "eerder opgeslagen antwoorden zijn er nog" in huge.text
    many = _checked(
        respondent, url, {f"field{n}": "1" for n in range(1001)}, response=world.in_progress
    )
    assert many.status_code == 400


def test_invalid_utf8_in_a_form_post_is_refused_or_ignored(respondent, world):
    url = reverse("survey-page", args=[1])
    raw = b"q-D1.1=%FF%FE&move=next&q-D1.2=\xff\xfe"
    result = _checked(
        respondent,
        url,
        raw=raw,
        content_type="application/x-www-form-urlencoded",
        response=world.in_progress,
    )
    assert result.status_code in {200, 400}


# --- Staff endpoints -------------------------------------------------------------------


def _staff_forms(world):
    a = world.assessment
    return {
        reverse("organization-create"): ["name"],
        reverse("organization-rename", args=[world.organization.pk]): ["name"],
        reverse("team-create", args=[world.organization.pk]): ["name"],
        reverse("team-rename", args=[world.teams[0].pk]): ["name"],
        reverse("manager-invite", args=[world.organization.pk]): [
            "email",
            "first_name",
            "language",
        ],
        reverse("assessment-create", args=[world.organization.pk]): [
            "title",
            "subject_nl",
            "subject_en",
            "opens_at",
            "closes_at",
            "anonymity_threshold",
            "comment_threshold",
            "languages",
            "target_phase",
            "claimed_phase",
        ],
        reverse("assessment-edit", args=[a.pk]): [
            "title",
            "opens_at",
            "closes_at",
            "anonymity_threshold",
            "languages",
        ],
        reverse("link-create", args=[a.pk]): ["team", "capacity"],
        reverse("invitations-upload", args=[a.pk]): ["text", "file", "confirm", "language"],
        reverse("plan-entry-add", args=[a.pk]): ["text", "dimension"],
        reverse("plan-entry-change", args=[world.plan_entry.pk, "edit"]): ["text"],
        reverse("action-status", args=[world.action.pk]): ["status", "title", "owner", "due"],
        reverse("respondent-privacy", args=[a.pk]): ["email"],
    }


@FUZZ
@given(data=st.data())
def test_staff_form_posts(client, world, data):
    client.force_login(world.consultant)
    forms = _staff_forms(world)
    url = data.draw(st.sampled_from(sorted(forms)))
    form = data.draw(_form(forms[url]))
    _checked(client, url, form, ok=(302,))


@FUZZ
@given(form=_form(["username", "password", "next"]))
def test_login_posts(client, world, form):
    result = _checked(client, reverse("login"), form, ok=(302,))
    assert result.status_code in {200, 400, 429}


def test_a_nul_byte_anywhere_is_refused_before_any_view(client, world):
    """Found by the fuzzer on PostgreSQL: a NUL in a raw form value was a server error."""
    client.force_login(world.consultant)
    add = reverse("plan-entry-add", args=[world.assessment.pk])
    refused = _checked(client, add, {"dimension": "\x00", "text": "Nieuwe stap"})
    assert refused.status_code == 400
    assert "We konden dit verzoek niet verwerken" in refused.text
    report = reverse("report-pdf", args=[world.assessment.pk])
    assert client.get(report, {"lang": "n\x00l"}).status_code == 400


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 100_000,  # the RecursionError that was a 500
        "[" * 50_000 + "]" * 50_000,
        '{"question": ' * 20_000,
        '{"question": "D1.1", "sequence": 1, "value": ' + "[" * 60_000 + "]" * 60_000 + "}",
        '{"question": "D1.1", "sequence": 1e999999, "value": "level-2"}',
        "\ufeff{}",
    ],
    ids=["open", "closed", "objects", "value", "huge-number", "bom"],
)
def test_a_malformed_or_deeply_nested_body_is_refused_and_writes_nothing(respondent, world, raw):
    result = _checked(
        respondent,
        reverse("survey-autosave"),
        raw=raw.encode(),
        content_type="application/json",
        response=world.in_progress,
        ok=(),
    )
    assert result.status_code == 400
