"""Writes: each use case is one function with keyword arguments, in one transaction.

One module per entity, every public name importable from here:
- ``organizations``: clients and their teams
- ``branding``: the installation's consultancy (name, logo, colours) and a client's logo
- ``assessments``: assessments, their targets and life cycle, the next cycle
- ``links``: team links and the links of invitations
- ``invitations``: importing people, invitation and reminder mail, scheduled mail
- ``managers``: client managers' access
- ``privacy``: erasing a respondent's answers
- ``respondents``: a respondent's response, answers and submission
- ``plans``: the adopted improvement plan and its action items
- ``notes``: the consultant's summary and notes, per language
- ``scores``: each submitted response's profile, stored once (``ResponseScores``)
- ``downloads``: large exports, written in chunks by a task (``PreparedDownload``)
- ``audit``: the audit log entry every write records
"""

from .assessments import *  # noqa: F403
from .audit import *  # noqa: F403
from .branding import *  # noqa: F403
from .downloads import *  # noqa: F403
from .invitations import *  # noqa: F403
from .links import *  # noqa: F403
from .managers import *  # noqa: F403
from .notes import *  # noqa: F403
from .organizations import *  # noqa: F403
from .plans import *  # noqa: F403
from .privacy import *  # noqa: F403
from .respondents import *  # noqa: F403
from .scores import *  # noqa: F403
