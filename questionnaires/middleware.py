"""Request guards: NUL bytes refused everywhere; staff sessions limited in time; nothing
personal kept by a shared or back-button cache.

Session limits for staff and client managers: 30 minutes idle, 12 hours in all.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

STARTED = "im_assess_auth_started"
SEEN = "im_assess_auth_seen"


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.get(STARTED, now)
            seen = request.session.get(SEEN, now)
            idle = now - seen > settings.SESSION_IDLE_SECONDS
            expired = now - started > settings.SESSION_ABSOLUTE_SECONDS
            if idle or expired:
                logout(request)  # flushes the session and rotates its key
                messages.info(
                    request,
                    _("You were logged out after 30 minutes without activity.")
                    if idle
                    else _("You were logged out after 12 hours. Please log in again."),
                )
                return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}")
            request.session[STARTED] = started
            request.session[SEEN] = now
        return self.get_response(request)


QUESTIONNAIRE_PATH = "/survey/"


class RejectNulBytesMiddleware:
    """A NUL byte has no place in any field: refuse the request before a view sees it.

    Django's form fields refuse NUL already; this also covers the few values read
    straight from the query string or the posted form, which PostgreSQL would
    otherwise refuse with a server error. Nothing is saved; the 400 page says so.
    The questionnaire's own forms are left to say it at the field, with the rest
    of the page kept as typed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (
            request.method == "POST"
            and not request.path.startswith(QUESTIONNAIRE_PATH)
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
            and _has_nul(request.POST)
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values)
               for key, values in query.lists())  # fmt: skip


SURVEY_PATHS = ("/s/", "/survey/")


class NoStoreMiddleware:
    """Every page for a logged-in user (live team links, invitees' addresses, results) and
    every survey page says ``Cache-Control: no-store``: neither a shared cache nor the
    back button on a shared computer keeps it. Static files are served before this (by
    WhiteNoise) and keep their long cache; public pages for visitors stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith(SURVEY_PATHS):
            patch_cache_control(response, no_store=True, private=True)
        return response
