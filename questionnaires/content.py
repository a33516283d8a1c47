"""Loading the maturity model content from its fixture, validated as a whole.

A fixture (see ``fixtures/im-maturity-2026.1.json``) is one JSON document with
the levels, phases, dimensions (with descriptors and advice) and questions of
one model version. It is checked completely before anything is written; a
defect is reported with the exact item, and nothing is half-loaded.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import (
    CONTENT_LANGUAGES,
    Advice,
    Choice,
    Dimension,
    Level,
    LevelDescriptor,
    MaturityModel,
    Phase,
    Question,
)

LIKERT_POINTS = 5
PLACEHOLDERS = {"system", "System"}
QUESTION_KINDS = {choice.value for choice in Question.Kind}
SCORED_KINDS = {Question.Kind.LEVEL.value, Question.Kind.LIKERT.value}
MIN_LIKERT_PER_DIMENSION = 2
MAX_LIKERT_PER_DIMENSION = 4


def likert_score(point: int) -> Decimal:
    """Map agreement 1–5 onto the 1–6 maturity scale: 1 + 1.25·(x − 1)."""
    return Decimal(1) + Decimal("1.25") * (point - 1)


def content_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class _Checker:
    """Collects every defect of a fixture, each named by its path."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def text(self, where: str, value: Any) -> None:
        if not isinstance(value, dict):
            self.error(where, "must give the text in Dutch (nl) and English (en)")
            return
        for language in CONTENT_LANGUAGES:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                self.error(f"{where}.{language}", "translation missing")
                continue
            for name in re.findall(r"\{([^{}]*)\}", text):
                if name not in PLACEHOLDERS:
                    self.error(f"{where}.{language}", f"unknown placeholder {{{name}}}")

    def level_set(self, where: str, items: Any, key: str) -> None:
        numbers = [item.get(key) for item in items] if isinstance(items, list) else []
        for number in numbers:
            if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 6:
                self.error(where, f"level {number!r} is outside 1–6")
        if sorted(n for n in numbers if isinstance(n, int)) != list(range(1, 7)):
            found = ", ".join(str(n) for n in numbers) or "none"
            self.error(where, f"needs exactly one entry for each level 1–6 (found {found})")


def validate_content(data: Any) -> list[str]:
    """Return every defect in a model fixture; an empty list means it may be loaded."""
    check = _Checker()
    if not isinstance(data, dict):
        return ["fixture: must be a JSON object"]
    for key in ("code", "version"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            check.error(key, "missing")
    check.text("name", data.get("name"))
    check.text("description", data.get("description"))

    labels = data.get("likert_labels") or {}
    for language in CONTENT_LANGUAGES:
        values = labels.get(language) if isinstance(labels, dict) else None
        if not isinstance(values, list) or len(values) != LIKERT_POINTS:
            check.error(f"likert_labels.{language}", f"needs {LIKERT_POINTS} labels")
        elif not all(isinstance(v, str) and v.strip() for v in values):
            check.error(f"likert_labels.{language}", "translation missing")

    levels = data.get("levels") or []
    check.level_set("levels", levels, "number")
    for level in levels:
        where = f"levels[{level.get('number')}]"
        for field in ("name", "tagline", "description"):
            check.text(f"{where}.{field}", level.get(field))

    phases = data.get("phases") or []
    phase_codes = [phase.get("code") for phase in phases]
    if not phases:
        check.error("phases", "at least one phase is needed")
    if len(set(phase_codes)) != len(phase_codes):
        check.error("phases", "phase codes must be unique")
    for phase in phases:
        where = f"phases[{phase.get('code')}]"
        check.text(f"{where}.name", phase.get("name"))
        check.text(f"{where}.description", phase.get("description"))

    dimensions = data.get("dimensions") or []
    dimension_codes = [dimension.get("code") for dimension in dimensions]
    if not dimensions:
        check.error("dimensions", "at least one dimension is needed")
    if len(set(dimension_codes)) != len(dimension_codes):
        check.error("dimensions", "dimension codes must be unique")
    for dimension in dimensions:
        _validate_dimension(check, dimension, set(phase_codes))

    _validate_questions(check, data.get("questions") or [], set(dimension_codes), set(phase_codes))
    return check.errors


def _validate_dimension(check: _Checker, dimension: dict, phase_codes: set[str]) -> None:
    where = f"dimensions[{dimension.get('code')}]"
    for field in ("name", "short_name", "definition"):
        check.text(f"{where}.{field}", dimension.get(field))
    if dimension.get("main_phase") not in phase_codes:
        check.error(f"{where}.main_phase", f"unknown phase {dimension.get('main_phase')!r}")
    expected = dimension.get("expected_levels") or {}
    for phase, level in expected.items():
        if phase not in phase_codes:
            check.error(f"{where}.expected_levels", f"unknown phase {phase!r}")
        if not isinstance(level, int) or not 1 <= level <= 6:
            check.error(f"{where}.expected_levels[{phase}]", f"level {level!r} is outside 1–6")
    descriptors = dimension.get("descriptors") or []
    check.level_set(f"{where}.descriptors", descriptors, "level")
    for descriptor in descriptors:
        item = f"{where}.descriptors[{descriptor.get('level')}]"
        check.text(f"{item}.text", descriptor.get("text"))
        check.text(f"{item}.evidence", descriptor.get("evidence"))
    advice = dimension.get("advice") or []
    check.level_set(f"{where}.advice", advice, "from_level")
    for entry in advice:
        check.text(f"{where}.advice[{entry.get('from_level')}].text", entry.get("text"))


def _validate_questions(
    check: _Checker, questions: list, dimension_codes: set[str], phase_codes: set[str]
) -> None:
    codes = [question.get("code") for question in questions]
    if len(set(codes)) != len(codes):
        check.error("questions", "question codes must be unique")
    level_items: dict[str, int] = dict.fromkeys(dimension_codes, 0)
    likert_items: dict[str, int] = dict.fromkeys(dimension_codes, 0)
    for question in questions:
        where = f"questions[{question.get('code')}]"
        kind = question.get("kind")
        if kind not in QUESTION_KINDS:
            check.error(f"{where}.kind", f"unknown kind {kind!r}")
            continue
        check.text(f"{where}.text", question.get("text"))
        if "help" in question:
            check.text(f"{where}.help", question["help"])
        if kind in SCORED_KINDS:
            dimension = question.get("dimension")
            if dimension not in dimension_codes:
                check.error(f"{where}.dimension", f"unknown dimension {dimension!r}")
            else:
                (level_items if kind == "level" else likert_items)[dimension] += 1
            if question.get("phase") not in phase_codes:
                check.error(f"{where}.phase", f"unknown phase {question.get('phase')!r}")
        if question.get("reverse_keyed") and kind != "likert":
            check.error(f"{where}.reverse_keyed", "only Likert statements can be reverse-keyed")
        choices = question.get("choices")
        if kind == "context" and not choices:
            check.error(f"{where}.choices", "a context question needs choices")
        if kind == "text" and choices:
            check.error(f"{where}.choices", "an open question has no choices")
        for index, choice in enumerate(choices or [], start=1):
            item = f"{where}.choices[{choice.get('code') or index}]"
            if not choice.get("code"):
                check.error(item, "code missing")
            check.text(f"{item}.label", choice.get("label"))
            score = choice.get("score")
            if kind in SCORED_KINDS and (
                not isinstance(score, int | float) or isinstance(score, bool) or not 1 <= score <= 6
            ):
                check.error(f"{item}.score", f"score {score!r} is outside 1–6")
        if kind == "context" and choices:
            choice_codes = [choice.get("code") for choice in choices]
            if len(set(choice_codes)) != len(choice_codes):
                check.error(f"{where}.choices", "choice codes must be unique")
    for dimension in sorted(dimension_codes):
        if level_items[dimension] != 1:
            check.error(
                f"dimensions[{dimension}]",
                f"needs exactly one level item (found {level_items[dimension]})",
            )
        if not MIN_LIKERT_PER_DIMENSION <= likert_items[dimension] <= MAX_LIKERT_PER_DIMENSION:
            check.error(
                f"dimensions[{dimension}]",
                f"needs {MIN_LIKERT_PER_DIMENSION}–{MAX_LIKERT_PER_DIMENSION} Likert statements "
                f"(found {likert_items[dimension]})",
            )


@dataclass(frozen=True)
class LoadResult:
    model: MaturityModel
    action: str  # "created", "updated" or "unchanged"


def read_fixture(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{path.name}: not valid JSON ({exc})") from None


def maturity_model_load(*, data: dict[str, Any], publish: bool = True) -> LoadResult:
    """Create or upgrade one model version from fixture data, all or nothing.

    Loading the same content twice changes nothing. A version that is published
    and used by an assessment is immutable: different content for it is refused,
    and must be published as a new version.
    """
    errors = validate_content(data)
    if errors:
        raise ValidationError(errors)
    fingerprint = content_hash(data)
    with transaction.atomic():
        model = (
            MaturityModel.objects.select_for_update()
            .filter(code=data["code"], version=data["version"])
            .first()
        )
        if model is not None and model.content_hash == fingerprint:
            if publish and not model.is_published:
                model.is_published = True
                model.published_at = timezone.now()
                model.save(update_fields=["is_published", "published_at"])
            return LoadResult(model, "unchanged")
        if model is not None and model.is_locked:
            raise ValidationError(
                f"{data['code']} {data['version']} is published and used by an assessment; "
                "its content can no longer change. Publish the changes as a new version."
            )
        action = "updated" if model is not None else "created"
        if model is None:
            model = MaturityModel(code=data["code"], version=data["version"])
        else:
            _delete_content(model)
        model.name_nl, model.name_en = data["name"]["nl"], data["name"]["en"]
        model.description_nl = data["description"]["nl"]
        model.description_en = data["description"]["en"]
        model.likert_labels = data["likert_labels"]
        model.content_hash = fingerprint
        if publish and not model.is_published:
            model.is_published = True
            model.published_at = timezone.now()
        model.save()
        _create_content(model, data)
    return LoadResult(model, action)


def _delete_content(model: MaturityModel) -> None:
    # Children first: dimensions and questions point at phases with PROTECT.
    Question.objects.filter(model=model).delete()
    Dimension.objects.filter(model=model).delete()
    Phase.objects.filter(model=model).delete()
    Level.objects.filter(model=model).delete()


def _create_content(model: MaturityModel, data: dict[str, Any]) -> None:
    Level.objects.bulk_create(
        Level(
            model=model,
            number=level["number"],
            **_texts(level, "name", "tagline", "description"),
        )
        for level in data["levels"]
    )
    phases = {
        phase["code"]: Phase.objects.create(
            model=model, code=phase["code"], order=order, **_texts(phase, "name", "description")
        )
        for order, phase in enumerate(data["phases"], start=1)
    }
    dimensions: dict[str, Dimension] = {}
    descriptors: dict[str, list[dict]] = {}
    for order, entry in enumerate(data["dimensions"], start=1):
        dimension = Dimension.objects.create(
            model=model,
            code=entry["code"],
            order=order,
            main_phase=phases[entry["main_phase"]],
            expected_levels=entry.get("expected_levels", {}),
            **_texts(entry, "name", "short_name", "definition"),
        )
        dimensions[entry["code"]] = dimension
        descriptors[entry["code"]] = sorted(entry["descriptors"], key=lambda d: d["level"])
        LevelDescriptor.objects.bulk_create(
            LevelDescriptor(
                dimension=dimension,
                level=descriptor["level"],
                **_texts(descriptor, "text", "evidence"),
            )
            for descriptor in entry["descriptors"]
        )
        Advice.objects.bulk_create(
            Advice(dimension=dimension, from_level=advice["from_level"], **_texts(advice, "text"))
            for advice in entry["advice"]
        )
    choices: list[Choice] = []
    for order, entry in enumerate(data["questions"], start=1):
        kind = entry["kind"]
        question = Question.objects.create(
            model=model,
            code=entry["code"],
            order=order,
            kind=kind,
            dimension=dimensions.get(entry.get("dimension", "")),
            phase=phases.get(entry.get("phase", "")),
            reverse_keyed=bool(entry.get("reverse_keyed", False)),
            allow_not_applicable=bool(entry.get("allow_not_applicable", False)),
            text_nl=entry["text"]["nl"],
            text_en=entry["text"]["en"],
            help_nl=entry.get("help", {}).get("nl", ""),
            help_en=entry.get("help", {}).get("en", ""),
        )
        choices.extend(_choices_for(question, entry, descriptors, data["likert_labels"]))
    Choice.objects.bulk_create(choices)


def _choices_for(
    question: Question, entry: dict, descriptors: dict[str, list[dict]], likert_labels: dict
) -> list[Choice]:
    if entry.get("choices"):
        return [
            Choice(
                question=question,
                code=choice["code"],
                order=order,
                label_nl=choice["label"]["nl"],
                label_en=choice["label"]["en"],
                score=Decimal(str(choice["score"])) if "score" in choice else None,
            )
            for order, choice in enumerate(entry["choices"], start=1)
        ]
    if question.kind == Question.Kind.LEVEL:
        return [
            Choice(
                question=question,
                code=f"level-{descriptor['level']}",
                order=descriptor["level"],
                label_nl=descriptor["text"]["nl"],
                label_en=descriptor["text"]["en"],
                score=Decimal(descriptor["level"]),
            )
            for descriptor in descriptors[entry["dimension"]]
        ]
    if question.kind == Question.Kind.LIKERT:
        return [
            Choice(
                question=question,
                code=f"agree-{point}",
                order=point,
                label_nl=likert_labels["nl"][point - 1],
                label_en=likert_labels["en"][point - 1],
                score=likert_score(point),
            )
            for point in range(1, LIKERT_POINTS + 1)
        ]
    return []


def _texts(entry: dict, *fields: str) -> dict[str, str]:
    return {
        f"{field}_{language}": entry[field][language]
        for field in fields
        for language in CONTENT_LANGUAGES
    }
