"""The consultant's small safe format: paragraphs, **bold**, *italics* and lists.

Written as plain text with Markdown's marks; turned into HTML by markdown-it with raw
HTML switched off (a tag typed is shown as text) and only the rules of that format on,
then cleaned by nh3 (ammonia) to exactly those elements, without any attribute. The
same HTML goes into the dashboard and the PDF; slides and e-mails take the plain text.
"""

import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = {"p", "strong", "em", "ul", "ol", "li", "br"}
MAX_LENGTH = 5000

# CommonMark with raw HTML off, and only paragraphs, emphasis, lists and line breaks.
_parser = MarkdownIt("zero", {"html": False, "breaks": True}).enable(
    ["emphasis", "list", "newline", "escape"]
)


def html(text: str) -> SafeString:
    """The note as HTML that is safe to put in any page or report."""
    rendered = _parser.render(text or "")
    return mark_safe(nh3.clean(rendered, tags=TAGS, attributes={}, link_rel=None))


def plain(text: str) -> str:
    """The note without its marks, for slides and plain-text e-mail."""
    stripped = re.sub(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1", r"\2", text or "")
    return re.sub(r"^\s*[-*+]\s+", "• ", stripped, flags=re.M).strip()
