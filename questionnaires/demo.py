"""Demo data for local use: a realistic client with two assessment cycles.

Deterministic (a seeded random generator) and idempotent: running it again
adds what is missing and changes nothing that is there.
"""

import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from . import selectors
from .exports import export_name
from .models import (
    Answer,
    Assessment,
    AssessmentTarget,
    Branding,
    Choice,
    Invitation,
    MaturityModel,
    Membership,
    Organization,
    PreparedDownload,
    Question,
    Response,
    Team,
    TeamLink,
    User,
)
from .services.branding import branding_update, organization_logo_set
from .services.downloads import download_build, download_request
from .services.links import team_link_create
from .services.notes import note_set
from .services.plans import action_add, action_status_set, plan_adopt, plan_entry_add
from .services.scores import response_scores_refresh
from .tokens import salt_new, token_for_salt, token_hash, token_new

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ADMIN_EMAIL = "beheer@demo.local"
CONSULTANT_EMAIL = "consultant@demo.local"
MANAGER_EMAIL = "manager@demo.local"
LOGOS = Path(settings.BASE_DIR) / "fixtures" / "demo"  # its logos and the consultant's notes
CLIENT_NAME = "Zorggroep De Linde"
SECOND_CLIENT_NAME = "Gemeente Waterland"


@dataclass(frozen=True)
class TeamProfile:
    name: str
    size_previous: int
    size_current: int
    submitted_current: int
    roles: tuple[str, ...]
    # Typical level per dimension code for this team in the current cycle.
    levels: dict[str, float]


BASE_LEVELS = {
    "D1": 3.2,
    "D2": 3.6,
    "D3": 2.6,
    "D4": 2.8,
    "D5": 3.0,
    "D6": 2.7,
    "D7": 2.4,
    "D8": 3.4,
    "D9": 2.1,
    "D10": 2.0,
    "D11": 3.0,
    "D12": 1.8,
}


def _profile(**overrides: float) -> dict[str, float]:
    return BASE_LEVELS | {f"D{key[1:]}": value for key, value in overrides.items()}


TEAMS = (
    TeamProfile(
        "Verpleegafdeling Noord",
        8,
        11,
        10,
        ("end_user", "end_user", "key_user"),
        _profile(d7=2.0, d1=2.6, d4=2.3),
    ),
    TeamProfile(
        "Verpleegafdeling Zuid",
        7,
        9,
        8,
        ("end_user", "end_user", "key_user"),
        _profile(d7=2.6, d6=3.0),
    ),
    TeamProfile(
        "Polikliniek",
        6,
        8,
        7,
        ("end_user", "key_user", "manager"),
        _profile(d1=3.6, d9=2.8),
    ),
    TeamProfile(
        "Planning & opname",
        4,
        6,
        5,
        ("end_user", "key_user"),
        _profile(d9=2.9, d5=2.5),
    ),
    TeamProfile(
        "Management & staf",
        5,
        6,
        6,
        ("manager", "manager", "project"),
        _profile(d7=3.9, d3=3.4, d4=3.8, d12=2.6, d2=4.3),
    ),
    # Below the anonymity threshold on purpose: the dashboard must pool or hide it.
    TeamProfile(
        "Functioneel beheer",
        3,
        3,
        3,
        ("functional_management", "it"),
        _profile(d8=4.0, d10=2.8, d3=3.2),
    ),
)

# A few examples per dimension; people sometimes give the same one, as in a real scan.
COMMENTS = {
    "D1": [
        "Voor de overdracht tussen diensten houden we nog een papieren lijst bij.",
        "De medicatieregistratie sluit goed aan, het ordersysteem nog niet.",
        "Het intakeformulier vraagt dingen die we al in de verwijzing hebben staan.",
        "Sinds de nieuwe werkinstructie hoeven we de uitslagen niet meer over te typen.",
    ],
    "D2": [
        "Ik snap waarom we het EPD hebben, maar niet wat het voor mijn afdeling moet opleveren.",
        "De directie heeft het vaak over patiëntveiligheid; dat zie ik terug in de checklists.",
        "Het doel was minder registratielast, maar dat merk ik nog niet.",
    ],
    "D3": [
        "Niemand lijkt echt eigenaar sinds het projectteam weg is.",
        "Functioneel beheer pakt veel op, maar heeft te weinig mandaat.",
        "Voor wijzigingen in formulieren weet ik niet bij wie ik moet zijn.",
        "Onze teamleider is proceseigenaar en neemt daar ook echt tijd voor.",
    ],
    "D4": [
        "Sommige collega's werken nog precies zoals vroeger.",
        "Bij ons is de werkverdeling rond het EPD echt anders geworden.",
        "Het multidisciplinair overleg gebruikt nu het dossier op het scherm.",
    ],
    "D5": [
        "Over nieuwe releases hoor ik pas als iets anders werkt.",
        "De nieuwsbrief van het project lees ik, maar het gaat zelden over mijn werk.",
        "Onze key user vertelt in het werkoverleg wat er verandert; dat werkt goed.",
    ],
    "D6": [
        "De e-learning ging vooral over knoppen, niet over ons werkproces.",
        "Nieuwe collega's leren het EPD vooral van wie er toevallig naast zit.",
        "De klinische lessen met casussen uit onze eigen afdeling hielpen echt.",
    ],
    "D7": [
        "Op de nachtdienst wordt het systeem veel minder gebruikt.",
        "Sinds de laatste release werkt het een stuk sneller, dat helpt.",
        "Er zijn nog Excel-lijstjes in omloop naast het dossier.",
        "De meeste collega's willen niet meer terug naar het oude systeem.",
    ],
    "D8": [
        "Bij storingen is niet duidelijk of je de servicedesk of de leverancier belt.",
        "Meldingen bij de servicedesk worden snel opgepakt.",
        "Na de livegang was er ineens niemand meer van het project te vinden.",
    ],
    "D9": [
        "Verwijzingen van de huisarts moeten we nog steeds handmatig overnemen.",
        "De koppeling met het laboratorium werkt zonder omkijken.",
        "Met de thuiszorg mailen we nog overdrachten heen en weer.",
    ],
    "D10": [
        "Verbeterideeën verdwijnen in een mailbox; we horen er niets meer van.",
        "Elk kwartaal bespreken we met functioneel beheer wat beter kan.",
        "Kleine wensen duren maanden voordat ze zijn doorgevoerd.",
    ],
    "D11": [
        "Ik weet niet wat er gebeurt als het systeem een dag uitvalt.",
        "De uitwijkprocedure hebben we één keer geoefend en dat ging goed.",
        "Over de afspraken met de leverancier hoor ik nooit iets.",
    ],
    "D12": [
        "Ik weet niet of de beloofde tijdwinst ooit gemeten is.",
        "We zien minder dubbele onderzoeken sinds alles in één dossier staat.",
        "De kosten worden genoemd, de opbrengsten nooit.",
    ],
}


# Last year's plan was adopted and worked on: per dimension, the actions the client
# agreed (title, owner, months after the close of the 2025 scan). The first steps'
# actions are done, the next are under way, the last not started.
ACTIONS = {
    "D1": [
        ("Werkprocessen per afdeling naast het EPD leggen", "Procesregisseur", 3),
        ("Afwijkingen bespreken in het werkoverleg", "Teamleiders", 5),
    ],
    "D2": [
        ("Waarom van het EPD in één pagina voor alle medewerkers", "Programmamanager", 2),
        ("Doelen per afdeling vastleggen in het jaarplan", "Afdelingsmanagers", 4),
    ],
    "D3": [
        ("Per afdeling een proceseigenaar met mandaat benoemen", "Raad van bestuur", 2),
        ("Rollen key-users en applicatiebeheer vastleggen", "Informatiemanager", 4),
    ],
    "D4": [
        ("Vast overleg tussen zorg, ICT en leverancier", "Programmamanager", 2),
        ("Gezamenlijke retrospectives na elke release", "Scrum master EPD", 4),
    ],
    "D5": [
        ("Maandelijkse EPD-nieuwsbrief met wat er verandert", "Communicatieadviseur", 1),
        ("Spreekuur key-users op elke afdeling", "Key-usercoördinator", 3),
    ],
    "D6": [
        ("Opleidingsplan per rol, met oefenomgeving", "Opleidingscoördinator", 3),
        ("Nieuwe medewerkers binnen een week EPD-training", "HR-adviseur", 5),
    ],
    "D7": [
        ("Gebruik van het EPD per afdeling zichtbaar maken", "Informatieanalist", 3),
        ("Knelpunten uit de praktijk elke twee weken oppakken", "Key-usercoördinator", 4),
    ],
    "D8": [
        ("Overdracht naar beheer met een checklist afronden", "Applicatiebeheer", 2),
        ("Afspraken over storingen en wijzigingen vastleggen", "Servicemanager", 4),
    ],
    "D9": [
        ("Koppelingen met huisartsen en apotheken in kaart brengen", "Informatiearchitect", 3),
        ("Afspraken met ketenpartners over gegevensuitwisseling", "Ketenregisseur", 6),
    ],
    "D10": [
        ("Verbetervoorstellen uit de werkvloer in één backlog", "Productowner EPD", 3),
        ("Halfjaarlijkse evaluatie met de stuurgroep", "Programmamanager", 6),
    ],
    "D11": [
        ("Risicolijst EPD elk kwartaal bijwerken", "Risicomanager", 2),
        ("Prestatieafspraken met de leverancier herijken", "Contractmanager", 5),
    ],
    "D12": [
        ("Beloofde baten meetbaar maken en nulmeting doen", "Controller", 3),
        ("Batenrapportage aan de raad van bestuur", "Controller", 6),
    ],
}
ACTION_STEPS = ("done", "done", "doing", "open")  # status of the actions of steps 1, 2, 3, 4


def seed_demo() -> dict[str, int]:
    """Create the demo client, logins and responses. Refused when DEBUG is off."""
    if not settings.DEBUG:
        raise PermissionError("seed_demo only runs with DEBUG on; demo logins are unsafe.")
    model = selectors.maturity_model_current()
    if model is None:
        raise LookupError("Load the maturity model first: python manage.py load_maturity_model")
    with transaction.atomic():
        administrator = _user(ADMIN_EMAIL, "Eva", "Jansen", is_staff=True)
        consultant = _user(CONSULTANT_EMAIL, "Sanne", "de Vries", is_staff=False)
        manager = _user(MANAGER_EMAIL, "Pieter", "Bakker", is_staff=False)
        client, _ = Organization.objects.get_or_create(name=CLIENT_NAME)
        _branding(administrator, consultant, client)
        second, _ = Organization.objects.get_or_create(name=SECOND_CLIENT_NAME)
        for organization in (client, second):
            Membership.objects.get_or_create(
                user=consultant, organization=organization, role=Membership.Role.CONSULTANT
            )
        Membership.objects.get_or_create(
            user=manager, organization=client, role=Membership.Role.MANAGER
        )
        teams = {
            profile.name: Team.objects.get_or_create(organization=client, name=profile.name)[0]
            for profile in TEAMS
        }
        for name in ("Burgerzaken", "Sociaal domein", "Informatievoorziening"):
            Team.objects.get_or_create(organization=second, name=name)

        previous = _assessment(
            client,
            model,
            consultant,
            title="IM-scan EPD 2025",
            status=Assessment.Status.CLOSED,
            opens=datetime(2025, 10, 6, 9, 0, tzinfo=AMSTERDAM),
            closes=datetime(2025, 10, 31, 17, 0, tzinfo=AMSTERDAM),
            previous=None,
        )
        current = _assessment(
            client,
            model,
            consultant,
            title="IM-scan EPD 2026",
            status=Assessment.Status.OPEN,
            opens=datetime(2026, 11, 2, 9, 0, tzinfo=AMSTERDAM),
            closes=datetime(2026, 12, 18, 17, 0, tzinfo=AMSTERDAM),
            previous=previous,
            auto_mail=True,
        )
        _assessment(
            second,
            model,
            consultant,
            title="IM-scan zaaksysteem 2027",
            status=Assessment.Status.DRAFT,
            opens=datetime(2027, 1, 18, 9, 0, tzinfo=AMSTERDAM),
            closes=datetime(2027, 2, 12, 17, 0, tzinfo=AMSTERDAM),
            previous=None,
            subject=("het nieuwe zaaksysteem", "the new case management system"),
        )
        created = 0
        rng = random.Random(2026)
        for assessment, is_current in ((previous, False), (current, True)):
            if assessment.responses.exists():
                continue
            created += _responses(assessment, teams, rng, is_current=is_current)
            response_scores_refresh(assessment=assessment)  # as submitting does, per response
        if not previous.plan.exists():
            _worked_plan(previous, consultant)
        if not current.notes.exists():
            _notes(current, consultant)
    if not selectors.prepared_downloads(previous):  # a prepared file, as large exports leave
        download, _new = download_request(
            assessment=previous,
            kind=PreparedDownload.Kind.XLSX,
            in_progress=False,
            language="nl",
            filename=f"{export_name(previous)}-answers.xlsx",
            actor=consultant,
        )
        download_build(download=download)
    link = current.team_links.filter(team__name="Verpleegafdeling Noord").first()
    return {"responses_created": created, "team_link": link}


def _worked_plan(assessment: Assessment, consultant: User) -> None:
    """Adopt the cycle's plan and give its first steps the actions agreed with the client."""
    result = selectors.assessment_result(assessment)
    entries = plan_adopt(assessment=assessment, result=result, actor=consultant)
    closed = assessment.closes_at.date()
    for entry, status in zip(entries, ACTION_STEPS, strict=False):
        for title, owner, months in ACTIONS[entry.dimension.code]:
            action = action_add(
                entry=entry,
                title=title,
                owner=owner,
                due_date=_months_after(closed, months),
                actor=consultant,
            )
            if status != "open":
                action_status_set(action=action, status=status, actor=consultant)
    general = plan_entry_add(
        assessment=assessment,
        text="Herhaal de scan na een jaar en bespreek de uitkomsten met de stuurgroep.",
        dimension=None,
        actor=consultant,
    )
    follow_up = action_add(
        entry=general,
        title="Vervolgscan EPD 2026 inplannen",
        owner="Sanne de Vries (adviseur)",
        due_date=_months_after(closed, 11),
        actor=consultant,
    )
    action_status_set(action=follow_up, status="done", actor=consultant)  # it is running


def _notes(assessment: Assessment, consultant: User) -> None:
    """The consultant's summary and notes (fixtures/demo/notes.json), in both languages."""
    for subject, texts in json.loads((LOGOS / "notes.json").read_text(encoding="utf-8")).items():
        for language, text in texts.items():
            note_set(assessment=assessment, subject=subject, language=language, text=text,
                     actor=consultant)  # fmt: skip


def _branding(administrator: User, consultant: User, client: Organization) -> None:
    """The demo consultancy's look, and the client's logo on the report's cover."""
    if not Branding.objects.exists():
        branding_update(
            actor=administrator,
            name="Koers & Co Adviseurs",
            primary_colour="#1d4e89",
            accent_colour="#d97706",
            contact="Oudegracht 120, 3511 AX Utrecht\n030 123 45 67 · info@koersenco.example",
            sign_off_nl="Met vriendelijke groet,\nKoers & Co Adviseurs",
            sign_off_en="Kind regards,\nKoers & Co Adviseurs",
            logo_data=(LOGOS / "koers-en-co.svg").read_bytes(),
        )
    if client.logo_id is None:
        logo = (LOGOS / "zorggroep-de-linde.svg").read_bytes()
        organization_logo_set(organization=client, actor=consultant, logo_data=logo)


def _months_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _user(email: str, first: str, last: str, *, is_staff: bool) -> User:
    """A demo login; ``is_staff`` makes it an administrator."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first, "last_name": last, "is_staff": is_staff,
                  "is_superuser": is_staff},
    )  # fmt: skip
    if created:
        user.set_password(settings.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _assessment(
    organization: Organization,
    model: MaturityModel,
    consultant: User,
    *,
    title: str,
    status: str,
    opens: datetime,
    closes: datetime,
    previous: Assessment | None,
    subject: tuple[str, str] = ("het nieuwe EPD", "the new electronic health record"),
    auto_mail: bool = False,
) -> Assessment:
    phases = {phase.code: phase for phase in model.phases.all()}
    assessment, created = Assessment.objects.get_or_create(
        organization=organization,
        title=title,
        defaults={
            "maturity_model": model,
            "status": status,
            "opens_at": opens,
            "closes_at": closes,
            "previous": previous,
            "subject_nl": subject[0],
            "subject_en": subject[1],
            "target_phase": phases.get("IM-2.2"),
            "claimed_phase": phases.get("IM-2.2"),
            "created_by": consultant,
            "created_at": opens - timedelta(days=14),
            "auto_mail": auto_mail,
        },
    )
    if created:
        AssessmentTarget.objects.bulk_create(
            AssessmentTarget(
                assessment=assessment,
                dimension=dimension,
                level=dimension.expected_levels.get("IM-2.2", 3),
            )
            for dimension in model.dimensions.all()
        )
        for team in organization.teams.all():
            team_link_create(assessment=assessment, team=team, actor=consultant)
    return assessment


def _responses(
    assessment: Assessment, teams: dict[str, Team], rng: random.Random, *, is_current: bool
) -> int:
    questions = list(
        Question.objects.filter(model=assessment.maturity_model).select_related("dimension")
    )
    choices: dict[int, list[Choice]] = {}
    for choice in Choice.objects.filter(question__model=assessment.maturity_model):
        choices.setdefault(choice.question_id, []).append(choice)
    for options in choices.values():
        options.sort(key=lambda c: c.order)
    answers: list[Answer] = []
    count = 0
    links = {link.team_id: link for link in assessment.team_links.filter(revoked_at__isnull=True)}
    for profile in TEAMS:
        team = teams[profile.name]
        size = profile.size_current if is_current else profile.size_previous
        submitted = profile.submitted_current if is_current else size
        for index in range(size):
            start = assessment.opens_at + timedelta(
                days=rng.uniform(0, 12), hours=rng.uniform(0, 8)
            )
            invitation = None
            if index % 2 == 0:
                slug = profile.name.lower().replace(" & ", "-").replace(" ", "-")
                salt = salt_new()
                invitation = Invitation.objects.create(
                    assessment=assessment,
                    team=team,
                    token_salt=salt,
                    token_hash=token_hash(token_for_salt("invitation", salt)),
                    email=f"{slug}.{index + 1}@de-linde.example",
                    sent_at=assessment.opens_at,
                    created_at=assessment.opens_at - timedelta(days=1),
                )
            # The others came in through their team's link.
            link = None if invitation else links.get(team.pk)
            response = Response.objects.create(
                assessment=assessment,
                team=team,
                invitation=invitation,
                team_link=link,
                resume_token_hash=token_new()[1],
                language="en" if rng.random() < 0.12 else "nl",
                started_at=start,
                last_activity_at=start + timedelta(minutes=rng.uniform(8, 20)),
                submitted_at=(
                    start + timedelta(minutes=rng.uniform(9, 22)) if index < submitted else None
                ),
            )
            role = profile.roles[index % len(profile.roles)]
            # Unfinished responses stop somewhere in the questionnaire.
            cutoff = (
                len(questions) if response.submitted_at else rng.randint(4, len(questions) // 2)
            )
            answers.extend(
                _answers_for(response, questions[:cutoff], choices, profile, role, rng, is_current)
            )
            count += 1
    Answer.objects.bulk_create(answers)
    for link in links.values():
        TeamLink.objects.filter(pk=link.pk).update(uses=link.responses.count())
    return count


def _answers_for(response, questions, choices, profile, role, rng, is_current):
    shift = 0.0 if is_current else -0.6  # the previous cycle was less mature
    divided = rng.random() < 0.5  # D4 splits the nursing teams into two camps
    for question in questions:
        options = choices.get(question.pk, [])
        answer = Answer(response=response, question=question, updated_at=response.last_activity_at)
        if question.kind == Question.Kind.CONTEXT:
            answer.choice = _context_choice(question.code, options, role, rng)
        elif question.kind == Question.Kind.TEXT:
            if rng.random() > 0.3:
                continue
            answer.text = rng.choice(
                [
                    "Meer tijd voor key users om collega's te helpen.",
                    "Duidelijke afspraken over wie wijzigingen mag doorvoeren.",
                    "Eén plek waar werkinstructies actueel staan.",
                ]
                if question.code == "T1"
                else [
                    "Het dossier is altijd en overal in te zien.",
                    "De samenwerking met functioneel beheer is prettig.",
                ]
            )
        else:
            code = question.dimension.code
            level = profile.levels[code] + shift
            if code == "D4" and not profile.name.startswith("Management"):
                level = 1.5 if divided else 4.4  # two camps: "nothing changed" vs "all new"
            dont_know = 0.22 if code in {"D11", "D12"} and role == "end_user" else 0.05
            if rng.random() < dont_know:
                answer.special = Answer.Special.DONT_KNOW
            elif question.allow_not_applicable and code == "D9" and rng.random() < 0.08:
                answer.special = Answer.Special.NOT_APPLICABLE
            elif question.kind == Question.Kind.LEVEL:
                value = min(6, max(1, round(rng.gauss(level, 0.75))))
                answer.choice = options[value - 1]
                if code in COMMENTS and rng.random() < 0.12:
                    answer.comment = rng.choice(COMMENTS[code])
            else:
                point = min(5, max(1, round(rng.gauss((level - 1) / 1.25 + 1, 0.8))))
                if question.reverse_keyed:
                    point = 6 - point
                answer.choice = options[point - 1]
        yield answer


def _context_choice(code, options, role, rng):
    by_code = {option.code: option for option in options}
    if code == "C1":
        return by_code.get(role) or options[0]
    if code == "C2":
        return by_code[rng.choice(["3_12m", "3_12m", "gt_12m", "lt_3m"])]
    return by_code[rng.choice(["IM-2.1", "IM-2.2", "IM-2.2", "IM-2.3", "dont_know"])]
