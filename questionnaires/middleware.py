"""Session limits for staff and client managers: 30 minutes idle, 12 hours in all."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
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
