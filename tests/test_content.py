"""The IM maturity model 2026.1 as shipped in fixtures/ is complete in both languages."""

from collections import Counter
from decimal import Decimal

import pytest

from questionnaires.content import likert_score, validate_content
from questionnaires.models import Advice, LevelDescriptor, Question

pytestmark = pytest.mark.django_db

PHASE_ORDER = ["PM", "IM-2.1", "IM-2.2", "IM-2.3", "IM-2.4", "MoC"]


def test_fixture_validates_without_defects(model_data):
    assert validate_content(model_data) == []


def test_model_has_twelve_dimensions_six_levels_six_phases(im_model):
    assert im_model.is_published
    assert im_model.version == "2026.1"
    assert im_model.dimensions.count() == 12
    assert [level.number for level in im_model.levels.order_by("number")] == [1, 2, 3, 4, 5, 6]
    assert [phase.code for phase in im_model.phases.order_by("order")] == PHASE_ORDER


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_dimension_has_six_descriptors_and_advice_in_language(im_model, language):
    for dimension in im_model.dimensions.all():
        descriptors = LevelDescriptor.objects.filter(dimension=dimension).order_by("level")
        assert [d.level for d in descriptors] == [1, 2, 3, 4, 5, 6], dimension.code
        assert all(getattr(d, f"text_{language}").strip() for d in descriptors), dimension.code
        assert all(getattr(d, f"evidence_{language}").strip() for d in descriptors)
        advice = Advice.objects.filter(dimension=dimension).order_by("from_level")
        assert [a.from_level for a in advice] == [1, 2, 3, 4, 5, 6], dimension.code
        assert all(getattr(a, f"text_{language}").strip() for a in advice), dimension.code
        assert getattr(dimension, f"definition_{language}").strip()
        assert getattr(dimension, f"short_name_{language}").strip()


def test_dutch_and_english_texts_differ(im_model):
    # A copied text in the wrong column would pass a "not empty" check.
    for descriptor in LevelDescriptor.objects.filter(dimension__model=im_model):
        assert descriptor.text_nl != descriptor.text_en
    for question in im_model.questions.all():
        assert question.text_nl != question.text_en, question.code


def test_each_dimension_has_one_level_item_and_two_to_four_likert_items(im_model):
    for dimension in im_model.dimensions.all():
        kinds = Counter(q.kind for q in dimension.questions.all())
        assert kinds[Question.Kind.LEVEL] == 1, dimension.code
        assert 2 <= kinds[Question.Kind.LIKERT] <= 4, dimension.code


def test_at_least_48_scored_items_and_four_per_phase(im_model):
    scored = im_model.questions.filter(kind__in=["level", "likert"])
    assert scored.count() >= 48
    per_phase = Counter(q.phase.code for q in scored.select_related("phase"))
    assert set(per_phase) == set(PHASE_ORDER)
    assert min(per_phase.values()) >= 4


def test_level_items_offer_the_dimension_ladder_scored_one_to_six(im_model):
    for question in im_model.questions.filter(kind="level").select_related("dimension"):
        choices = list(question.choices.order_by("order"))
        assert [c.score for c in choices] == [Decimal(n) for n in range(1, 7)]
        ladder = question.dimension.descriptors.order_by("level")
        assert [c.label_nl for c in choices] == [d.text_nl for d in ladder]
        assert [c.label_en for c in choices] == [d.text_en for d in ladder]


def test_likert_items_have_five_points_on_the_maturity_scale(im_model):
    for question in im_model.questions.filter(kind="likert"):
        scores = [c.score for c in question.choices.order_by("order")]
        assert scores == [Decimal("1"), Decimal("2.25"), Decimal("3.5"), Decimal("4.75"), 6]


def test_likert_score_maps_agreement_onto_levels():
    assert [likert_score(x) for x in range(1, 6)] == [1, Decimal("2.25"), Decimal("3.5"), 4.75, 6]


def test_reverse_keyed_items_exist_and_are_likert_only(im_model):
    reverse = im_model.questions.filter(reverse_keyed=True)
    assert reverse.count() >= 6
    assert set(reverse.values_list("kind", flat=True)) == {"likert"}


def test_not_applicable_only_for_chain_integration_and_vendor_management(im_model):
    allowed = im_model.questions.filter(allow_not_applicable=True)
    assert sorted(q.dimension.code for q in allowed) == ["D11", "D9"]


def test_context_questions_ask_role_experience_and_perceived_phase(im_model):
    context = {q.code: q for q in im_model.questions.filter(kind="context")}
    assert set(context) == {"C1", "C2", "C3"}
    roles = set(context["C1"].choices.values_list("code", flat=True))
    assert {"end_user", "key_user", "manager", "functional_management"} <= roles
    phases = list(context["C3"].choices.order_by("order").values_list("code", flat=True))
    assert phases == [*PHASE_ORDER, "dont_know"]


def test_expected_levels_are_default_targets_per_im_phase(im_model):
    for dimension in im_model.dimensions.all():
        expected = dimension.expected_levels
        assert list(expected) == ["IM-2.1", "IM-2.2", "IM-2.3", "IM-2.4"], dimension.code
        levels = list(expected.values())
        assert levels == sorted(levels), dimension.code  # never lower in a later phase
        assert max(levels) <= 4  # levels 5–6 are ambition, never default targets


def test_questions_only_use_the_system_placeholder(im_model):
    for question in im_model.questions.all():
        for text in (question.text_nl, question.text_en):
            assert "[" not in text, question.code
            assert text.replace("{system}", "").replace("{System}", "").count("{") == 0
