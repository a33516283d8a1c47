"""Data of IM Assess, one module per purpose; every model is importable from here.

- ``accounts``: ``User`` (logs in with an e-mail address)
- ``branding``: ``Branding`` (the installation's consultancy), ``Logo`` (as stored)
- ``content``: the versioned maturity model (``MaturityModel``, ``Phase``, ``Level``,
  ``Dimension``, ``LevelDescriptor``, ``Question``, ``Choice``, ``Advice``)
- ``engagements``: ``Organization``, ``Team``, ``Membership``, ``Assessment``,
  ``AssessmentTarget``
- ``responses``: ``Invitation``, ``TeamLink``, ``Response``, ``Answer``, ``ResponseScores``,
  ``StoredResult``
- ``plans``: ``PlanEntry``, ``ActionItem``, ``ConsultantNote`` (summary and notes)
- ``downloads``: ``PreparedDownload``, ``DownloadChunk`` (large exports, written by a task),
  ``IssuedReport`` (a report issued as final, kept as issued)
- ``audit``: ``AuditEntry``
- ``limits``: ``ThrottleBucket`` (counters shared by every worker)

Models hold fields, constraints and small properties; workflows live in services.
"""

from .accounts import EmailUserManager, User
from .audit import AUDIT_LABELS, AuditEntry
from .branding import Branding, Logo
from .content import (
    CONTENT_LANGUAGES,
    LEVELS,
    Advice,
    Choice,
    Dimension,
    Level,
    LevelDescriptor,
    MaturityModel,
    Phase,
    Question,
    translated,
)
from .downloads import KEPT_FOR, STALLED_AFTER, DownloadChunk, IssuedReport, PreparedDownload
from .engagements import (
    Assessment,
    AssessmentTarget,
    Membership,
    Organization,
    Team,
    default_languages,
)
from .limits import ThrottleBucket
from .plans import ActionItem, ConsultantNote, PlanEntry
from .responses import Answer, Invitation, Response, ResponseScores, StoredResult, TeamLink

__all__ = [
    "AUDIT_LABELS",
    "CONTENT_LANGUAGES",
    "KEPT_FOR",
    "LEVELS",
    "STALLED_AFTER",
    "ActionItem",
    "Advice",
    "Answer",
    "Assessment",
    "AssessmentTarget",
    "AuditEntry",
    "Branding",
    "Choice",
    "ConsultantNote",
    "Dimension",
    "DownloadChunk",
    "EmailUserManager",
    "Invitation",
    "IssuedReport",
    "Level",
    "LevelDescriptor",
    "Logo",
    "MaturityModel",
    "Membership",
    "Organization",
    "Phase",
    "PlanEntry",
    "PreparedDownload",
    "Question",
    "Response",
    "ResponseScores",
    "StoredResult",
    "Team",
    "TeamLink",
    "ThrottleBucket",
    "User",
    "default_languages",
    "translated",
]
