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

FORMAT = 2  # compact: numbers in the order of the dimensions and items of the key


def profile_to_plain(profile: RespondentProfile, items: Sequence[str]) -> dict:
    """Flat lists, a few hundred bytes: per dimension its score, level item, Likert mean
    and flags, then its four counts; the item scores in the order of ``items``."""
    scores: list = []
    for row in profile.scores:
        scores += [row.score, row.level_item, row.likert_mean, ",".join(row.flags)]
    return {
        "format": FORMAT,
        "role": profile.respondent.role,
        "perceived": profile.respondent.perceived_phase,
        "dimensions": [row.dimension for row in profile.scores],
        "scores": scores,
        "tallies": [count for tally in profile.tallies for count in tally],
        "items": [profile.item_scores.get(code) for code in items],
        "phases": list(profile.phase_scores),
    }


def profile_from_plain(
    respondent_id: int,
    team: str | None,
    dimensions: Sequence[str],
    items: Sequence[str],
    plain: Mapping,
) -> RespondentProfile | None:
    """The profile, or None when it was stored for other dimensions or items (or in
    another format) and must be worked out again."""
    if (
        plain.get("format") != FORMAT
        or plain["dimensions"] != list(dimensions)
        or len(plain["items"]) != len(items)
    ):
        return None
    s, t = plain["scores"], plain["tallies"]
    return RespondentProfile(
        respondent=Respondent(
            id=respondent_id, team=team, role=plain["role"], perceived_phase=plain["perceived"]
        ),
        scores=tuple(
            RespondentScore(
                respondent_id,
                code,
                s[4 * i],
                s[4 * i + 1],
                s[4 * i + 2],
                tuple(s[4 * i + 3].split(",")) if s[4 * i + 3] else (),
            )
            for i, code in enumerate(dimensions)
        ),
        tallies=tuple(Tally(*t[4 * i : 4 * i + 4]) for i in range(len(dimensions))),
        item_scores={
            code: score
            for code, score in zip(items, plain["items"], strict=True)
            if score is not None
        },
        phase_scores=tuple(plain["phases"]),
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
        list(data.phases),
        params.level_weight,
        params.min_likert_alone,
        params.consistency_gap,
        params.phase_min_answered,
    ]
    return hashlib.sha256(json.dumps(inputs).encode()).hexdigest()[:32]
