"""Survey tokens never reach a log line.

Django logs the path of every 4xx/5xx answer ("Not Found: /s/<token>/"), and
gunicorn's access log writes each request line. This filter, on every handler,
replaces the token part of a survey link before the line is written.
"""

import logging
import re

TOKEN_PATH = re.compile(r"/s/[^/\s?\"']+")
REDACTED = "/s/[token]"


def redact(text: str) -> str:
    return TOKEN_PATH.sub(REDACTED, text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/s/" in message:
            record.msg = redact(message)
            record.args = ()
        return True
