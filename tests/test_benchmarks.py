"""The benchmarks' floors are what docs/benchmarks.md says they are: the PDF floor's
pages (issue 9), the respondent's page and autosave floors (issue 17), the deck's (19)."""

import re

import pytest
from django.test import override_settings
from weasyprint import HTML

from benchmarks.floor import floor_document, pdf_floor
from questionnaires.models import Answer
from tests.worlds import build_world


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


# --- The respondent's floors: the same rows, the same size, one answer stored ----------


@pytest.fixture
def respondent(client, im_model):
    world = build_world(im_model, "A", "VLOER")
    client.get(f"/s/{world.tokens['invitation']}/")
    return client, world.invitation


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="benchmarks.urls")
def test_the_page_floor_shows_our_pages_questions_at_our_pages_size(respondent):
    client, _invitation = respondent
    ours = client.get("/survey/page/2/").content
    floor = client.get(f"/floor/page/2/?size={len(ours)}").content
    assert len(floor) == len(ours)
    assert _radios(floor) == _radios(ours) != set()


def _radios(html: bytes) -> set[tuple[bytes, bytes]]:
    """(name, value) of every radio button of the page."""
    found = set()
    for tag in re.findall(rb"<input[^>]*>", html):
        if re.search(rb'type="?radio"?[ >]', tag):
            name = re.search(rb'name="(q-[^"]+)"', tag)
            value = re.search(rb'value="([^"]+)"', tag)
            if name and value:
                found.add((name.group(1), value.group(1)))
    return found


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="benchmarks.urls")
def test_the_autosave_floor_validates_and_stores_one_answer(respondent):
    client, invitation = respondent
    post = lambda body: client.post("/floor/autosave/", body, content_type="application/json")  # noqa: E731
    assert post('{"question": "D2.2", "value": "agree-4", "sequence": 3}').status_code == 200
    assert post('{"question": "D2.2", "value": "no-such", "sequence": 4}').status_code == 400
    assert post("{not json").status_code == 400
    (answer,) = Answer.objects.filter(response__invitation=invitation)
    assert (answer.question.code, answer.choice.code, answer.sequence) == ("D2.2", "agree-4", 3)


def test_the_deck_floor_has_the_slides_and_pictures_it_is_given():
    import io

    from pptx import Presentation

    from benchmarks.floor import plain_deck
    from tests.factories import png_bytes

    deck = Presentation(io.BytesIO(plain_deck(5, [png_bytes(), png_bytes(colour="#d97706")])))
    assert len(deck.slides) == 5
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 2
    assert all(slide.shapes[0].text_frame.text == "Title" for slide in deck.slides)
