"""The benchmarks' PDF floor is what docs/benchmarks.md says it is (issue 9)."""

from weasyprint import HTML

from benchmarks.floor import floor_document, pdf_floor


def _pages(html: str) -> int:
    return len(HTML(string=html).render().pages)


def test_pdf_floor_has_exactly_the_page_count_and_full_pages():
    html = pdf_floor(3)
    assert _pages(html) == 3
    per_page = html.count("<p>") // 3
    assert html == floor_document(3, per_page)
    # Full: one more paragraph on every page no longer fits on three pages.
    assert _pages(floor_document(3, per_page + 1)) > 3
    assert "<style" not in html and "<img" not in html
