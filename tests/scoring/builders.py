"""Scoring inputs the scoring tests build by hand: plain data, no database."""

from hypothesis import strategies as st

from questionnaires.scoring import (
    DimensionSpec,
    ItemAnswer,
    ItemSpec,
    Parameters,
    Respondent,
    ScoringInput,
    Text,
    item_score,
)

PHASES = ("PM", "IM-2.1", "IM-2.2", "IM-2.3", "IM-2.4", "MoC")


WORKED_EXAMPLE = {
    "D1": 3.5, "D2": 4.0, "D3": 2.5, "D4": 3.0, "D5": 3.5, "D6": 3.0,
    "D7": 3.5, "D8": 4.0, "D9": 3.0, "D10": 3.0, "D11": 3.0, "D12": 2.5,
}  # fmt: skip


def _one_dimension(answers_per_respondent, *, allow_na=False, threshold=3, targets=None):
    """An assessment with one dimension D1: a level item and three Likert items."""
    items = (
        ItemSpec("L", "D1", "IM-2.1", "level", allow_not_applicable=allow_na),
        ItemSpec("K1", "D1", "IM-2.1", "likert"),
        ItemSpec("K2", "D1", "IM-2.2", "likert"),
        ItemSpec("K3", "D1", "PM", "likert", reverse=True),
    )
    answers = []
    for rid, given_answers in enumerate(answers_per_respondent, start=1):
        for code, value in given_answers.items():
            if isinstance(value, str):
                answers.append(ItemAnswer(rid, code, special=value))
            else:
                answers.append(ItemAnswer(rid, code, value=value))
    return ScoringInput(
        dimensions=(DimensionSpec("D1", Text("Procesfit", "Process fit"), {"IM-2.1": 2}),),
        phases=PHASES,
        items=items,
        respondents=tuple(Respondent(i) for i in range(1, len(answers_per_respondent) + 1)),
        answers=tuple(answers),
        targets=targets or {},
        parameters=Parameters(anonymity_threshold=threshold),
    )


def _by_respondent(data):
    """Item scores per respondent, as score_assessment hands them to its rules."""
    items = {item.code: item for item in data.items}
    result = {}
    for answer in data.answers:
        score = item_score(items[answer.item], answer)
        if score is not None:
            result.setdefault(answer.respondent, {})[answer.item] = score
    return result


def _from_medians(medians, *, claimed=None, targets=None, expected=None, threshold=1):
    """One respondent whose level items give exactly these dimension scores."""
    dims, items, answers = [], [], []
    for code, median in medians.items():
        dims.append(DimensionSpec(code, Text(f"naam {code}", f"name {code}"), expected or {}))
        items.append(ItemSpec(f"{code}.1", code, "IM-2.2", "level"))
        answers.append(ItemAnswer(1, f"{code}.1", value=int(median)))
    return ScoringInput(
        dimensions=tuple(dims),
        phases=PHASES,
        items=tuple(items),
        respondents=(Respondent(1),),
        answers=tuple(answers),
        targets=targets or {},
        claimed_phase=claimed,
        parameters=Parameters(anonymity_threshold=threshold),
    )


def _plan_input(medians, targets, claimed="IM-2.2", expected=None, divided=()):
    """Five respondents per dimension; `divided` dimensions get a split answer pattern."""
    dims, items, answers = [], [], []
    for code, median in medians.items():
        dims.append(
            DimensionSpec(code, Text(code, code), (expected or {}).get(code, {"IM-2.2": 3}))
        )
        items.append(ItemSpec(f"{code}.1", code, "IM-2.2", "level"))
        values = [1, 1, int(median), 6, 6] if code in divided else [int(median)] * 5
        answers += [ItemAnswer(r, f"{code}.1", value=v) for r, v in enumerate(values, 1)]
    return ScoringInput(
        dimensions=tuple(dims),
        phases=PHASES,
        items=tuple(items),
        respondents=tuple(Respondent(r) for r in range(1, 6)),
        answers=tuple(answers),
        targets=targets,
        claimed_phase=claimed,
        parameters=Parameters(anonymity_threshold=5),
    )


def _teams_input(team_levels, threshold=3, previous=None):
    respondents, answers, rid = [], [], 0
    for team, levels in team_levels.items():
        for level in levels:
            rid += 1
            respondents.append(Respondent(rid, team=team, role="end_user"))
            answers.append(ItemAnswer(rid, "L", value=level))
    return ScoringInput(
        dimensions=(DimensionSpec("D1", Text("a", "a")),),
        phases=PHASES,
        items=(ItemSpec("L", "D1", "IM-2.1", "level"),),
        respondents=tuple(respondents),
        answers=tuple(answers),
        parameters=Parameters(anonymity_threshold=threshold),
        previous=previous,
    )


answer_value = st.one_of(st.integers(1, 5), st.sampled_from(["dont_know"]))


level_value = st.one_of(st.integers(1, 6), st.sampled_from(["dont_know"]))


respondent_answers = st.fixed_dictionaries(
    {"L": level_value, "K1": answer_value, "K2": answer_value, "K3": answer_value}
)
