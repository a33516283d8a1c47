"""Who may see what: the one place every view asks."""

from django.http import HttpRequest

from .models import Response

RESPONSE_SESSION_KEY = "im_assess_response"


def respondent_bind(request: HttpRequest, response: Response) -> None:
    """Tie this browser session to one response; the link's token stays out of the URL."""
    request.session[RESPONSE_SESSION_KEY] = response.pk


def respondent_response(request: HttpRequest) -> Response | None:
    """The response this session answers, or None (no link used, or the session expired)."""
    pk = request.session.get(RESPONSE_SESSION_KEY)
    if not isinstance(pk, int):
        return None
    return (
        Response.objects.select_related(
            "assessment__organization", "assessment__maturity_model", "team"
        )
        .filter(pk=pk)
        .first()
    )
