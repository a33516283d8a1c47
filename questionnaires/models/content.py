"""The maturity model as versioned content: levels, phases, dimensions with their
descriptors and advice, questions and choices.

Content texts are stored as explicit ``<field>_nl`` / ``<field>_en`` columns;
the property without suffix returns the text in the active language (falling
back to Dutch).
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
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
