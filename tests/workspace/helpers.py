"""What several workspace tests do: read the survey links out of a text, invite people."""

import re

from questionnaires import services


def _links(text):
    return re.findall(r"https?://[^\s]+/s/[\w-]+/", text)


def _invite(assessment, consultant, *emails):
    rows = services.invitation_rows_parse(
        assessment=assessment, text="\n".join(f"{e},,Polikliniek" for e in emails)
    )
    return services.invitations_create(assessment=assessment, rows=rows, actor=consultant)
