"""The consultancy that runs this installation, as its clients see it: name, logo,
colours, contact details and sign-off; and the logos themselves, stored as we cleaned
them (never a URL to fetch)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import User
from .content import translated


class Logo(models.Model):
    """An uploaded logo as stored: a re-encoded PNG or a cleaned SVG (questionnaires.logos).
    Its digest names it in its URL, so a new logo is a new address and caches never
    show an old one."""

    digest = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=40)
    data = models.BinaryField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("logo")
        verbose_name_plural = _("logos")

    def __str__(self) -> str:
        return f"{self.content_type} {self.width}×{self.height}"

    @property
    def extension(self) -> str:
        return "svg" if self.content_type == "image/svg+xml" else "png"


class Branding(models.Model):
    """One row (``pk=1``); without it, or with its fields empty, the product's own look."""

    name = models.CharField(_("name of the consultancy"), max_length=120, blank=True)
    logo = models.ForeignKey(
        Logo, verbose_name=_("logo"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    primary_colour = models.CharField(_("main colour"), max_length=7, blank=True)
    accent_colour = models.CharField(_("second colour"), max_length=7, blank=True)
    contact = models.TextField(_("contact details"), max_length=600, blank=True)
    sign_off_nl = models.TextField(_("sign-off (Dutch)"), max_length=600, blank=True)
    sign_off_en = models.TextField(_("sign-off (English)"), max_length=600, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    sign_off = translated("sign_off")

    class Meta:
        verbose_name = _("branding")
        verbose_name_plural = _("branding")

    def __str__(self) -> str:
        return self.name or "IM Assess"
