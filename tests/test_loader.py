"""load_maturity_model refuses broken fixtures by name and never half-loads."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from questionnaires.content import maturity_model_load
from questionnaires.models import Choice, Dimension, MaturityModel, Question
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def _as_new_version(data, version="2099.1"):
    data["version"] = version
    return data


def _refused(data) -> str:
    before = (MaturityModel.objects.count(), Dimension.objects.count(), Choice.objects.count())
    with pytest.raises(ValidationError) as exc:
        maturity_model_load(data=data)
    after = (MaturityModel.objects.count(), Dimension.objects.count(), Choice.objects.count())
    assert after == before, "a refused fixture must leave nothing behind"
    return "\n".join(exc.value.messages)


def _dimension(data, code):
    return next(d for d in data["dimensions"] if d["code"] == code)


def _question(data, code):
    return next(q for q in data["questions"] if q["code"] == code)


def test_missing_translation_is_refused_by_item(im_model, fixture_data):
    _dimension(fixture_data, "D5")["descriptors"][3]["text"]["en"] = " "
    message = _refused(_as_new_version(fixture_data))
    assert "dimensions[D5].descriptors[4].text.en: translation missing" in message


def test_missing_question_translation_is_refused(im_model, fixture_data):
    del _question(fixture_data, "D7.3")["text"]["nl"]
    assert "questions[D7.3].text.nl: translation missing" in _refused(_as_new_version(fixture_data))


def test_dimension_without_six_descriptors_is_refused(im_model, fixture_data):
    _dimension(fixture_data, "D3")["descriptors"].pop()
    message = _refused(_as_new_version(fixture_data))
    assert "dimensions[D3].descriptors: needs exactly one entry for each level 1–6" in message


def test_descriptor_level_outside_scale_is_refused(im_model, fixture_data):
    _dimension(fixture_data, "D2")["descriptors"][5]["level"] = 7
    message = _refused(_as_new_version(fixture_data))
    assert "dimensions[D2].descriptors: level 7 is outside 1–6" in message


def test_missing_advice_is_refused(im_model, fixture_data):
    _dimension(fixture_data, "D12")["advice"] = _dimension(fixture_data, "D12")["advice"][:5]
    assert "dimensions[D12].advice: needs exactly one entry" in _refused(
        _as_new_version(fixture_data)
    )


def test_choice_outside_one_to_six_is_refused(im_model, fixture_data):
    question = _question(fixture_data, "D1.1")
    question["choices"] = [
        {"code": f"c{n}", "label": {"nl": f"optie {n}", "en": f"option {n}"}, "score": n}
        for n in range(1, 8)
    ]
    message = _refused(_as_new_version(fixture_data))
    assert "questions[D1.1].choices[c7].score: score 7 is outside 1–6" in message


def test_unknown_phase_is_refused(im_model, fixture_data):
    _question(fixture_data, "D8.2")["phase"] = "IM-2.9"
    assert "questions[D8.2].phase: unknown phase 'IM-2.9'" in _refused(
        _as_new_version(fixture_data)
    )


def test_unknown_placeholder_is_refused(im_model, fixture_data):
    _question(fixture_data, "D6.4")["text"]["en"] = "Tips about {systen} are shared."
    assert "questions[D6.4].text.en: unknown placeholder {systen}" in _refused(
        _as_new_version(fixture_data)
    )


def test_reverse_keyed_level_item_is_refused(im_model, fixture_data):
    _question(fixture_data, "D4.1")["reverse_keyed"] = True
    assert "questions[D4.1].reverse_keyed" in _refused(_as_new_version(fixture_data))


def test_dimension_without_level_item_is_refused(im_model, fixture_data):
    fixture_data["questions"] = [q for q in fixture_data["questions"] if q["code"] != "D9.1"]
    assert "dimensions[D9]: needs exactly one level item (found 0)" in _refused(
        _as_new_version(fixture_data)
    )


def test_duplicate_question_code_is_refused(im_model, fixture_data):
    _question(fixture_data, "D2.3")["code"] = "D2.2"
    assert "questions: question codes must be unique" in _refused(_as_new_version(fixture_data))


def test_every_defect_is_reported_at_once(im_model, fixture_data):
    _dimension(fixture_data, "D1")["definition"]["nl"] = ""
    _question(fixture_data, "D10.2")["dimension"] = "D99"
    message = _refused(_as_new_version(fixture_data))
    assert "dimensions[D1].definition.nl" in message
    assert "questions[D10.2].dimension: unknown dimension 'D99'" in message


def test_loading_twice_changes_nothing(im_model, model_data):
    question_ids = set(Question.objects.filter(model=im_model).values_list("pk", flat=True))
    result = maturity_model_load(data=model_data)
    assert result.action == "unchanged"
    assert result.model.pk == im_model.pk
    assert set(Question.objects.filter(model=im_model).values_list("pk", flat=True)) == (
        question_ids
    )


def test_unused_version_is_upgraded_in_place(im_model, fixture_data):
    _as_new_version(fixture_data, "2099.2")
    first = maturity_model_load(data=fixture_data).model
    _question(fixture_data, "D1.2")["text"]["en"] = "I can do all my daily work in {system}."
    result = maturity_model_load(data=fixture_data)
    assert result.action == "updated"
    assert result.model.pk == first.pk
    assert Question.objects.get(model=first, code="D1.2").text_en.startswith("I can do all")


def test_published_version_in_use_cannot_change(im_model, fixture_data):
    AssessmentFactory(maturity_model=im_model)
    assert im_model.is_locked
    _question(fixture_data, "D1.2")["text"]["en"] = "Changed after the first answers."
    message = _refused(fixture_data)
    assert "can no longer change" in message
    assert "new version" in message
    assert Question.objects.get(model=im_model, code="D1.2").text_en != (
        "Changed after the first answers."
    )


def test_published_version_in_use_may_be_reloaded_unchanged(im_model, model_data):
    AssessmentFactory(maturity_model=im_model)
    assert maturity_model_load(data=model_data).action == "unchanged"


def test_command_names_the_broken_item(im_model, fixture_data, tmp_path):
    _dimension(fixture_data, "D6")["advice"][0]["text"]["nl"] = ""
    path = tmp_path / "im-maturity-broken.json"
    path.write_text(json.dumps(_as_new_version(fixture_data)), encoding="utf-8")
    with pytest.raises(CommandError, match=r"dimensions\[D6\]\.advice\[1\]\.text\.nl"):
        call_command("load_maturity_model", str(path))
    assert not MaturityModel.objects.filter(version="2099.1").exists()


def test_command_refuses_invalid_json(im_model, tmp_path):
    path = tmp_path / "im-maturity-bad.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("load_maturity_model", str(path))


def test_command_check_only_writes_nothing(im_model, fixture_data, tmp_path):
    path = tmp_path / "im-maturity-new.json"
    path.write_text(json.dumps(_as_new_version(fixture_data)), encoding="utf-8")
    call_command("load_maturity_model", str(path), "--check")
    assert not MaturityModel.objects.filter(version="2099.1").exists()
