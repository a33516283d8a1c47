"""The consultant's workspace, one module per screen group: ``clients`` (the overview, a
client's teams and managers), ``assessments`` (an assessment, its life cycle and exports),
``invitations`` (team links, people and mail), ``branding`` (the installation's
branding and a client's logo), ``notes`` (the consultant's summary and notes),
``downloads`` (large exports, prepared by a task) and ``privacy`` (one respondent's data).

Every object is fetched through `access`: anything outside the consultant's own
organisations is a 404. Every view is importable from here, as ``urls.py`` does.
"""

from .assessments import (
    assessment_clone,
    assessment_create,
    assessment_detail,
    assessment_edit,
    assessment_export,
    assessment_transition,
)
from .branding import branding_edit, organization_logo
from .clients import (
    manager_invite,
    manager_revoke,
    manager_unlock,
    organization_create,
    organization_detail,
    organization_rename,
    team_create,
    team_rename,
    workspace_home,
)
from .downloads import download_file, download_prepare, download_status
from .invitations import (
    invitations_send,
    invitations_upload,
    reminders_send,
    team_link_create,
    team_link_revoke,
)
from .notes import assessment_notes, assessment_report, report_issue, report_preview
from .privacy import respondent_erase, respondent_export, respondent_privacy

__all__ = [
    "assessment_clone",
    "assessment_create",
    "assessment_detail",
    "assessment_edit",
    "assessment_export",
    "assessment_notes",
    "assessment_report",
    "assessment_transition",
    "branding_edit",
    "download_file",
    "download_prepare",
    "download_status",
    "invitations_send",
    "invitations_upload",
    "manager_invite",
    "manager_revoke",
    "manager_unlock",
    "organization_create",
    "organization_detail",
    "organization_logo",
    "organization_rename",
    "reminders_send",
    "report_issue",
    "report_preview",
    "respondent_erase",
    "respondent_export",
    "respondent_privacy",
    "team_create",
    "team_link_create",
    "team_link_revoke",
    "team_rename",
    "workspace_home",
]
