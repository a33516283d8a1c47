"""Gunicorn settings for IM Assess: ``gunicorn -c im_assess/gunicorn.conf.py im_assess.wsgi``.

Workers and threads come from the environment (docs/deployment.md gives the
sizing). The access log goes through the same filter as the app's own logs, so a
survey link's token never lands in a log file.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests: caps slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "questionnaires.logfilters.RedactTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_tokens"],
            "stream": "ext://sys.stdout",
        },
        "error_console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_tokens"],
            "stream": "ext://sys.stderr",
        },
    },
    "loggers": {
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["error_console"], "level": "INFO", "propagate": False},
    },
}
