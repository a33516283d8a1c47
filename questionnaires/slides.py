"""The advice as a PowerPoint deck (python-pptx): the report's story on slides, in the
reader's language and the consultancy's colours, the charts as PNG images of the same
matplotlib figures (`visuals.Drawing.png`). Cached beside the PDF, under its key.
"""

import io

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from . import brand, richtext, visuals
from .charts.base import LEVELS
from .figures import score_text
from .models import Assessment, Logo
from .reports import _story, consultants_of, rendered_once

WIDE, HIGH = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)
INK = RGBColor.from_string("1F2A30")
MUTED = RGBColor.from_string("56636B")
ROWS = 12  # at most this many rows in a slide's table; the report has the rest
DECK_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


class Deck:
    """A 16:9 deck with the brand's colours and a running footer."""

    def __init__(self, current: brand.Brand, footer: str):
        self.brand, self.footer = current, footer
        self.pptx = Presentation()
        self.pptx.slide_width, self.pptx.slide_height = WIDE, HIGH
        self.blank = self.pptx.slide_layouts[6]

    def slide(self, title: str):
        slide = self.pptx.slides.add_slide(self.blank)
        band = slide.shapes.add_shape(1, 0, 0, WIDE, Inches(0.12))
        band.fill.solid()
        band.fill.fore_color.rgb = _rgb(self.brand.second)
        band.line.fill.background()
        self.text(slide, title, MARGIN, Inches(0.4), WIDE - 2 * MARGIN, Inches(0.9), size=28,
                  bold=True, colour=_rgb(self.brand.main))  # fmt: skip
        number = len(self.pptx.slides)
        self.text(slide, f"{self.footer} · {number}", MARGIN, HIGH - Inches(0.5),
                  WIDE - 2 * MARGIN, Inches(0.3), size=10, colour=MUTED)  # fmt: skip
        return slide

    def text(self, slide, text: str, left, top, width, height, *, size=18, bold=False,
             colour=INK, align=None):  # fmt: skip
        box = slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        for index, line in enumerate(text.split("\n")):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.text = line
            paragraph.font.size, paragraph.font.bold = Pt(size), bold
            paragraph.font.color.rgb = colour
            paragraph.font.name = "Inter"
            if align:
                paragraph.alignment = align
        return box

    def picture(self, slide, png: bytes, left, top, *, width=None, height=None):
        return slide.shapes.add_picture(io.BytesIO(png), left, top, width=width, height=height)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.pptx.save(out)
        return out.getvalue()


def _logo_png(logo: Logo | None) -> bytes | None:
    """A bitmap logo as stored; slides cannot carry an SVG one (its name stands in)."""
    if logo is None or logo.content_type != "image/png":
        return None
    return bytes(Logo.objects.values_list("data", flat=True).get(pk=logo.pk))


def render_assessment_deck(assessment: Assessment, *, language: str = "nl") -> bytes:
    """The deck of an assessment as PPTX bytes, cached by the report's inputs."""
    with translation.override(language):
        story, key = _story(assessment, language)
        return rendered_once(f"{key}:deck", lambda: _deck(assessment, story, language))


def _deck(assessment: Assessment, story: dict, language: str) -> bytes:
    current = brand.current()
    organization = assessment.organization
    deck = Deck(current, " · ".join(filter(None, [current.name, organization.name,
                                                  assessment.title])))  # fmt: skip
    _cover(deck, assessment, story, current, language)
    if story.get("summary_note"):
        text = richtext.plain(_note_source(assessment, language))
        slide = deck.slide(_("Management summary"))
        deck.text(slide, text, MARGIN, Inches(1.4), WIDE - 2 * MARGIN, Inches(5.3), size=16)
    _level(deck, story)
    strongest = "\n".join(
        f"{row['dimension'].short_name}: {score_text(row['result'].median)}"
        for row in story["strongest"]
    )
    for title, drawing, why in (
        (story["radar_title"], story["radar"], f"{_('Strongest dimensions')}\n{strongest}"),
        (_("From project to lasting change: the phases"), story["phase_chart"], story["gate_why"]),
    ):
        slide = deck.slide(title)
        picture = deck.picture(slide, drawing.png(dpi=200), MARGIN, Inches(1.4),
                               height=Inches(5.4))  # fmt: skip
        if picture.width > Inches(6.6):  # a wide chart: as wide as the left half allows
            picture.height = int(picture.height * Inches(6.6) / picture.width)
            picture.width = Inches(6.6)
        deck.text(slide, why, Inches(7.6), Inches(1.6), Inches(5.1), Inches(4.8), size=16)
    _first_steps(deck, story)
    _plan(deck, story)
    _teams(deck, story, language)
    _closing(deck, current, story, language)
    return deck.bytes()


def _note_source(assessment: Assessment, language: str) -> str:
    notes = {n.language: n.text for n in assessment.notes.filter(subject="summary")}
    return notes.get(language) or next(iter(notes.values()), "")


def _cover(deck: Deck, assessment, story, current: brand.Brand, language: str) -> None:
    slide = deck.pptx.slides.add_slide(deck.blank)
    band = slide.shapes.add_shape(1, 0, Inches(2.3), WIDE, Inches(0.16))
    band.fill.solid()
    band.fill.fore_color.rgb = _rgb(current.second)
    band.line.fill.background()
    ours, theirs = _logo_png(current.logo), _logo_png(assessment.organization.logo)
    if ours:
        deck.picture(slide, ours, MARGIN, Inches(0.7), height=Inches(1.1))
    elif current.name:
        deck.text(slide, current.name, MARGIN, Inches(0.9), Inches(6), Inches(0.8), size=24,
                  bold=True, colour=_rgb(current.main))  # fmt: skip
    if theirs:
        picture = deck.picture(slide, theirs, 0, Inches(0.7), height=Inches(1.1))
        picture.left = Emu(WIDE - MARGIN - picture.width)
    deck.text(slide, _("IM maturity report"), MARGIN, Inches(2.9), WIDE - 2 * MARGIN,
              Inches(1.1), size=44, bold=True, colour=_rgb(current.main))  # fmt: skip
    deck.text(slide, f"{assessment.organization.name}\n{assessment.title}", MARGIN, Inches(4.0),
              WIDE - 2 * MARGIN, Inches(1.2), size=22)  # fmt: skip
    when = formats.date_format(timezone.localdate(), "j F Y")
    who = ", ".join(consultants_of(assessment))
    lines = [f"{_('Date')}: {when}"] + ([f"{_('Consultant')}: {who}"] if who else [])
    if not story["is_final"]:
        lines.append(_("Provisional – the assessment is still open"))
    deck.text(slide, "\n".join(lines), MARGIN, Inches(5.6), WIDE - 2 * MARGIN, Inches(1.2),
              size=14, colour=MUTED)  # fmt: skip


def _level(deck: Deck, story: dict) -> None:
    result, level = story["result"], story["overall_level"]
    slide = deck.slide(_("Where do we stand?"))
    badge = slide.shapes.add_shape(9, MARGIN, Inches(1.6), Inches(1.8), Inches(1.8))  # an oval
    badge.fill.solid()
    badge.fill.fore_color.rgb = _rgb(LEVELS[result.overall.level - 1])
    badge.line.fill.background()
    frame = badge.text_frame
    frame.text = str(result.overall.level)
    paragraph = frame.paragraphs[0]
    paragraph.font.size, paragraph.font.bold, paragraph.alignment = Pt(54), True, PP_ALIGN.CENTER
    paragraph.font.color.rgb = INK if result.overall.level <= 3 else RGBColor(255, 255, 255)
    deck.text(slide, f"{level.name} – {level.tagline}", Inches(2.8), Inches(1.7), Inches(9.8),
              Inches(0.8), size=26, bold=True)  # fmt: skip
    deck.text(slide, story["why"], Inches(2.8), Inches(2.5), Inches(9.8), Inches(1.4), size=18)
    phase = story.get("demonstrated_phase")
    facts = [
        f"{_('Average of the dimensions')}: {score_text(result.overall.mean_index)}",
        f"{_('Demonstrated phase')}: {phase.name if phase else '–'}",
        f"{_('Strongest dimensions')}: "
        + ", ".join(row["dimension"].short_name for row in story["strongest"]),
    ]
    deck.text(slide, "\n".join(facts), Inches(2.8), Inches(4.2), Inches(9.8), Inches(2), size=16,
              colour=MUTED)  # fmt: skip


def _first_steps(deck: Deck, story: dict) -> None:
    slide = deck.slide(_("What first"))
    lines = []
    for number, row in enumerate(story["top"][:3], start=1):
        name = row["dimension"].name if row["dimension"] else _("General")
        barrier = f" ({_('barrier')})" if row["is_barrier"] else ""
        lines += [f"{number}. {name}{barrier}", f"    {row['text']}", ""]
    text = "\n".join(lines).strip()
    if not text:
        text = _("Every dimension meets its target: keep the practices alive.")
    deck.text(slide, text, MARGIN, Inches(1.5), WIDE - 2 * MARGIN, Inches(5.2), size=18)


def _table(deck: Deck, slide, header: list[tuple[str, float]], rows: list[tuple[str, ...]]):
    """A table under the title: the header's texts with their widths in inches."""
    height = Inches(0.4) * (len(rows) + 1)
    shape = slide.shapes.add_table(len(rows) + 1, len(header), MARGIN, Inches(1.4),
                                   WIDE - 2 * MARGIN, height)  # fmt: skip
    table = shape.table
    main, soft = _rgb(deck.brand.main), _rgb(brand.mix(deck.brand.main, "#ffffff", 0.9))
    for column, (text, width) in enumerate(header):
        table.columns[column].width = Inches(width)
        _cell(table.cell(0, column), text, fill=main, colour=RGBColor(255, 255, 255), bold=True)
    for index, values in enumerate(rows, start=1):
        for column, value in enumerate(values):
            fill = soft if index % 2 else RGBColor(255, 255, 255)
            _cell(table.cell(index, column), value, fill=fill, colour=INK)
    return table


def _cell(cell, text: str, *, fill: RGBColor, colour: RGBColor, bold: bool = False) -> None:
    cell.text = text
    cell.fill.solid()
    cell.fill.fore_color.rgb = fill
    font = cell.text_frame.paragraphs[0].font
    font.size, font.bold, font.name = Pt(12), bold, "Inter"
    font.color.rgb = colour


def _plan(deck: Deck, story: dict) -> None:
    """The actions with their owners, due dates and status; the steps while there are
    no actions yet."""
    actions = [action for row in story["top"] for action in row["actions"]]
    if not story["top"]:
        return
    slide = deck.slide(_("Improvement plan"))
    if actions:
        rows = [
            (action.title, action.owner or "–",
             (formats.date_format(action.due_date, "j M Y") if action.due_date else "–")
             + (f" ({_('overdue')})" if action.is_overdue else ""),
             str(action.get_status_display()))
            for action in actions[:ROWS]
        ]  # fmt: skip
        header = [(_("Action"), 6.2), (_("Owner"), 3.0), (_("Due date"), 1.6), (_("Status"), 1.3)]
    else:
        rows = [
            (row["dimension"].name if row["dimension"] else _("General"),
             f"{row['from_level']} → {row['from_level'] + 1}" if row["from_level"] else "–",
             row["text"])
            for row in story["top"][:ROWS]
        ]  # fmt: skip
        header = [(_("Dimension"), 3.4), (pgettext("maturity", "Level"), 1.2), (_("Advice"), 7.5)]
    _table(deck, slide, header, rows)
    hidden = (len(actions) if actions else len(story["top"])) - len(rows)
    if hidden > 0:
        deck.text(slide, _("and %(n)s more in the report") % {"n": hidden}, MARGIN,
                  HIGH - Inches(0.95), Inches(6), Inches(0.4), size=12, colour=MUTED)  # fmt: skip


def _teams(deck: Deck, story: dict, language: str) -> None:
    """The team and role heatmaps once the assessment has closed; before, the response
    per team (a team's figures could move with one colleague's submission)."""
    sections = story.get("heatmap") or []
    for section, drawing in zip(sections, visuals.heatmap_charts(story, language), strict=True):
        slide = deck.slide(section["title"])
        deck.picture(slide, drawing.png(dpi=200), MARGIN, Inches(1.4), width=WIDE - 2 * MARGIN)
    if sections:
        return
    slide = deck.slide(_("Response per team"))
    rows = [
        (row.team or _("No team"), str(row.invited), str(row.submitted), str(row.link_submitted))
        for row in story["rate_rows"][:ROWS]
    ]
    total = story["rate_total"]
    rows.append((_("Total"), str(total.invited), str(total.submitted), str(total.link_submitted)))
    header = [(_("Team"), 5.1), (_("Invited"), 2.3), (_("Submitted (invited)"), 2.4),
              (_("Submitted (team link)"), 2.3)]  # fmt: skip
    _table(deck, slide, header, rows)
    deck.text(slide, _("Teams and roles are compared once the assessment has closed: while it "
                       "is open, one colleague’s submission could move a group’s figure."),
              MARGIN, HIGH - Inches(1.2), WIDE - 2 * MARGIN, Inches(0.6), size=12,
              colour=MUTED)  # fmt: skip


def _closing(deck: Deck, current: brand.Brand, story: dict, language: str) -> None:
    sign_off = current.sign_off(language)
    if not (sign_off or current.contact):
        return
    slide = deck.slide(current.name or _("Contact"))
    deck.text(slide, "\n\n".join(filter(None, [sign_off, current.contact])), MARGIN,
              Inches(1.6), WIDE - 2 * MARGIN, Inches(4.5), size=20)  # fmt: skip
