from django.utils.functional import SimpleLazyObject

from . import access, brand


def roles(request):
    """Whether to show the workspace link; evaluated only when a template asks."""
    user = getattr(request, "user", None)
    return {"is_consultant": lambda: user is not None and access.is_consultant(user)}


def branding(request):
    """The installation's branding (``brand.Brand``), read when a template asks."""
    return {"brand": SimpleLazyObject(brand.current)}
