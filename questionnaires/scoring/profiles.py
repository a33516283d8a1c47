"""A respondent's profile as plain JSON data, to store it at submit and read it back.

Floats survive JSON exactly (``repr`` round-trips), so a profile read back scores
exactly as the one worked out from the answers. The team is not stored: it is the
response's own (and a team may be renamed); role and perceived phase come from the
respondent's context answers, which never change after submit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

from .types import Respondent, RespondentProfile, RespondentScore, ScoringInput, Tally

FORMAT = 1


def profile_to_plain(profile: RespondentProfile) -> dict:
    return {
        "format": FORMAT,
        "role": profile.respondent.role,
        "perceived": profile.respondent.perceived_phase,
        "dimensions": [row.dimension for row in profile.scores],
        "scores": [
            [row.score, row.level_item, row.likert_mean, list(row.flags)] for row in profile.scores
        ],
        "tallies": [list(tally) for tally in profile.tallies],
        "items": dict(profile.item_scores),
    }


def profile_from_plain(
    respondent_id: int, team: str | None, dimensions: Sequence[str], plain: Mapping
) -> RespondentProfile | None:
    """The profile, or None when it was stored for other dimensions (or another format)
    and must be worked out again."""
    if plain.get("format") != FORMAT or list(plain["dimensions"]) != list(dimensions):
        return None
    return RespondentProfile(
        respondent=Respondent(
            id=respondent_id, team=team, role=plain["role"], perceived_phase=plain["perceived"]
        ),
        scores=tuple(
            RespondentScore(respondent_id, code, score, level, likert, tuple(flags))
            for code, (score, level, likert, flags) in zip(dimensions, plain["scores"], strict=True)
        ),
        tallies=tuple(Tally(*tally) for tally in plain["tallies"]),
        item_scores=plain["items"],
    )


def profile_key(data: ScoringInput) -> str:
    """What a profile depends on besides the respondent's answers: the items and
    dimensions of the model and the respondent-level settings. A stored profile with
    another key is worked out again."""
    params = data.parameters
    inputs = [
        FORMAT,
        [d.code for d in data.dimensions],
        [
            (i.code, i.dimension, i.phase, i.kind, i.reverse, i.allow_not_applicable)
            for i in data.items
        ],
        params.level_weight,
        params.min_likert_alone,
        params.consistency_gap,
    ]
    return hashlib.sha256(json.dumps(inputs).encode()).hexdigest()[:32]
