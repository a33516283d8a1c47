"""Writes: each use case is one function with keyword arguments, in one transaction."""

from .engagements import *  # noqa: F403
from .plans import *  # noqa: F403
from .respondents import *  # noqa: F403
