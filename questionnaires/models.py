"""Data of IM Assess: the maturity model content and the engagements that use it.

Content texts are stored as explicit ``<field>_nl`` / ``<field>_en`` columns;
the property without suffix returns the text in the active language (falling
back to Dutch). Workflows live in services, not here.
"""

from decimal import Decimal

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

CONTENT_LANGUAGES = ("nl", "en")
LEVELS = range(1, 7)


def translated(field: str) -> property:
    """A read-only property that picks ``<field>_<active language>``, else Dutch."""

    def getter(self):
        language = (get_language() or "nl")[:2]
        if language not in CONTENT_LANGUAGES:
            language = "nl"
        return getattr(self, f"{field}_{language}") or getattr(self, f"{field}_nl")

    getter.__name__ = field
    return property(getter)


# --- Accounts -------------------------------------------------------------------------


class EmailUserManager(UserManager):
    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        # Addresses are stored in lower case; "Anna@Klant.nl" logs in as anna@klant.nl.
        return self.get(email=(username or "").strip().lower())

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A consultant, a client manager or an administrator; respondents have no account."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


# --- Maturity model content -------------------------------------------------------------


class MaturityModel(models.Model):
    code = models.SlugField(_("code"), max_length=60)
    version = models.CharField(_("version"), max_length=20)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"))
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    content_hash = models.CharField(max_length=64, editable=False, blank=True)
    likert_labels = models.JSONField(
        _("Likert scale labels"),
        default=dict,
        help_text=_("Five labels per language, from 'strongly disagree' to 'strongly agree'."),
    )

    name = translated("name")
    description = translated("description")

    class Meta:
        verbose_name = _("maturity model")
        verbose_name_plural = _("maturity models")
        ordering = ["code", "-published_at", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_model_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    @property
    def is_locked(self) -> bool:
        """A published version that an assessment uses can no longer change."""
        return self.is_published and self.assessments.exists()


class Phase(models.Model):
    model = models.ForeignKey(MaturityModel, on_delete=models.CASCADE, related_name="phases")
    code = models.CharField(_("code"), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"))
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"))

    name = translated("name")
    description = translated("description")

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["model", "order"]
        constraints = [
            models.UniqueConstraint(fields=["model", "code"], name="unique_phase_code"),
            models.UniqueConstraint(fields=["model", "order"], name="unique_phase_order"),
        ]

    def __str__(self) -> str:
        return self.name


class Level(models.Model):
    model = models.ForeignKey(MaturityModel, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(
        pgettext_lazy("maturity", "level"),
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    name_nl = models.CharField(_("name (Dutch)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    tagline_nl = models.CharField(_("tagline (Dutch)"), max_length=160)
    tagline_en = models.CharField(_("tagline (English)"), max_length=160)
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"))

    name = translated("name")
    tagline = translated("tagline")
    description = translated("description")

    class Meta:
        verbose_name = pgettext_lazy("maturity", "level")
        verbose_name_plural = pgettext_lazy("maturity", "levels")
        ordering = ["model", "number"]
        constraints = [
            models.UniqueConstraint(fields=["model", "number"], name="unique_level_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=6), name="level_number_1_to_6"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Dimension(models.Model):
    model = models.ForeignKey(MaturityModel, on_delete=models.CASCADE, related_name="dimensions")
    code = models.CharField(_("code"), max_length=10)
    order = models.PositiveSmallIntegerField(_("order"))
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    short_name_nl = models.CharField(_("short name (Dutch)"), max_length=40)
    short_name_en = models.CharField(_("short name (English)"), max_length=40)
    definition_nl = models.TextField(_("definition (Dutch)"))
    definition_en = models.TextField(_("definition (English)"))
    main_phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="+", verbose_name=_("main phase")
    )
    expected_levels = models.JSONField(
        _("expected level per phase"),
        default=dict,
        help_text=_("Minimum level expected after each IM phase; the default targets."),
    )

    name = translated("name")
    short_name = translated("short_name")
    definition = translated("definition")

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["model", "order"]
        constraints = [
            models.UniqueConstraint(fields=["model", "code"], name="unique_dimension_code"),
            models.UniqueConstraint(fields=["model", "order"], name="unique_dimension_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LevelDescriptor(models.Model):
    """What a dimension looks like at one level; also the options of its level item."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="descriptors")
    level = models.PositiveSmallIntegerField(
        pgettext_lazy("maturity", "level"),
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    text_nl = models.TextField(_("text (Dutch)"))
    text_en = models.TextField(_("text (English)"))
    evidence_nl = models.CharField(_("evidence hint (Dutch)"), max_length=200)
    evidence_en = models.CharField(_("evidence hint (English)"), max_length=200)

    text = translated("text")
    evidence = translated("evidence")

    class Meta:
        verbose_name = _("level descriptor")
        verbose_name_plural = _("level descriptors")
        ordering = ["dimension", "level"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "level"], name="unique_descriptor_level"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=6), name="descriptor_level_1_to_6"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension.code} {self.level}"


class Question(models.Model):
    class Kind(models.TextChoices):
        LEVEL = "level", _("Which statement fits best (levels 1–6)")
        LIKERT = "likert", _("Agreement on a 5-point scale")
        TEXT = "text", _("Open answer")
        CONTEXT = "context", _("Context question (not scored)")

    model = models.ForeignKey(MaturityModel, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"))
    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.CASCADE,
        related_name="questions",
        null=True,
        blank=True,
        verbose_name=_("dimension"),
    )
    phase = models.ForeignKey(
        Phase,
        on_delete=models.CASCADE,
        related_name="questions",
        null=True,
        blank=True,
        verbose_name=_("phase"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text_nl = models.TextField(_("question (Dutch)"))
    text_en = models.TextField(_("question (English)"))
    help_nl = models.TextField(_("help text (Dutch)"), blank=True)
    help_en = models.TextField(_("help text (English)"), blank=True)
    reverse_keyed = models.BooleanField(
        _("reverse-keyed"),
        default=False,
        help_text=_("Agreement means less mature; the score is mirrored."),
    )
    allow_not_applicable = models.BooleanField(_("'not applicable' allowed"), default=False)

    text = translated("text")
    help = translated("help")

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["model", "order"]
        constraints = [
            models.UniqueConstraint(fields=["model", "code"], name="unique_question_code"),
            models.UniqueConstraint(fields=["model", "order"], name="unique_question_order"),
            models.CheckConstraint(
                condition=Q(reverse_keyed=False) | Q(kind="likert"),
                name="only_likert_reverse_keyed",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["context", "text"]) | Q(dimension__isnull=False),
                name="scored_question_has_dimension",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["context", "text"]) | Q(phase__isnull=False),
                name="scored_question_has_phase",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_scored(self) -> bool:
        return self.kind in {self.Kind.LEVEL, self.Kind.LIKERT}


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    code = models.CharField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    label_nl = models.TextField(_("label (Dutch)"))
    label_en = models.TextField(_("label (English)"))
    score = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Position on the 1–6 scale before reverse keying; empty for context."),
    )

    label = translated("label")

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="unique_choice_code"),
            models.UniqueConstraint(fields=["question", "order"], name="unique_choice_order"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=Decimal(1), score__lte=Decimal(6)),
                name="choice_score_1_to_6",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.code}"


class Advice(models.Model):
    """What to do to move a dimension from ``from_level`` to the next level."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="advice")
    from_level = models.PositiveSmallIntegerField(
        _("from level"), validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    text_nl = models.TextField(_("advice (Dutch)"))
    text_en = models.TextField(_("advice (English)"))

    text = translated("text")

    class Meta:
        verbose_name = _("advice")
        verbose_name_plural = _("advice")
        ordering = ["dimension", "from_level"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "from_level"], name="unique_advice_level"),
            models.CheckConstraint(
                condition=Q(from_level__gte=1, from_level__lte=6), name="advice_level_1_to_6"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension.code} {self.from_level}"


# --- Engagements ------------------------------------------------------------------------


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_team_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", _("Client manager")
        CONSULTANT = "consultant", _("Consultant")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="unique_membership"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} ({self.get_role_display()})"


def default_languages() -> list[str]:
    return ["nl", "en"]


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="assessments"
    )
    maturity_model = models.ForeignKey(
        MaturityModel,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("maturity model version"),
    )
    title = models.CharField(_("title"), max_length=200)
    subject_nl = models.CharField(
        _("system or change (Dutch)"),
        max_length=120,
        default="het nieuwe systeem",
        help_text=_("Inserted into the questions, e.g. 'het EPD'."),
    )
    subject_en = models.CharField(
        _("system or change (English)"), max_length=120, default="the new system"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    languages = models.JSONField(_("languages offered"), default=default_languages)
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold"), default=5, validators=[MinValueValidator(3)]
    )
    comment_threshold = models.PositiveSmallIntegerField(
        _("comment threshold"), default=5, validators=[MinValueValidator(3)]
    )
    scoring_parameters = models.JSONField(_("scoring parameters"), default=dict, blank=True)
    target_phase = models.ForeignKey(
        Phase,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("phase the client aims at"),
    )
    claimed_phase = models.ForeignKey(
        Phase,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("official phase"),
    )
    auto_mail = models.BooleanField(
        _("send invitations and reminders automatically"),
        default=False,
        help_text=_(
            "Once the assessment is open, invitations not sent yet go out, and people who "
            "have not submitted get a reminder every three days, at most three times."
        ),
    )
    comments_released = models.BooleanField(
        _("comments released to managers"),
        default=False,
        help_text=_("Anonymous examples are shown to managers only after the consultant's review."),
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        related_name="next_cycles",
        null=True,
        blank=True,
        verbose_name=_("previous assessment"),
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    subject = translated("subject")

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["organization", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymity_threshold__gte=3), name="anonymity_threshold_at_least_3"
            ),
            models.CheckConstraint(
                condition=Q(comment_threshold__gte=3), name="comment_threshold_at_least_3"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="assessment_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=~Q(previous=models.F("pk")), name="assessment_not_its_own_previous"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assessment-dashboard", args=[self.pk])


class AssessmentTarget(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="targets")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("target level"), validators=[MinValueValidator(1), MaxValueValidator(6)]
    )

    class Meta:
        verbose_name = _("target level")
        verbose_name_plural = _("target levels")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "dimension"], name="unique_target"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=6), name="target_level_1_to_6"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.dimension.code} → {self.level}"


class Invitation(models.Model):
    """A personal survey link. Only the SHA-256 of the token is stored."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="invitations")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_salt = models.CharField(max_length=32, blank=True, editable=False)
    email = models.EmailField(_("e-mail address"), blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, default="nl")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["assessment", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "email"],
                condition=~Q(email=""),
                name="unique_invitation_email",
            ),
        ]

    def __str__(self) -> str:
        return self.email or self.name or _("invitation %(pk)s") % {"pk": self.pk}


class TeamLink(models.Model):
    """A shared link for one team; each visitor gets a response of their own."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="team_links")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_salt = models.CharField(max_length=32, blank=True, editable=False)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("uses"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("team link")
        verbose_name_plural = _("team links")
        ordering = ["assessment", "team"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(uses__lte=models.F("capacity")),
                name="team_link_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.team}"


class Response(models.Model):
    """One respondent's answers. Found by its resume token, never by primary key."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="response"
    )
    team_link = models.ForeignKey(
        TeamLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    resume_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=5, default="nl")
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The highest save sequence seen; pages start their autosave counter here.
    save_counter = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["assessment", "started_at"]
        indexes = [models.Index(fields=["assessment", "submitted_at"])]

    def __str__(self) -> str:
        return _("response %(pk)s") % {"pk": self.pk}

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Answer(models.Model):
    class Special(models.TextChoices):
        NONE = "", _("Answered")
        DONT_KNOW = "dont_know", _("Don't know")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.ForeignKey(
        Choice, on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    special = models.CharField(max_length=20, choices=Special.choices, default="", blank=True)
    text = models.TextField(_("answer"), blank=True)
    comment = models.TextField(_("example or comment"), blank=True)
    # Autosave carries an increasing number per response so a late, stale save
    # can never overwrite a newer answer.
    sequence = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(choice__isnull=True) | Q(special=""),
                name="answer_choice_or_special",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} · {self.question.code}"


AUDIT_LABELS = {
    "organisation created": _("Client added"),
    "organisation renamed": _("Client renamed"),
    "team created": _("Team added"),
    "team renamed": _("Team renamed"),
    "assessment created": _("Assessment created"),
    "assessment changed": _("Assessment settings changed"),
    "assessment opened": _("Assessment opened"),
    "assessment closed": _("Assessment closed"),
    "assessment reopened": _("Assessment reopened"),
    "team link created": _("Team link created"),
    "team link revoked": _("Team link revoked"),
    "people invited": _("People added"),
    "invitations sent": _("Invitations sent"),
    "reminders sent": _("Reminders sent"),
    "manager invited": _("Manager invited"),
    "manager access revoked": _("Manager access revoked"),
    "response erased": _("Response erased"),
    "plan adopted": _("Improvement plan adopted"),
    "plan changed": _("Improvement plan changed"),
    "action added": _("Action item added"),
    "action status changed": _("Action status changed"),
    "comments released": _("Comments released to managers"),
    "comments withdrawn": _("Comments withdrawn from managers"),
}


class AuditEntry(models.Model):
    """What a consultant changed, and when. Never holds erased answers."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="audit_entries"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True)
    action = models.CharField(_("action"), max_length=60)
    detail = models.TextField(_("detail"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def action_label(self) -> str:
        return str(AUDIT_LABELS.get(self.action, self.action))


class PlanEntry(models.Model):
    """One step of the improvement plan, once the consultant has adopted the plan."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="plan")
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    from_level = models.PositiveSmallIntegerField(null=True, blank=True)
    # Empty while the step shows the library advice (in the reader's language).
    text = models.TextField(_("advice"), blank=True)
    shared_picture_first = models.BooleanField(default=False)
    is_manual = models.BooleanField(
        _("changed by the consultant"),
        default=False,
        help_text=_("Written or edited by hand rather than taken from the advice library."),
    )
    is_barrier = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        ordering = ["assessment", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:40]}"


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DOING = "doing", _("In progress")
        DONE = "done", _("Done")

    entry = models.ForeignKey(PlanEntry, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("owner"), max_length=120, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["entry", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title
