from django.contrib.auth import views as auth_views
from django.urls import path

from .views import dashboard, public, respondent, workspace

urlpatterns = [
    path("", public.home, name="home"),
    path("logo/<str:digest>.<str:extension>", public.logo_file, name="logo-file"),
    path("brand/<str:stamp>.css", public.brand_css, name="brand-css"),
    path("brand/<str:stamp>/print.css", public.brand_print_css, name="brand-print-css"),
    path("model/", public.model_overview, name="model-overview"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "account/set-password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/password_set.html",
            success_url="/account/password-set/",
            post_reset_login=True,
            post_reset_login_backend="django.contrib.auth.backends.ModelBackend",
        ),
        name="password-set",
    ),
    path(
        "account/password-set/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_set_done.html"
        ),
        name="password-set-done",
    ),
    # Respondents: a link with a token, then token-free pages bound to the session.
    path("s/<str:token>/", respondent.survey_enter, name="survey-enter"),
    path("survey/", respondent.survey_welcome, name="survey-welcome"),
    path("survey/page/<int:number>/", respondent.survey_page, name="survey-page"),
    path("survey/save/", respondent.survey_autosave, name="survey-autosave"),
    path("survey/review/", respondent.survey_review, name="survey-review"),
    path("survey/submit/", respondent.survey_submit, name="survey-submit"),
    path("survey/thanks/", respondent.survey_thanks, name="survey-thanks"),
    path("survey/next-person/", respondent.survey_next_person, name="survey-next-person"),
    # The consultant's workspace.
    path("workspace/", workspace.workspace_home, name="workspace"),
    path("workspace/branding/", workspace.branding_edit, name="branding-edit"),
    path("workspace/clients/new/", workspace.organization_create, name="organization-create"),
    path("workspace/clients/<int:pk>/logo/", workspace.organization_logo, name="organization-logo"),
    path("workspace/clients/<int:pk>/", workspace.organization_detail, name="organization-detail"),
    path(
        "workspace/clients/<int:pk>/rename/",
        workspace.organization_rename,
        name="organization-rename",
    ),
    path("workspace/clients/<int:pk>/teams/", workspace.team_create, name="team-create"),
    path("workspace/teams/<int:pk>/rename/", workspace.team_rename, name="team-rename"),
    path("workspace/clients/<int:pk>/managers/", workspace.manager_invite, name="manager-invite"),
    path("workspace/managers/<int:pk>/revoke/", workspace.manager_revoke, name="manager-revoke"),
    path("workspace/managers/<int:pk>/unlock/", workspace.manager_unlock, name="manager-unlock"),
    path(
        "workspace/clients/<int:pk>/assessments/new/",
        workspace.assessment_create,
        name="assessment-create",
    ),
    path("workspace/assessments/<int:pk>/", workspace.assessment_detail, name="assessment-detail"),
    path("workspace/assessments/<int:pk>/edit/", workspace.assessment_edit, name="assessment-edit"),
    path(
        "workspace/assessments/<int:pk>/notes/", workspace.assessment_notes, name="assessment-notes"
    ),
    path(
        "workspace/assessments/<int:pk>/report/",
        workspace.assessment_report,
        name="assessment-report",
    ),
    path(
        "workspace/assessments/<int:pk>/report/issue/", workspace.report_issue, name="report-issue"
    ),
    path(
        "workspace/assessments/<int:pk>/report/preview/",
        workspace.report_preview,
        name="report-preview",
    ),
    path(
        "workspace/assessments/<int:pk>/status/<str:action>/",
        workspace.assessment_transition,
        name="assessment-transition",
    ),
    path(
        "workspace/assessments/<int:pk>/clone/", workspace.assessment_clone, name="assessment-clone"
    ),
    path("workspace/assessments/<int:pk>/links/", workspace.team_link_create, name="link-create"),
    path("workspace/links/<int:pk>/revoke/", workspace.team_link_revoke, name="link-revoke"),
    path(
        "workspace/assessments/<int:pk>/invite/",
        workspace.invitations_upload,
        name="invitations-upload",
    ),
    path(
        "workspace/assessments/<int:pk>/invite/send/",
        workspace.invitations_send,
        name="invitations-send",
    ),
    path(
        "workspace/assessments/<int:pk>/remind/<str:group>/",
        workspace.reminders_send,
        name="reminders-send",
    ),
    path(
        "workspace/assessments/<int:pk>/export/<str:fmt>/",
        workspace.assessment_export,
        name="assessment-export",
    ),
    path(
        "workspace/assessments/<int:pk>/export/<str:fmt>/prepare/",
        workspace.download_prepare,
        name="download-prepare",
    ),
    path(
        "workspace/downloads/<uuid:download_id>/",
        workspace.download_status,
        name="download-status",
    ),
    path(
        "workspace/downloads/<uuid:download_id>/file/",
        workspace.download_file,
        name="download-file",
    ),
    path(
        "workspace/assessments/<int:pk>/privacy/",
        workspace.respondent_privacy,
        name="respondent-privacy",
    ),
    path(
        "workspace/invitations/<int:pk>/data/",
        workspace.respondent_export,
        name="respondent-export",
    ),
    path(
        "workspace/invitations/<int:pk>/erase/", workspace.respondent_erase, name="respondent-erase"
    ),
    # Dashboards for client managers and consultants.
    path("dashboard/", dashboard.dashboard_list, name="dashboard-list"),
    path("dashboard/<int:pk>/", dashboard.assessment_dashboard, name="assessment-dashboard"),
    path("dashboard/<int:pk>/report.pdf", dashboard.report_pdf, name="report-pdf"),
    path("dashboard/<int:pk>/report.pptx", dashboard.report_deck, name="report-deck"),
    path(
        "dashboard/<int:pk>/report/v<int:version>.pdf",
        dashboard.report_issued,
        name="report-issued",
    ),
    path("dashboard/<int:pk>/plan.<str:fmt>", dashboard.plan_export, name="plan-export"),
    path("dashboard/<int:pk>/plan/adopt/", dashboard.plan_adopt, name="plan-adopt"),
    path("dashboard/<int:pk>/plan/add/", dashboard.plan_entry_add, name="plan-entry-add"),
    path(
        "dashboard/plan/<int:pk>/<str:change>/",
        dashboard.plan_entry_change,
        name="plan-entry-change",
    ),
    path("dashboard/actions/<int:pk>/status/", dashboard.action_status, name="action-status"),
    path("dashboard/<int:pk>/comments/", dashboard.comments_release, name="comments-release"),
]
