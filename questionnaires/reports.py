"""The PDF advice report: the only module that imports WeasyPrint.

`render_assessment_pdf` returns the bytes; the download view and the
`render_report` command both call it. Rendering is sandboxed: the URL fetcher
serves only the project's own static files and `data:` URLs, and every free
text reaches the template as escaped text, so a hostile comment can neither
fetch anything nor embed a file.
"""

import hashlib
import json
import mimetypes
import threading
import time
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from . import brand, presentation, scoring, visuals
from .models import Assessment, Membership
from .performance import collector_paused

STATIC_BASE = "https://report.im-assess.invalid/static/"
TEMPLATE_VERSION = "2026.12-4"  # bump when the print templates change
CACHE_SECONDS = 60 * 60 * 24


class ReportError(Exception):
    pass


# The sections a consultant can leave out of the report, in the report's order.
SECTIONS = (
    ("summary", _("Summary (and your management summary)")),
    ("model", _("What IM maturity means")),
    ("profile", _("The maturity profile")),
    ("trend", _("The trend across the cycles")),
    ("dimensions", _("Per dimension")),
    ("plan", _("Improvement plan")),
    ("groups", _("Teams, roles and divided statements")),
    ("open_answers", _("Examples and open answers from respondents")),
    ("method", _("Appendix: method and figures")),
)


def sections_of(assessment: Assessment) -> list[str]:
    left_out = set(assessment.report_left_out or [])
    return [key for key, _label in SECTIONS if key not in left_out]


class StaticOnlyFetcher(URLFetcher):
    """Serves our own static files and data: URLs; refuses everything else."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_BASE):
            relative = url[len(STATIC_BASE) :].split("?", 1)[0].split("#", 1)[0]
            path = finders.find(relative) if ".." not in Path(relative).parts else None
            if path:
                content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, body=Path(path).read_bytes(), headers={"Content-Type": content_type}
                )
        raise ValueError(f"the report may not fetch {url[:80]}")


def _cache_key(assessment: Assessment, story: dict, language: str, *, drafts: bool = True) -> str:
    """The key of everything the report shows. ``drafts=False`` leaves out which version
    was issued last (a draft's stamp names it): the inputs an issued version records."""
    plan = [
        (row["text"], row["is_manual"], [(a.title, a.owner, str(a.due_date), a.status)
                                          for a in row["actions"]])
        for row in story.get("top", [])
    ]  # fmt: skip
    inputs = {
        "version": TEMPLATE_VERSION,
        "language": language,
        "assessment": [
            assessment.pk,
            assessment.title,
            assessment.status,
            assessment.comments_released,
            str(assessment.closes_at),
            assessment.organization.name,
        ],
        "brand": [brand.current().stamp, assessment.organization.logo_id],
        "sections": sections_of(assessment),
        "notes": [
            story.get("summary_note", ""),
            [row.get("note", "") for row in story.get("rows", [])],
            [row.get("note", "") for row in story.get("top", [])],
        ],
        "result": scoring.as_plain(story["result"]),
        "rates": [(r.team, r.invited, r.submitted, r.link_submitted) for r in story["rate_rows"]],
        "plan": plan,
        "open_answers": [
            (q.code, [(e.text, e.count) for e in answers])
            for q, answers in story.get("open_answers", [])
        ],
        "comments": [
            (d.code, [(e.text, e.count) for e in examples])
            for d, examples in story.get("comments", [])
        ],
        "trend": [
            [cycle.title for cycle in story.get("trend_cycles", [])],
            [(row["medians"], row["real"]) for row in story.get("trend", [])],
        ],
    }
    if drafts:
        inputs["issued"] = list(assessment.issued_reports.values_list("version", flat=True)[:1])
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()
    return f"im-assess:report:{digest}"


_printing = threading.local()


def _stylesheet() -> tuple[CSS, FontConfiguration]:
    """The report's stylesheet, parsed once per thread with its fonts loaded.

    Parsing it and loading the three Inter faces is a fifth of a render; a font
    configuration is not shared between threads.
    """
    if getattr(_printing, "css", None) is None:
        fonts = FontConfiguration()
        _printing.css = CSS(
            url=STATIC_BASE + "css/report.css",
            url_fetcher=StaticOnlyFetcher(),
            font_config=fonts,
        )
        _printing.fonts = fonts
    return _printing.css, _printing.fonts


def _brand_sheet(fonts: FontConfiguration) -> list[CSS]:
    """The brand's colours over the report's own (none without branding)."""
    css = brand.current().print_css()
    return [CSS(string=css, font_config=fonts)] if css else []


def _story(assessment: Assessment, language: str) -> tuple[dict, str]:
    """What the report shows, and the cache key of the PDF made from it."""
    if language not in dict(settings.LANGUAGES):
        raise ReportError(f"unknown language {language!r}")
    story = presentation.assessment_story(assessment, reviewing=False)
    if not story["enough_responses"]:
        raise ReportError("too few responses for a report")
    return story, _cache_key(assessment, story, language)


def consultants_of(assessment: Assessment) -> list[str]:
    """The names the report and the deck give as the assessment's consultants."""
    consultants = Membership.objects.filter(
        organization=assessment.organization, role=Membership.Role.CONSULTANT
    ).select_related("user")
    return [m.user.get_full_name() or m.user.email for m in consultants]


def _html(
    assessment: Assessment, story: dict, language: str, *, preview: bool = False,
    issued: dict | None = None,
) -> str:  # fmt: skip
    current = brand.current()
    client_logo = assessment.organization.logo
    story |= {
        "brand": current,
        "brand_logo": brand.data_uri(current.logo) if current.logo else "",
        "client_logo": brand.data_uri(client_logo) if client_logo else "",
        "sign_off": current.sign_off(language),
        "consultants": consultants_of(assessment),
        "generated_at": timezone.localtime(),
        "static_base": STATIC_BASE,
        "language": language,
        "heatmap_charts": visuals.heatmap_charts(story, language),
    }
    story |= visuals.printed(story)
    story["sections"] = sections_of(assessment)
    story["preview"] = preview
    story["issued"] = issued  # {"version", "at"} when this is the final version
    story["last_issued"] = (
        assessment.issued_reports.filter(language=language).values("version", "issued_at").first()
    )
    story["brand_print_css"] = bool(current.print_css())
    return render_to_string("report/report.html", story)


def report_html(assessment: Assessment, *, language: str = "nl") -> str:
    """The print HTML the PDF is made from; the benchmarks render it without styles."""
    with translation.override(language):
        story, _ = _story(assessment, language)
        return _html(assessment, story, language)


def report_preview(assessment: Assessment, *, language: str) -> str:
    """The report as a web page for the consultant, before anyone downloads it: the
    same HTML as the PDF's, its stylesheets linked (static files) instead of parsed."""
    with translation.override(language):
        story, _key = _story(assessment, language)
        return _html(assessment, story, language, preview=True)


def issued_key(assessment: Assessment, *, language: str) -> str:
    """The inputs of the report now, as an issued version records them."""
    with translation.override(language):
        story, _key = _story(assessment, language)
        return _cache_key(assessment, story, language, drafts=False)


def report_key(assessment: Assessment, *, language: str = "nl") -> str:
    """Where the PDF for exactly the current inputs is kept in the report cache.

    Raises ReportError when there is no report to make (too few responses).
    """
    with translation.override(language):
        return _story(assessment, language)[1]


def stored_report(key: str) -> bytes | None:
    return caches["reports"].get(key)


def cached_report(assessment: Assessment, *, language: str = "nl") -> bytes | None:
    """The PDF if it was rendered for exactly the current inputs, else None."""
    return stored_report(report_key(assessment, language=language))


def render_assessment_pdf(assessment: Assessment, *, language: str = "nl") -> bytes:
    """The advice report of an assessment as PDF bytes, cached by its inputs. When the
    same report is being rendered elsewhere (another worker or server), this waits for
    that render instead of rendering it again."""
    with translation.override(language):
        story, key = _story(assessment, language)
        return rendered_once(key, lambda: _pdf(assessment, story, language))


def _pdf(assessment: Assessment, story: dict, language: str, issued: dict | None = None) -> bytes:
    html = _html(assessment, story, language, issued=issued)
    try:
        stylesheet, fonts = _stylesheet()
        with collector_paused():
            return HTML(
                string=html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher()
            ).write_pdf(stylesheets=[stylesheet, *_brand_sheet(fonts)], font_config=fonts)
    except FatalURLFetchingError as error:
        raise ReportError(f"the report could not be rendered: {error}") from None


def render_issued_pdf(assessment: Assessment, *, language: str, version: int) -> tuple[bytes, str]:
    """The final version of the report, stamped with its number and date (not kept in
    the cache: the caller stores it), and the key of the inputs it was made from."""
    with translation.override(language):
        story, _key = _story(assessment, language)
        issued = {"version": version, "at": timezone.localtime()}
        inputs = _cache_key(assessment, story, language, drafts=False)
        return _pdf(assessment, story, language, issued=issued), inputs


RENDER_SECONDS = 120  # a render that takes longer than this is taken for lost
WAIT_STEP = 0.25


def rendered_once(key: str, render) -> bytes:
    """``render()``, kept under ``key`` in the shared report cache; made by one worker
    at a time: the others wait for its result (a lock in the shared cache, which every
    worker and server sees), and render themselves only when it fails or is lost."""
    shared = caches["reports"]
    done = shared.get(key)
    if done is not None:
        return done
    lock = f"{key}:rendering"
    if not shared.add(lock, True, RENDER_SECONDS):
        deadline = time.monotonic() + RENDER_SECONDS
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            done = shared.get(key)
            if done is not None:
                return done
            if shared.get(lock) is None:  # the other render failed: try ourselves
                break
    try:
        made = render()
        shared.set(key, made, CACHE_SECONDS)
    finally:
        shared.delete(lock)
    return made
