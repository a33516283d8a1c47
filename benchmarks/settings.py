"""The app's settings with the floor views' URLs added (benchmarks/urls.py): for the
benchmarks' own gunicorn only."""

from im_assess.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
