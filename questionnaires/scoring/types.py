"""The data the scoring module takes and gives: frozen dataclasses only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import NamedTuple

DONT_KNOW = "dont_know"
NOT_APPLICABLE = "not_applicable"
LEVEL = "level"
LIKERT = "likert"
EPS = 1e-9

# Status of an aggregate.
OK = "ok"
INSUFFICIENT = "insufficient_data"
NA = "not_applicable"
TOO_FEW_ITEMS = "too_few_items"

# Flags on a respondent's dimension score.
LEVEL_ONLY = "level_item_only"
LIKERT_ONLY = "likert_only_less_reliable"
INCONSISTENT = "inconsistent"

CONSENSUS = "consensus"
MODERATE = "moderate"
DIVIDED = "divided"

HIGH, MEDIUM, LOW, ABOVE_TARGET = "high", "medium", "low", "above_target"

# The pooled group of respondents whose own group is too small to show.
OTHER = "__other__"

DEPENDENCY_ORDER = (
    "D2", "D3", "D11", "D1", "D8", "D5", "D6", "D7", "D4", "D9", "D10", "D12",
)  # fmt: skip


# --- Inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A sentence in both product languages."""

    nl: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.nl


@dataclass(frozen=True)
class Parameters:
    """Per-assessment scoring settings; the defaults are those of the domain model."""

    anonymity_threshold: int = 5
    level_weight: float = 0.5
    min_likert_alone: int = 2
    consistency_gap: float = 2.0
    dont_know_limit: float = 0.30
    not_applicable_limit: float = 0.50
    overall_share: float = 0.80
    overall_tolerance: int = 1
    unbalanced_gap: float = 1.5
    perception_gap: float = 1.5
    phase_min_items: int = 4
    phase_min_answered: float = 0.5
    trend_min_delta: float = 0.5
    trend_min_n: int = 5
    foundation_factor: float = 1.5
    foundation_dimensions: tuple[str, ...] = ("D1", "D2", "D3")
    foundation_below: float = 3.0
    low_relevance_factor: float = 0.5
    dependency_order: tuple[str, ...] = DEPENDENCY_ORDER
    plan_size: int = 5
    divided_items_shown: int = 5
    role_balanced: bool = False

    @classmethod
    def from_settings(cls, settings: Mapping[str, object], **overrides: object) -> Parameters:
        """Build from stored settings, ignoring unknown keys and keeping types."""
        known = {f.name: f for f in fields(cls)}
        values: dict[str, object] = {}
        for key, value in {**settings, **overrides}.items():
            if key not in known:
                continue
            default = getattr(cls(), key)
            if isinstance(default, tuple):
                value = tuple(value)  # type: ignore[arg-type]
            elif isinstance(default, bool):
                value = bool(value)
            elif isinstance(default, int):
                value = int(value)  # type: ignore[call-overload]
            elif isinstance(default, float):
                value = float(value)  # type: ignore[arg-type]
            values[key] = value
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    name: Text
    expected_levels: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemSpec:
    code: str
    dimension: str
    phase: str
    kind: str  # LEVEL or LIKERT
    reverse: bool = False
    allow_not_applicable: bool = False


@dataclass(frozen=True)
class Respondent:
    id: int
    team: str | None = None
    role: str | None = None
    perceived_phase: str | None = None


class ItemAnswer(NamedTuple):
    """One answer. A named tuple, not a dataclass: there are hundreds of thousands."""

    respondent: int
    item: str
    value: int | None = None  # level option 1–6 or agreement 1–5
    special: str = ""  # "", DONT_KNOW or NOT_APPLICABLE


@dataclass(frozen=True)
class ScoringInput:
    dimensions: tuple[DimensionSpec, ...]
    phases: tuple[str, ...]  # in order, e.g. PM, IM-2.1 … IM-2.4, MoC
    items: tuple[ItemSpec, ...]
    respondents: tuple[Respondent, ...]
    answers: tuple[ItemAnswer, ...]
    targets: Mapping[str, int] = field(default_factory=dict)
    claimed_phase: str | None = None
    parameters: Parameters = field(default_factory=Parameters)
    previous: AssessmentResult | None = None
    phase_names: Mapping[str, Text] = field(default_factory=dict)  # for the sentences
    # False while answering goes on: teams and roles are compared only once it is over,
    # since a group's figure could move with one colleague's submission.
    compare_groups: bool = True


# --- Outputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    n: int
    median: float
    mean: float
    p25: float
    p75: float
    iqr: float
    within_one: float  # share of scores within ±1 of the median
    p10: float | None = None  # the outer deciles, for the distribution chart
    p90: float | None = None


class RespondentScore(NamedTuple):
    """One respondent's score on one dimension (internal: tens of thousands are made)."""

    respondent: int
    dimension: str
    score: float | None
    level_item: float | None
    likert_mean: float | None
    flags: tuple[str, ...] = ()


class Tally(NamedTuple):
    """One respondent's answers on one dimension, counted."""

    answered: int
    dont_knows: int
    level_answered: int  # 1 when the dimension's level item was answered
    level_na: int  # 1 when it was answered "not applicable"


class RespondentProfile(NamedTuple):
    """One respondent's own output of the rules: their scores and flags per dimension,
    their answers counted per dimension and their item scores. It depends on nothing
    but their answers and the model, so it is worked out once and stored at submit."""

    respondent: Respondent
    scores: tuple[RespondentScore, ...]  # one per dimension, in the input's order
    tallies: tuple[Tally, ...]  # likewise
    item_scores: Mapping[str, float]
    phase_scores: tuple[float | None, ...]  # one per phase, in the input's order


@dataclass(frozen=True)
class Trend:
    previous: float
    delta: float
    real: bool


@dataclass(frozen=True)
class DimensionResult:
    code: str
    name: Text
    status: str  # OK, INSUFFICIENT or NA
    n: int
    median: float | None = None
    mean: float | None = None
    p25: float | None = None
    p75: float | None = None
    iqr: float | None = None
    within_one: float | None = None
    p10: float | None = None
    p90: float | None = None
    level: int | None = None
    progress: float | None = None  # towards the next level, 0–1
    consensus: str | None = None
    consensus_indicative: bool = False
    dont_know_share: float = 0.0
    limited_visibility: bool = False
    not_applicable_share: float = 0.0
    inconsistent_share: float = 0.0
    target: int | None = None
    # Undefined is not zero: None where the rule needs a score (or a target) it lacks.
    gap: float | None = None
    gap_weight: float | None = None
    priority: str | None = None
    foundation_factor: float | None = None
    phase_relevance: float = 1.0
    priority_score: float | None = None
    expected_level: int | None = None
    trend: Trend | None = None

    @property
    def is_applicable(self) -> bool:
        return self.status == OK


@dataclass(frozen=True)
class PhaseResult:
    code: str
    items: int
    status: str  # OK, INSUFFICIENT or TOO_FEW_ITEMS
    n: int
    median: float | None = None


@dataclass(frozen=True)
class OverallResult:
    level: int | None
    why: Text
    mean_index: float | None
    weakest: tuple[str, ...]
    weakest_level: int | None
    balance_gap: float | None
    unbalanced: bool
    applicable: int
    phase_scoped_level: int | None = None
    phase_scoped_dimensions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhaseGate:
    demonstrated: str | None
    why: Text
    claimed: str | None
    perceived: str | None  # median of the respondents' own view (C3)
    perceived_distribution: Mapping[str, int]
    claimed_above_demonstrated: bool
    passed: Mapping[str, bool]


@dataclass(frozen=True)
class GroupResult:
    kind: str  # "team" or "role"
    name: str
    n: int
    medians: Mapping[str, float | None]
    # For "other": the groups shown together in it, and those of them big enough on
    # their own that joined so that no smaller group can be worked out (protected).
    pooled: tuple[str, ...] = ()
    protected: tuple[str, ...] = ()
    # Big enough, but its members nearly match another shown group's (a team and a
    # role, say): both shown would single out the few in one and not the other.
    overlap_hidden: bool = False


@dataclass(frozen=True)
class PerceptionGap:
    kind: str
    dimension: str
    higher: str
    lower: str
    higher_median: float
    lower_median: float
    difference: float


@dataclass(frozen=True)
class ItemResult:
    code: str
    dimension: str
    spread: Spread


@dataclass(frozen=True)
class PlanItem:
    rank: int
    dimension: str
    is_barrier: bool
    build_shared_picture: bool
    from_level: int
    to_level: int
    then_from_level: int | None
    priority: str | None
    priority_score: float | None


@dataclass(frozen=True)
class AssessmentResult:
    parameters: Parameters
    respondents: int
    dimensions: tuple[DimensionResult, ...]
    phases: tuple[PhaseResult, ...]
    overall: OverallResult
    phase_gate: PhaseGate
    barrier: str | None
    plan: tuple[PlanItem, ...]
    groups: tuple[GroupResult, ...]
    perception_gaps: tuple[PerceptionGap, ...]
    divided_items: tuple[ItemResult, ...]
    project_not_landed: bool

    def dimension(self, code: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.code == code)
