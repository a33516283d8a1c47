"""Reads: scoped querysets and plain data, one module per purpose, every name here.

- ``content``: the maturity model's content (current version, dimensions, questions)
- ``results``: the scoring input and the one cached ``AssessmentResult``
- ``survey``: the respondent's questionnaire pages, answers and progress
- ``overviews``: the workspace's and the dashboards' lists and response rates
- ``stories``: ``story_data``, the one read every story is built from
"""

from .content import *  # noqa: F403
from .overviews import *  # noqa: F403
from .results import *  # noqa: F403
from .stories import *  # noqa: F403
from .survey import *  # noqa: F403
