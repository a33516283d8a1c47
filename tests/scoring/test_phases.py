"""The phase scores and the phase gate (domain model §4.5)."""

from dataclasses import replace

from questionnaires.scoring import (
    DimensionSpec,
    ItemAnswer,
    ItemSpec,
    Parameters,
    Respondent,
    ScoringInput,
    Text,
    score_assessment,
)
from tests.scoring.builders import PHASES, _plan_input


def test_phase_gate_demonstrated_versus_claimed():
    expected = {
        "D1": {"IM-2.1": 2, "IM-2.2": 3},
        "D2": {"IM-2.1": 2, "IM-2.2": 3},
        "D3": {"IM-2.1": 2, "IM-2.2": 3},
        "D4": {"IM-2.1": 1, "IM-2.2": 2},
        "D5": {"IM-2.1": 1, "IM-2.2": 3},
    }
    medians = {"D1": 3, "D2": 3, "D3": 2, "D4": 2, "D5": 2}
    result = score_assessment(_plan_input(medians, {}, claimed="IM-2.2", expected=expected))
    gate = result.phase_gate
    assert gate.passed == {"IM-2.1": True, "IM-2.2": False}
    assert gate.demonstrated == "IM-2.1"
    assert gate.claimed_above_demonstrated
    assert gate.why.en == (
        "IM-2.2 is not yet demonstrated: D3 and D5 are below the level this phase expects."
    )


def test_the_phase_gate_names_the_phase_and_the_dimensions_as_people_read_them():
    expected = {"D1": {"IM-2.1": 2}, "D2": {"IM-2.1": 2}, "D3": {"IM-2.1": 2}}
    data = _plan_input({"D1": 1, "D2": 3, "D3": 3}, {}, expected=expected)
    names = {"D1": Text("Procesfit", "Process fit")}
    data = replace(
        data,
        dimensions=tuple(replace(d, name=names.get(d.code, d.name)) for d in data.dimensions),
        phase_names={"IM-2.1": Text("IM 2.1 Bruikbaar", "IM 2.1 Usable")},
    )
    why = score_assessment(data).phase_gate.why
    assert why.nl == (
        "IM 2.1 Bruikbaar is nog niet aangetoond: Procesfit ligt onder het niveau dat deze "
        "fase verwacht."
    )
    assert why.en == (
        "IM 2.1 Usable is not yet demonstrated: Process fit is below the level this phase expects."
    )


def test_phase_scores_need_four_items_and_half_answered():
    items = [ItemSpec(f"P{i}", "D1", "PM", "likert") for i in range(4)]
    items.append(ItemSpec("Q", "D1", "MoC", "level"))
    answers = [ItemAnswer(r, "P0", value=5) for r in range(1, 4)]
    answers += [ItemAnswer(r, "P1", value=5) for r in range(1, 4)]
    answers += [ItemAnswer(r, "Q", value=4) for r in range(1, 4)]
    answers.append(ItemAnswer(4, "P0", value=1))  # only one of four PM items: no phase score
    data = ScoringInput(
        dimensions=(DimensionSpec("D1", Text("a", "a")),),
        phases=PHASES,
        items=tuple(items),
        respondents=tuple(Respondent(r) for r in range(1, 5)),
        answers=tuple(answers),
        parameters=Parameters(anonymity_threshold=3),
    )
    phases = {p.code: p for p in score_assessment(data).phases}
    assert phases["PM"].status == "ok"
    assert phases["PM"].n == 3
    assert phases["PM"].median == 6.0
    assert phases["MoC"].status == "too_few_items"
