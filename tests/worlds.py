"""A whole client organisation for access and anonymity tests.

``build_world`` makes one organisation with its consultant and manager, two teams,
an open assessment with enough submitted responses for every result to show,
released comments, an improvement plan with an action, the consultant's notes, an
issued report, a personal invitation, a team link, a respondent half-way and one who
has submitted. Every free text it writes carries ``canary``, so a test can prove that
nothing of this organisation reaches anyone else.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from questionnaires.models import (
    ActionItem,
    Answer,
    Assessment,
    ConsultantNote,
    DownloadChunk,
    Invitation,
    IssuedReport,
    MaturityModel,
    Membership,
    Organization,
    PlanEntry,
    PreparedDownload,
    Response,
    Team,
    TeamLink,
)
from questionnaires.services import logo_store
from questionnaires.tokens import token_new
from tests.factories import UserFactory, png_bytes


@dataclass
class World:
    canary: str
    organization: Organization
    teams: list[Team]
    assessment: Assessment
    consultant: object
    manager: object
    manager_membership: Membership
    invitation: Invitation
    team_link: TeamLink
    plan_entry: PlanEntry
    action: ActionItem
    in_progress: Response
    submitted: Response
    download: PreparedDownload
    issued: IssuedReport
    tokens: dict[str, str] = field(default_factory=dict)


def _answers(response, questions, index, canary):
    rows = []
    for question in questions:
        choices = question.prefetched_choices
        if choices:
            rows.append(
                Answer(
                    response=response,
                    question=question,
                    choice=choices[(index + question.pk) % len(choices)],
                    comment=f"Opmerking {canary} {index}" if question.kind == "level" else "",
                )
            )
        elif question.kind == "text":
            rows.append(Answer(response=response, question=question, text=f"Tekst {canary}"))
    return rows


def build_world(model: MaturityModel, label: str, canary: str, respondents: int = 6) -> World:
    # Each client has its own logo: a different colour, so a different stored file.
    logo = logo_store(data=png_bytes(colour="#2e7d5b" if label == "A" else "#7a2e4d"))
    organization = Organization.objects.create(name=f"Client {label} {canary}", logo=logo)
    teams = [
        Team.objects.create(organization=organization, name=f"Team {label}{n} {canary}")
        for n in (1, 2)
    ]
    consultant = UserFactory(email=f"consultant-{label.lower()}@example.nl")
    manager = UserFactory(email=f"manager-{label.lower()}@example.nl")
    Membership.objects.create(user=consultant, organization=organization, role="consultant")
    manager_membership = Membership.objects.create(
        user=manager, organization=organization, role="manager"
    )
    assessment = Assessment.objects.create(
        organization=organization,
        maturity_model=model,
        title=f"Scan {label} {canary}",
        subject_nl=f"systeem {canary}",
        subject_en=f"system {canary}",
        status=Assessment.Status.OPEN,
        comments_released=True,
        created_by=consultant,
    )
    questions = list(model.questions.all())
    for question in questions:
        question.prefetched_choices = list(question.choices.all())
    now = timezone.now()
    responses = Response.objects.bulk_create(
        Response(
            assessment=assessment,
            team=teams[0],
            resume_token_hash=token_new()[1],
            submitted_at=now,
        )
        for _ in range(respondents)
    )
    answers = []
    for index, response in enumerate(responses):
        answers += _answers(response, questions, index, canary)
    Answer.objects.bulk_create(answers)
    invitation_token, invitation_hash = token_new()
    invitation = Invitation.objects.create(
        assessment=assessment,
        team=teams[1],
        token_hash=invitation_hash,
        email=f"respondent-{label.lower()}@example.nl",
        name=f"Respondent {canary}",
    )
    link_token, link_hash = token_new()
    team_link = TeamLink.objects.create(assessment=assessment, team=teams[1], token_hash=link_hash)
    in_progress = Response.objects.create(
        assessment=assessment, team=teams[1], resume_token_hash=token_new()[1]
    )
    submitted = responses[0]
    entry = PlanEntry.objects.create(
        assessment=assessment, position=1, text=f"Advies {canary}", is_manual=True
    )
    action = ActionItem.objects.create(entry=entry, title=f"Actie {canary}", owner=canary)
    for subject in ("summary", f"step:{entry.pk}"):
        for language in ("nl", "en"):
            ConsultantNote.objects.create(
                assessment=assessment, subject=subject, language=language,
                text=f"**Notitie** {canary}",
            )  # fmt: skip
    download = PreparedDownload.objects.create(
        assessment=assessment,
        kind=PreparedDownload.Kind.CSV,
        status=PreparedDownload.Status.READY,
        filename=f"{canary}-answers.csv",
        size=len(canary),
    )
    DownloadChunk.objects.create(download=download, number=1, data=canary.encode())
    issued = IssuedReport.objects.create(
        assessment=assessment, language="nl", version=1, inputs="issued",
        pdf=f"%PDF-1.7 {canary}".encode(),
    )  # fmt: skip
    return World(
        canary=canary,
        organization=organization,
        teams=teams,
        assessment=assessment,
        consultant=consultant,
        manager=manager,
        manager_membership=manager_membership,
        invitation=invitation,
        team_link=team_link,
        plan_entry=entry,
        action=action,
        in_progress=in_progress,
        submitted=submitted,
        download=download,
        issued=issued,
        tokens={"invitation": invitation_token, "team-link": link_token},
    )
