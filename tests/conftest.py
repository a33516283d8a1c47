import copy
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from questionnaires.content import maturity_model_load, read_fixture
from questionnaires.models import MaturityModel

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "im-maturity-2026.1.json"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def model_data() -> dict:
    return read_fixture(FIXTURE)


@pytest.fixture
def fixture_data(model_data) -> dict:
    """A private copy of the fixture that a test may break."""
    return copy.deepcopy(model_data)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    # The live server answers each request in a thread of its own; persistent
    # connections would outlive those threads and keep the PostgreSQL test
    # database busy when it is dropped at the end.
    from django.db import connections

    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    connections["default"].settings_dict["CONN_MAX_AGE"] = 0


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, model_data):
    from django.db import connection

    with django_db_blocker.unblock():
        maturity_model_load(data=model_data)
    yield
    # A browser's keep-alive connection can hold a live-server thread, and with it
    # a PostgreSQL session, until after the last test; end those sessions so the
    # test database can be dropped.
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture
def im_model(db, model_data) -> MaturityModel:
    """The published IM maturity model 2026.1 (reloaded after a flushing test)."""
    model = MaturityModel.objects.filter(code=model_data["code"]).first()
    return model or maturity_model_load(data=model_data).model


@pytest.fixture
def demo(im_model, settings):
    """The demo data of `seed_demo`; its open assessment."""
    from django.core.management import call_command

    from questionnaires.models import Assessment

    settings.DEBUG = True
    call_command("seed_demo")
    return Assessment.objects.get(title="IM-scan EPD 2026")


@pytest.fixture
def chromium_path() -> str:
    if shutil.which(CHROMIUM) is None:
        pytest.skip(f"browser test skipped: {CHROMIUM} not found (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests only need it to be correct.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def browser(chromium_path):
    """Debian's Chromium through Playwright; new contexts are fresh, cookie-free browsers."""
    import os

    # Playwright's sync API runs an event loop in this thread; the ORM work of
    # the live server happens in its own thread and is safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def empty_cache(request):
    # Results and reports are cached by their inputs; each test starts clean. The
    # report cache is a database table: only tests with database access touch it.
    from django.core.cache import caches

    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
    } & set(request.fixturenames)
    aliases = ["default", "reports"] if uses_db else ["default"]
    for alias in aliases:
        caches[alias].clear()
    yield
    for alias in aliases:
        caches[alias].clear()
