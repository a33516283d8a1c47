from . import access


def roles(request):
    """Whether to show the workspace link; evaluated only when a template asks."""
    user = getattr(request, "user", None)
    return {"is_consultant": lambda: user is not None and access.is_consultant(user)}
