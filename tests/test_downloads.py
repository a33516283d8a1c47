"""Large exports (issue #17): written by a task in chunks in the database, followed on a
page that shows how far it is, downloaded when ready; small ones come at once."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from questionnaires import exports, services
from questionnaires.models import DownloadChunk, PreparedDownload
from questionnaires.services import downloads
from tests.factories import UserFactory
from tests.worlds import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(im_model):
    return build_world(im_model, "A", "GROOT")


@pytest.fixture
def consultant(client, world):
    client.force_login(world.consultant)
    return client


@pytest.fixture
def large(monkeypatch):
    """Every export counts as large, so the demo-sized world takes the prepared way."""
    monkeypatch.setitem(exports.DIRECT_ROWS, "csv", 1)
    monkeypatch.setitem(exports.DIRECT_ROWS, "xlsx", 1)


def _sheet_rows(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = []
    for sheet in workbook.worksheets:
        if sheet.title.startswith("answers"):
            rows += [row for index, row in enumerate(sheet.values) if index > 0]
    return rows


def test_a_small_export_comes_at_once(consultant, world):
    url = reverse("assessment-export", args=[world.assessment.pk, "csv"])
    response = consultant.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert not PreparedDownload.objects.exclude(pk=world.download.pk).exists()


def test_a_large_csv_is_prepared_followed_and_downloaded(consultant, world, large, monkeypatch):
    monkeypatch.setattr(downloads, "CHUNK_BYTES", 500)  # many chunks, streamed in order
    url = reverse("assessment-export", args=[world.assessment.pk, "csv"])
    offer = consultant.get(url + "?delimiter=semicolon", HTTP_ACCEPT_LANGUAGE="nl")
    assert offer.status_code == 200
    assert "te veel om te downloaden terwijl de pagina wacht" in offer.text
    assert 'name="delimiter" value="semicolon"' in offer.text
    prepare = reverse("download-prepare", args=[world.assessment.pk, "csv"])
    answer = consultant.post(prepare, {"delimiter": "semicolon"})
    download = PreparedDownload.objects.exclude(pk=world.download.pk).get()
    assert answer["Location"] == reverse("download-status", args=[download.pk])
    # Without a queue it was written in that request: ready, in several chunks.
    assert download.status == PreparedDownload.Status.READY
    assert DownloadChunk.objects.filter(download=download).count() > 3
    page = consultant.get(answer["Location"], HTTP_ACCEPT_LANGUAGE="nl")
    assert "Het bestand staat klaar" in page.text
    assert 'http-equiv="refresh"' not in page.text
    file = consultant.get(reverse("download-file", args=[download.pk]))
    content = b"".join(file.streaming_content)
    assert int(file["Content-Length"]) == len(content) == download.size
    expected = "".join(
        exports.responses_csv_lines(world.assessment, delimiter=";", bom=True)
    ).encode()
    assert content == expected
    assert download.filename.endswith("-answers.csv")
    assert len(list(csv.reader(io.StringIO(content.decode()), delimiter=";"))) > 10


def test_a_large_excel_file_splits_its_answers_over_sheets_within_excels_limit(world):
    whole = _sheet_rows(exports.responses_xlsx(world.assessment))
    buffer = io.BytesIO()
    exports.responses_xlsx_write(buffer, world.assessment, sheet_rows=40)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)
    answers = [sheet for sheet in workbook.worksheets if sheet.title.startswith("answers")]
    assert [sheet.title for sheet in answers[:2]] == ["answers", "answers 2"]
    assert all(len(list(sheet.values)) <= 41 for sheet in answers)  # header + 40
    assert all(next(sheet.values) == exports.RESPONSE_COLUMNS for sheet in answers)
    assert _sheet_rows(buffer.getvalue()) == whole
    assert workbook.sheetnames[-1] == "legend"


def test_a_prepared_excel_file_has_every_answer(consultant, world, large):
    prepare = reverse("download-prepare", args=[world.assessment.pk, "xlsx"])
    consultant.post(prepare, {"responses": "all"})
    download = PreparedDownload.objects.exclude(pk=world.download.pk).get()
    assert download.in_progress and download.filename.endswith("-incl-in-progress-answers.xlsx")
    file = consultant.get(reverse("download-file", args=[download.pk]))
    content = b"".join(file.streaming_content)
    assert _sheet_rows(content) == _sheet_rows(
        exports.responses_xlsx(world.assessment, in_progress=True)
    )
    assert download.rows_done == download.rows_total == len(_sheet_rows(content))


def test_a_failed_download_says_so_and_can_be_asked_again(consultant, world, large, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "responses_xlsx_write", broken)
    prepare = reverse("download-prepare", args=[world.assessment.pk, "xlsx"])
    status = consultant.post(prepare, follow=True, HTTP_ACCEPT_LANGUAGE="nl")
    download = PreparedDownload.objects.exclude(pk=world.download.pk).get()
    assert download.status == PreparedDownload.Status.FAILED
    assert not DownloadChunk.objects.filter(download=download).exists()
    assert "probeer het opnieuw" in status.text
    assert f'action="{prepare}"' in status.text
    not_ready = consultant.get(reverse("download-file", args=[download.pk]))
    assert not_ready["Location"] == reverse("download-status", args=[download.pk])


def test_nobody_else_sees_a_prepared_download(client, world, im_model):
    other = build_world(im_model, "B", "ANDER")
    client.force_login(other.consultant)
    for name in ("download-status", "download-file"):
        assert client.get(reverse(name, args=[world.download.pk])).status_code == 404
    client.force_login(world.manager)
    assert client.get(reverse("download-file", args=[world.download.pk])).status_code == 403


def test_erasing_a_response_discards_the_prepared_files(world):
    services.response_erase(response=world.submitted, actor=UserFactory())
    assert not PreparedDownload.objects.filter(assessment=world.assessment).exists()
    assert not DownloadChunk.objects.exists()


def test_downloads_older_than_a_day_are_discarded_when_another_is_asked(world):
    from datetime import timedelta

    from django.utils import timezone

    PreparedDownload.objects.filter(pk=world.download.pk).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    services.download_request(
        assessment=world.assessment,
        kind="csv",
        in_progress=False,
        language="nl",
        filename="x.csv",
        actor=None,
    )
    assert not PreparedDownload.objects.filter(pk=world.download.pk).exists()
    assert not DownloadChunk.objects.filter(download_id=world.download.pk).exists()


def test_the_assessment_page_lists_the_prepared_files_kept(consultant, world):
    from datetime import timedelta

    from django.utils import timezone

    page = consultant.get(reverse("assessment-detail", args=[world.assessment.pk]))
    assert 'id="prepared-downloads"' in page.text
    assert reverse("download-status", args=[world.download.pk]) in page.text
    PreparedDownload.objects.update(created_at=timezone.now() - timedelta(days=2))
    page = consultant.get(reverse("assessment-detail", args=[world.assessment.pk]))
    assert 'id="prepared-downloads"' not in page.text  # no longer kept: not offered


def test_row_counts_are_written_the_readers_way(world):
    from django.template import Context, Template
    from django.utils import translation

    template = Template("{% load im_tags %}{{ rows|thousands }}")
    for language, expected in (("nl", "2.580.146"), ("en", "2,580,146")):
        with translation.override(language):
            assert template.render(Context({"rows": 2580146})) == expected
