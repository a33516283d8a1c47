"""The installation's branding and a client's own logo."""

from django.db import transaction
from django.utils import timezone

from .. import brand, logos
from ..models import Branding, Logo, Organization, User
from .audit import audit_record


def logo_store(*, data: bytes) -> Logo:
    """The cleaned logo, stored once however often it is uploaded (ValidationError when
    it is not one we take: ``logos.logo_clean``)."""
    clean = logos.logo_clean(data)
    logo, _created = Logo.objects.get_or_create(
        digest=clean.digest,
        defaults={
            "content_type": clean.content_type,
            "data": clean.data,
            "width": clean.width,
            "height": clean.height,
        },
    )
    return logo


@transaction.atomic
def branding_update(
    *,
    actor: User,
    name: str,
    primary_colour: str,
    accent_colour: str,
    contact: str,
    sign_off_nl: str,
    sign_off_en: str,
    logo_data: bytes | None = None,
    logo_remove: bool = False,
) -> Branding:
    """Set what every page, report, deck and e-mail shows of the consultancy. Colours
    are checked for contrast on white (``brand.colour_clean``)."""
    branding, _created = Branding.objects.select_for_update().get_or_create(pk=1)
    branding.name = name.strip()
    branding.primary_colour = brand.colour_clean(primary_colour, needed=brand.TEXT_CONTRAST)
    branding.accent_colour = brand.colour_clean(accent_colour, needed=brand.GRAPHIC_CONTRAST)
    branding.contact = contact.strip()
    branding.sign_off_nl = sign_off_nl.strip()
    branding.sign_off_en = sign_off_en.strip()
    if logo_data is not None:
        branding.logo = logo_store(data=logo_data)
    elif logo_remove:
        branding.logo = None
    branding.updated_at = timezone.now()
    branding.updated_by = actor
    branding.save()
    # Forgotten now for this request's next read, and again once others can read it.
    brand.forget()
    transaction.on_commit(brand.forget)
    return branding


@transaction.atomic
def organization_logo_set(
    *, organization: Organization, actor: User, logo_data: bytes | None
) -> Organization:
    """Give the client its own logo for the report's cover, or take it away (None)."""
    logo = None if logo_data is None else logo_store(data=logo_data)
    organization.logo = logo
    organization.save(update_fields=["logo"])
    detail = f"{logo.content_type} {logo.width}×{logo.height}" if logo else "–"
    audit_record(
        organization=organization, actor=actor, action="client logo changed", detail=detail
    )
    return organization
