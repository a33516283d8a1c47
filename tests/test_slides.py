"""The deck: the report's story on slides, in the reader's language and the brand's
colours, the charts as images, read back with python-pptx and rendered by LibreOffice."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from pptx import Presentation

from questionnaires import brand, services, slides
from questionnaires.models import User
from tests.factories import png_bytes

pytestmark = pytest.mark.django_db


def _texts(deck: bytes) -> list[str]:
    presentation = Presentation(io.BytesIO(deck))
    return ["\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
            + "\n".join(cell.text for shape in slide.shapes if shape.has_table
                        for row in shape.table.rows for cell in row.cells)
            for slide in presentation.slides]  # fmt: skip


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["Rapport IM-volwassenheid", "Managementsamenvatting", "Waar staan we?",
                "Wat eerst", "knelpunt", "Met vriendelijke groet,"]),
        ("en", ["IM maturity report", "Management summary", "Where do we stand?",
                "What first", "barrier", "Kind regards,"]),
    ],
)  # fmt: skip
def test_the_deck_tells_the_story_in_the_readers_language(demo, language, words):
    deck = slides.render_assessment_deck(demo, language=language)
    texts = _texts(deck)
    everything = "\n".join(texts)
    for word in words:
        assert word in everything, word
    assert "Zorggroep De Linde" in texts[0]
    presentation = Presentation(io.BytesIO(deck))
    pictures = [shape for slide in presentation.slides for shape in slide.shapes
                if shape.shape_type == 13]  # fmt: skip
    assert len(pictures) >= 2  # the radar and the phase profile, as PNG
    assert all(p.image.content_type == "image/png" for p in pictures)
    # The same figure, cut to one decimal, in the reader's decimal mark.
    from questionnaires import selectors
    from questionnaires.figures import score_text

    mean = score_text(selectors.assessment_result(demo).overall.mean_index, language=language)
    assert mean in everything


def test_the_deck_is_in_the_brands_colours_and_carries_a_bitmap_logo(demo):
    services.branding_update(
        actor=User.objects.get(email="beheer@demo.local"), name="Koers & Co",
        primary_colour="#7a2e4d", accent_colour="#d97706", contact="Utrecht",
        sign_off_nl="Groet", sign_off_en="Regards", logo_data=png_bytes(colour="#7a2e4d"),
    )  # fmt: skip
    assert brand.current().primary == "#7a2e4d"
    presentation = Presentation(io.BytesIO(slides.render_assessment_deck(demo, language="en")))
    title_colours = {
        str(paragraph.font.color.rgb)
        for slide in list(presentation.slides)[1:]
        for shape in slide.shapes if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs[:1]
        if paragraph.font.bold and paragraph.font.size and paragraph.font.size.pt == 28
    }  # fmt: skip
    assert title_colours == {"7A2E4D"}
    cover = next(iter(presentation.slides))
    assert any(shape.shape_type == 13 for shape in cover.shapes)  # the PNG logo


def test_managers_download_the_deck_and_others_cannot(client, demo):
    url = reverse("report-deck", args=[demo.pk]) + "?lang=nl"
    client.force_login(User.objects.get(email="manager@demo.local"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == slides.DECK_CONTENT_TYPE
    assert response["Content-Disposition"].endswith('.pptx"')
    assert response.content.startswith(b"PK")
    from tests.factories import MembershipFactory

    client.force_login(MembershipFactory(role="manager").user)
    assert client.get(url).status_code == 404


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_the_deck(demo, tmp_path):
    (tmp_path / "deck.pptx").write_bytes(slides.render_assessment_deck(demo, language="nl"))
    command = ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
               str(tmp_path / "deck.pptx")]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    from pypdf import PdfReader

    reader = PdfReader(tmp_path / "deck.pdf")
    assert len(reader.pages) == len(Presentation(tmp_path / "deck.pptx").slides)
    assert "Rapport IM-volwassenheid" in reader.pages[0].extract_text()
