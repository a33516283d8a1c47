"""The engagement: client organisations, their teams and members, and the assessments
run for them with their target levels."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import User
from .branding import Logo
from .content import Dimension, MaturityModel, Phase, translated


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    # The client's own logo beside the consultancy's on the report's cover.
    logo = models.ForeignKey(
        Logo, verbose_name=_("logo"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
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
    # The report's sections the consultant left out (reports.SECTIONS); new ones show.
    report_left_out = models.JSONField(_("report sections left out"), default=list, blank=True)
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
    released_through = models.DateTimeField(
        _("results released up to"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Set when answering starts again after closing: the results shown at closing "
            "stay, and later responses join them in steps of the anonymity threshold."
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
