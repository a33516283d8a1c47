"""The consultant's voice: the summary and notes, their safe format, their versions in
the audit log, and where they appear (dashboard, report)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from questionnaires import reports, richtext, services
from questionnaires.models import AuditEntry, ConsultantNote, User

pytestmark = pytest.mark.django_db

SUMMARY = (
    "Het EPD is **in gebruik**, maar nog *niet geland*.\n\nAdvies:\n\n"
    "1. Eigenaar benoemen\n2. Adoptie volgen"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**vet** en *schuin*", "<p><strong>vet</strong> en <em>schuin</em></p>\n"),
        ("een\ntwee", "<p>een<br>\ntwee</p>\n"),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"),
        ("1. a\n2. b", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
        ('<b onclick="x">b</b>', '<p>&lt;b onclick="x"&gt;b&lt;/b&gt;</p>\n'),
        ("[klik](javascript:alert(1))", "<p>[klik](javascript:alert(1))</p>\n"),  # no links
        ("![x](https://evil.example/t.png)", "<p>![x](https://evil.example/t.png)</p>\n"),
        ("# Kop\n> citaat", "<p># Kop<br>\n&gt; citaat</p>\n"),  # no headings or quotes
    ],
)
def test_the_format_is_paragraphs_bold_italics_and_lists_only(text, expected):
    assert str(richtext.html(text)) == expected


def test_the_plain_text_drops_the_marks():
    assert richtext.plain(SUMMARY) == (
        "Het EPD is in gebruik, maar nog niet geland.\n\nAdvies:\n\n1. Eigenaar benoemen\n"
        "2. Adoptie volgen"
    )
    assert richtext.plain("- een\n* twee") == "• een\n• twee"


@pytest.fixture
def demo_notes(demo):
    consultant = User.objects.get(email="consultant@demo.local")
    return demo, consultant


def test_every_version_is_in_the_audit_log_and_unchanged_text_writes_nothing(demo_notes):
    assessment, consultant = demo_notes
    entries = AuditEntry.objects.filter(assessment=assessment, action="note written")
    before = entries.count()
    for text in ("Eerste versie.", "Tweede versie.", "Tweede versie."):
        services.note_set(assessment=assessment, subject="dimension:D7", language="nl",
                          text=text, actor=consultant)  # fmt: skip
    assert [e.detail for e in entries.order_by("pk")][before:] == [
        "dimension:D7 (nl): Eerste versie.",
        "dimension:D7 (nl): Tweede versie.",
    ]
    services.note_set(assessment=assessment, subject="dimension:D7", language="nl", text="  ",
                      actor=consultant)  # fmt: skip
    assert not ConsultantNote.objects.filter(assessment=assessment, subject="dimension:D7")
    assert AuditEntry.objects.filter(action="note removed", detail="dimension:D7 (nl)").exists()


@pytest.mark.parametrize(
    ("subject", "language", "text", "message"),
    [
        ("summary", "de", "Hallo", "This assessment is not offered in that language."),
        ("dimension:D99", "nl", "x", "There is nothing to write a note about here."),
        ("step:999999", "nl", "x", "There is nothing to write a note about here."),
        ("summary", "nl", "x" * 5001, "Keep a note under 5.000 characters."),
    ],
)
def test_a_note_that_cannot_be_is_refused(demo_notes, subject, language, text, message):
    assessment, consultant = demo_notes
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.note_set(assessment=assessment, subject=subject, language=language, text=text,
                          actor=consultant)  # fmt: skip
    assert refused.value.messages == [message]


def test_the_consultant_writes_the_notes_in_both_languages(client, demo_notes):
    assessment, consultant = demo_notes
    ConsultantNote.objects.filter(assessment=assessment).delete()
    client.force_login(consultant)
    url = reverse("assessment-notes", args=[assessment.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="nl")
    assert 'name="summary|nl"' in page.text and 'name="summary|en"' in page.text
    assert 'name="dimension:D3|en"' in page.text
    data = {"summary|nl": SUMMARY, "summary|en": "The EHR is **in use**.",
            "dimension:D3|nl": "Een besluit, geen opleiding."}  # fmt: skip
    saved = client.post(url, data, follow=True, HTTP_ACCEPT_LANGUAGE="nl")
    assert "3 notities opgeslagen." in saved.text
    assert SUMMARY in saved.text  # the form shows what is stored, as written
    notes = {(n.subject, n.language): n.text for n in assessment.notes.all()}
    assert notes == {("summary", "nl"): SUMMARY, ("summary", "en"): "The EHR is **in use**.",
                     ("dimension:D3", "nl"): "Een besluit, geen opleiding."}  # fmt: skip


def test_a_manager_and_another_consultant_cannot_write_notes(client, demo_notes):
    from tests.factories import MembershipFactory

    assessment, _consultant = demo_notes
    url = reverse("assessment-notes", args=[assessment.pk])
    client.force_login(User.objects.get(email="manager@demo.local"))
    assert client.post(url, {"summary|nl": "x"}).status_code == 403
    client.force_login(MembershipFactory(role="consultant").user)
    assert client.post(url, {"summary|nl": "x"}).status_code == 404
    assert not assessment.notes.filter(text="x").exists()


def test_the_dashboard_shows_the_summary_first_and_the_notes_beside_their_subject(client, demo):
    client.force_login(User.objects.get(email="manager@demo.local"))
    page = client.get(reverse("assessment-dashboard", args=[demo.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.text
    assert 'id="summary-note"' in text
    assert "The new EHR is <strong>in use, but it has not landed yet</strong>." in text
    assert text.index('id="summary-note"') < text.index('id="level-title"')  # first
    card = text[text.index('id="dim-D3"') :]
    card = card[: card.index("</article>")]
    assert "a <strong>decision still to be taken</strong>" in card


def test_the_report_opens_with_the_consultants_summary_and_signs_off(demo_notes):
    assessment, consultant = demo_notes
    pdf = reports.render_assessment_pdf(assessment, language="nl")
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    summary = next(i for i, page in enumerate(pages)
                   if "Managementsamenvatting" in page and "Inhoud" not in page)  # fmt: skip
    assert "Het nieuwe EPD is in gebruik, maar nog niet geland." in pages[summary]
    assert "Met vriendelijke groet," in pages[summary]
    assert "Sanne de Vries" in pages[summary]
    assert any("een besluit dat nog genomen moet worden" in page for page in pages)
    # A step's note is in the plan; a changed note is a new report.
    from questionnaires import selectors

    result = selectors.assessment_result(assessment)
    entries = services.plan_adopt(assessment=assessment, result=result, actor=consultant)
    key = reports.report_key(assessment, language="nl")
    services.note_set(assessment=assessment, subject=f"step:{entries[0].pk}", language="nl",
                      text="Nieuw inzicht bij deze stap.", actor=consultant)  # fmt: skip
    assert reports.report_key(assessment, language="nl") != key
    again = PdfReader(io.BytesIO(reports.render_assessment_pdf(assessment, language="nl")))
    text = " ".join(" ".join(page.extract_text() for page in again.pages).split())
    assert "Nieuw inzicht bij deze stap." in text


def test_a_note_missing_in_the_readers_language_is_shown_in_the_first_one(client, demo_notes):
    assessment, consultant = demo_notes
    services.note_set(assessment=assessment, subject="dimension:D7", language="nl",
                      text="Alleen in het Nederlands.", actor=consultant)  # fmt: skip
    client.force_login(consultant)
    page = client.get(reverse("assessment-dashboard", args=[assessment.pk]),
                      HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert "Alleen in het Nederlands." in page.text


def test_the_consultant_leaves_sections_out_of_the_report(client, demo_notes):
    assessment, consultant = demo_notes
    key = reports.report_key(assessment, language="en")
    client.force_login(consultant)
    url = reverse("assessment-report", args=[assessment.pk])
    kept = ["summary", "profile", "dimensions", "plan", "open_answers", "method"]
    saved = client.post(url, {"sections": kept}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "The report&#x27;s sections are saved." in saved.text
    assessment.refresh_from_db()
    assert assessment.report_left_out == ["model", "trend", "groups"]
    assert AuditEntry.objects.filter(action="report sections changed",
                                     detail="model, trend, groups").exists()  # fmt: skip
    assert reports.report_key(assessment, language="en") != key
    pdf = reports.render_assessment_pdf(assessment, language="en")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Management summary" in text and "Improvement plan" in text
    for gone in ("What IM maturity means", "Teams, roles and divided statements",
                 "A real change on"):  # fmt: skip
        assert gone not in text, gone
    nothing = client.post(url, {}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Keep at least one section in the report." in nothing.text
    client.post(url, {"sections": ["summary", "made-up"]})
    assessment.refresh_from_db()
    assert assessment.report_left_out == ["model", "trend", "groups"]  # unchanged


def test_the_report_is_previewed_as_a_web_page(client, demo_notes):
    assessment, consultant = demo_notes
    url = reverse("report-preview", args=[assessment.pk])
    client.force_login(consultant)
    page = client.get(url + "?lang=en")
    assert page.status_code == 200
    assert '<html lang="en">' in page.text
    assert "/static/css/report.css" in page.text and "report-preview.css" in page.text
    assert "The new EHR is <strong>in use, but it has not landed yet</strong>." in page.text
    assert page.text.count("<svg") >= 4  # the same inline charts as the PDF
    assert "Content-Security-Policy" in page.headers  # the site's CSP holds for it too
    assert client.get(url + "?lang=de").status_code == 404
    client.force_login(User.objects.get(email="manager@demo.local"))
    assert client.get(url + "?lang=en").status_code == 403


def test_the_consultant_issues_the_report_as_final_and_it_stays_as_issued(client, demo_notes):
    from questionnaires.models import Assessment, IssuedReport

    assessment, consultant = demo_notes
    client.force_login(consultant)
    issue = reverse("report-issue", args=[assessment.pk])
    refused = client.post(issue, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "once the assessment has closed" in refused.text  # it is still open
    assert not IssuedReport.objects.exists()
    Assessment.objects.filter(pk=assessment.pk).update(status="closed")
    assessment.refresh_from_db()
    draft = _pdf_text(client.get(reverse("report-pdf", args=[assessment.pk]) + "?lang=en"))
    assert "Draft – not yet issued as final" in draft
    done = client.post(issue, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Version 1 of the report is issued as final." in done.text
    assert sorted(IssuedReport.objects.values_list("language", "version")) == [("en", 1), ("nl", 1)]
    assert AuditEntry.objects.filter(action="report issued", detail="v1").exists()
    # Unchanged: the download is the issued file itself, stamped final.
    download = client.get(reverse("report-pdf", args=[assessment.pk]) + "?lang=en")
    issued = IssuedReport.objects.get(language="en", version=1)
    assert download.content == bytes(issued.pdf)
    assert download["Content-Disposition"].endswith('-v1.pdf"')
    assert "Final · version 1 ·" in _pdf_text(download)
    again = client.post(issue, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Nothing has changed since version 1 was issued." in again.text
    # A change makes a new draft; version 1 stays downloadable as it was.
    services.note_set(assessment=assessment, subject="summary", language="en",
                      text="A later insight.", actor=consultant)  # fmt: skip
    changed = _pdf_text(client.get(reverse("report-pdf", args=[assessment.pk]) + "?lang=en"))
    assert "Draft – changed since version 1 was issued" in changed and "A later insight." in changed
    old = client.get(reverse("report-issued", args=[assessment.pk, 1]) + "?lang=en")
    assert old.content == bytes(issued.pdf)
    client.post(issue)
    assert IssuedReport.objects.filter(version=2).count() == 2
    manager = User.objects.get(email="manager@demo.local")
    client.force_login(manager)
    assert (
        client.get(reverse("report-issued", args=[assessment.pk, 2]) + "?lang=nl").status_code
        == 200
    )
    assert client.post(issue).status_code == 403


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )


def test_actions_left_open_are_carried_into_the_next_cycles_plan(client, demo_notes):
    from questionnaires import selectors
    from questionnaires.models import ActionItem

    assessment, consultant = demo_notes
    still_open = list(
        ActionItem.objects.filter(entry__assessment=assessment.previous).exclude(status="done")
    )
    assert still_open  # the demo's 2025 cycle left work open
    result = selectors.assessment_result(assessment)
    with translation.override("en"):
        services.plan_adopt(assessment=assessment, result=result, actor=consultant)
    carried = ActionItem.objects.filter(entry__assessment=assessment)
    assert sorted(a.carried_from_id for a in carried) == sorted(a.pk for a in still_open)
    for action in carried:
        before = action.carried_from
        assert (action.title, action.owner, action.status) == (before.title, before.owner,
                                                               before.status)  # fmt: skip
        if before.entry.dimension and action.entry.dimension:
            assert action.entry.dimension.code == before.entry.dimension.code
    entry = AuditEntry.objects.filter(assessment=assessment, action="plan adopted").get()
    assert f"{len(still_open)} open actions carried over" in entry.detail
    client.force_login(User.objects.get(email="manager@demo.local"))
    page = client.get(reverse("assessment-dashboard", args=[assessment.pk]),
                      HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert page.text.count("carried over from IM-scan EPD 2025") == len(still_open)
    raw = _text_of(reports.render_assessment_pdf(assessment, language="en"))
    text = " ".join(raw.replace("-\n", "-").split())  # a narrow cell breaks after "IM-"
    assert text.count("carried over from IM-scan EPD 2025") == len(still_open)
    # Adopting again changes nothing and carries nothing twice.
    services.plan_adopt(assessment=assessment, result=result, actor=consultant)
    assert ActionItem.objects.filter(entry__assessment=assessment).count() == len(still_open)


def _text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
