"""The audit log's one write: every service records what it changed."""

from ..models import Assessment, AuditEntry, Organization, User


def audit_record(
    *,
    organization: Organization,
    actor: User | None,
    action: str,
    detail: str = "",
    assessment: Assessment | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        organization=organization, assessment=assessment, actor=actor, action=action, detail=detail
    )
