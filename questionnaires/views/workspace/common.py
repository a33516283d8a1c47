"""What every workspace screen shares: the site's base URL and a refused change's message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _fail(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))
