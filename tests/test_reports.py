"""The PDF advice report: real WeasyPrint output, read back as text."""

import http.server
import io
import threading

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from questionnaires import reports, services
from questionnaires.models import Answer, Assessment, PlanEntry, User
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(im_model, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for cache in caches.all():
        cache.clear()
    return Assessment.objects.get(title="IM-scan EPD 2026")


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["Samenvatting", "Verbeterplan", "Inhoud", "Procesfit", "Voorlopig"]),
        ("en", ["Summary", "Improvement plan", "Contents", "Process fit", "Provisional"]),
    ],
)
def test_report_text_in_both_languages(demo, language, words):
    from questionnaires import selectors

    pdf = reports.render_assessment_pdf(demo, language=language)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert 8 <= len(reader.pages) <= 30
    text = _text(pdf)
    for word in words:
        assert word in text, word
    assert "Zorggroep De Linde" in text
    result = selectors.assessment_result(demo)
    why = result.overall.why.get(language)
    assert why.split(":")[0] in text  # "Niveau 2" / "Level 2"
    median = f"{result.dimension('D1').median:.1f}"
    assert (median.replace(".", ",") if language == "nl" else median) in text


def _colour_near(pixels, box, colour, tolerance=40) -> bool:
    left, top, right, bottom = box
    return any(
        sum(abs(a - b) for a, b in zip(pixels[x, y][:3], colour, strict=True)) < tolerance
        for x in range(left, right)
        for y in range(top, bottom)
    )


def test_the_report_carries_the_consultancys_brand_and_the_clients_logo(demo, tmp_path):
    import subprocess

    from PIL import Image

    from questionnaires import brand

    pdf = reports.render_assessment_pdf(demo, language="en")
    text = _text(pdf)
    for words in ("Koers & Co Adviseurs", "Oudegracht 120, 3511 AX Utrecht", "Kind regards,",
                  "IM maturity report · Koers & Co Adviseurs"):  # fmt: skip
        assert words in text, words
    # Rendered, the cover shows the consultancy's logo on the left, the client's on the
    # right (fixtures/demo: navy #1d4e89 and green #2e7d5b), and the band in its colours.
    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png",
                    str(tmp_path / "report.pdf"), str(tmp_path / "cover")], check=True)  # fmt: skip
    cover = Image.open(next(tmp_path.glob("cover*.png"))).convert("RGB")
    width, height = cover.size
    pixels = cover.load()
    top = (0, 0, width // 2, height // 6)
    assert _colour_near(pixels, top, (0x1D, 0x4E, 0x89))
    assert not _colour_near(pixels, top, (0x2E, 0x7D, 0x5B))
    assert _colour_near(pixels, (width // 2, 0, width, height // 6), (0x2E, 0x7D, 0x5B))
    assert _colour_near(pixels, (0, 0, width, height // 4), (0xD9, 0x77, 0x06))  # the band
    # Another sign-off is another report; without branding the product's own look.
    services.branding_update(
        actor=User.objects.get(email="beheer@demo.local"), name="", primary_colour="",
        accent_colour="", contact="", sign_off_nl="", sign_off_en="", logo_remove=True,
    )  # fmt: skip
    assert not brand.current().branded
    plain = _text(reports.render_assessment_pdf(demo, language="en"))
    assert "Koers" not in plain and "Kind regards," not in plain


def test_fonts_are_embedded(demo):
    reader = PdfReader(io.BytesIO(reports.render_assessment_pdf(demo, language="nl")))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = "/FontFile2" in descriptor
    assert fonts
    assert all(fonts.values())  # every font is embedded
    assert all("Inter" in name for name in fonts)


def test_second_download_comes_from_the_cache_and_an_edit_makes_a_new_one(demo):
    consultant = User.objects.get(email="consultant@demo.local")
    first = reports.render_assessment_pdf(demo, language="nl")
    assert reports.render_assessment_pdf(demo, language="nl") is not None
    assert reports.cached_report(demo, language="nl") == first  # in the shared report cache
    from questionnaires import selectors

    services.plan_adopt(assessment=demo, result=selectors.assessment_result(demo), actor=consultant)
    entry = PlanEntry.objects.filter(assessment=demo).first()
    services.plan_entry_update(
        entry=entry, text="Eigenaar per afdeling benoemen.", actor=consultant
    )
    second = reports.render_assessment_pdf(demo, language="nl")
    assert second != first
    assert "Eigenaar per afdeling benoemen." in _text(second)


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        _Canary.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_hostile_comment_is_text_and_fetches_nothing(demo):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Canary)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hostile = (
        f'<img src="http://127.0.0.1:{port}/img"> <link rel="attachment" href="file:///etc/passwd">'
        f"<style>@import url(http://127.0.0.1:{port}/css);</style>"
    )
    try:
        Answer.objects.filter(response__assessment=demo, question__code="D1.1").exclude(
            comment=""
        ).update(comment=hostile)
        Assessment.objects.filter(pk=demo.pk).update(comments_released=True)
        demo.refresh_from_db()
        pdf = reports.render_assessment_pdf(demo, language="nl")
    finally:
        server.shutdown()
        server.server_close()
    assert _Canary.hits == []
    assert b"/EmbeddedFile" not in pdf
    assert b"root:x:" not in pdf
    assert "<img src=" in _text(pdf).replace("\n", "")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        f"{reports.STATIC_BASE}../../etc/passwd",
        f"{reports.STATIC_BASE}does-not-exist.css",
    ],
)
def test_fetcher_refuses_everything_but_our_static_files(url):
    with pytest.raises(ValueError):
        reports.StaticOnlyFetcher().fetch(url)


def test_fetcher_serves_static_files_and_data_urls():
    response = reports.StaticOnlyFetcher().fetch(f"{reports.STATIC_BASE}css/report.css")
    assert b"@page" in response.read()
    assert reports.StaticOnlyFetcher().fetch("data:text/plain,hallo").read() == b"hallo"


def test_download_for_managers_and_404_for_others(client, demo):
    client.force_login(User.objects.get(email="manager@demo.local"))
    download = client.get(reverse("report-pdf", args=[demo.pk]), {"lang": "en"})
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Summary" in _text(download.content)
    client.force_login(MembershipFactory(role="manager").user)
    assert client.get(reverse("report-pdf", args=[demo.pk])).status_code == 404


def test_no_report_below_the_threshold(client, im_model):
    membership = MembershipFactory(role="manager")
    assessment = services.assessment_create(
        organization=membership.organization,
        maturity_model=im_model,
        actor=membership.user,
        title="Nog leeg",
    )
    client.force_login(membership.user)
    result = client.get(reverse("report-pdf", args=[assessment.pk]))
    assert result.status_code == 302
    with pytest.raises(reports.ReportError):
        reports.render_assessment_pdf(assessment, language="nl")


def test_render_report_command(demo, tmp_path):
    target = tmp_path / "rapport.pdf"
    call_command("render_report", str(demo.pk), "--lang", "nl", "-o", str(target))
    assert "Samenvatting" in _text(target.read_bytes())


def test_report_html_is_the_print_html_in_the_language_asked(demo):
    english = reports.report_html(demo, language="en")
    dutch = reports.report_html(demo, language="nl")
    assert '<html lang="en">' in english and "Improvement plan" in english
    assert '<html lang="nl">' in dutch and "Verbeterplan" in dutch
    assert "Zorggroep De Linde" in english
    heat = '<figure class="figure keep heat">'
    assert english.count(heat) == dutch.count(heat) == 0  # open: teams wait for the close
    english = reports.report_html(demo.previous, language="en")
    dutch = reports.report_html(demo.previous, language="nl")
    assert english.count(heat) == dutch.count(heat) > 0


LOCAL_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Shared by every thread of this process, as the database or Redis is by workers.
    "reports": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "render-once"},
}  # fmt: skip


def test_four_workers_asking_for_the_same_cold_report_render_it_once(settings):
    from concurrent.futures import ThreadPoolExecutor

    settings.CACHES = LOCAL_CACHES
    renders = []
    guard = threading.Lock()

    def render():
        with guard:
            renders.append(1)
        threading.Event().wait(0.6)  # a render takes a while
        return b"%PDF- the report"

    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(lambda _n: reports.rendered_once("k:cold", render), range(4)))
    assert made == [b"%PDF- the report"] * 4
    assert len(renders) == 1
    assert caches["reports"].get("k:cold:rendering") is None  # the lock is gone


def test_a_render_that_failed_elsewhere_is_taken_over(settings, monkeypatch):
    settings.CACHES = LOCAL_CACHES
    shared = caches["reports"]
    shared.set("k:lost:rendering", True, 60)  # another worker started, then died
    monkeypatch.setattr(reports.time, "sleep", lambda _s: shared.delete("k:lost:rendering"))
    assert reports.rendered_once("k:lost", lambda: b"ours") == b"ours"
    assert shared.get("k:lost") == b"ours"


def test_while_another_worker_renders_the_download_waits_for_it(settings, monkeypatch, demo):
    settings.CACHES = LOCAL_CACHES
    key = reports.report_key(demo, language="nl")
    shared = caches["reports"]
    shared.set(f"{key}:rendering", True, 60)
    # The other worker finishes while this one waits; this one renders nothing itself.
    monkeypatch.setattr(reports.time, "sleep", lambda _s: shared.set(key, b"%PDF-theirs", 60))
    monkeypatch.setattr(reports, "_pdf", lambda *_a: pytest.fail("rendered twice"))
    assert reports.render_assessment_pdf(demo, language="nl") == b"%PDF-theirs"


def test_overdue_actions_are_flagged_in_the_report_and_on_the_dashboard(demo, client):
    from datetime import timedelta

    from django.utils import timezone

    from questionnaires.models import ActionItem

    previous = Assessment.objects.get(title="IM-scan EPD 2025")
    today = timezone.localdate()
    late = ActionItem.objects.filter(entry__assessment=previous).exclude(status="done")
    assert late.exists()
    late.update(due_date=today - timedelta(days=1))
    ActionItem.objects.filter(entry__assessment=previous, status="done").update(
        due_date=today - timedelta(days=30)
    )  # done: never overdue, however late
    on_time = late.first()
    ActionItem.objects.filter(pk=on_time.pk).update(due_date=today)
    overdue = late.exclude(pk=on_time.pk).count()
    text = " ".join(_text(reports.render_assessment_pdf(previous, language="en")).split())
    assert text.count("overdue") == overdue
    client.force_login(User.objects.get(email="manager@demo.local"))
    page = client.get(reverse("assessment-dashboard", args=[previous.pk]),
                      HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert page.text.count(">overdue</span>") == overdue
