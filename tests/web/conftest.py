import datetime as dt
import os
from pathlib import Path

import pytest

from rungs.demo.seed import DEMO_PASSWORD, create_demo

CHROMIUM = os.environ.get("RUNGS_CHROMIUM", "/usr/bin/chromium")

AS_OF = dt.date(2026, 12, 1)


def needs_server_database(what: str) -> pytest.MarkDecorator:
    """Skips a test of concurrent writers on SQLite, which serialises them: it runs in the PostgreSQL pass."""
    from django.db import connection

    return pytest.mark.skipif(
        connection.vendor != "postgresql", reason=f"{what} need a server database (the PostgreSQL pass)"
    )


# ---------------------------------------------------------------------------------------------- the demo
# Building the demo department (synthesis, import, policy, one evaluation run, logins) costs about a second,
# and a hundred tests read it. It is built once into an open transaction; each test that reads it runs in a
# savepoint inside that transaction (pytest-django's TestCase atomics nest), so whatever a test writes is
# rolled back and the next test sees the demo as built. A test that must not see it (any other database
# test, or a transactional one, which commits) first rolls the shared transaction back; the tests of a
# module that read the demo run first, so it is built about once per module rather than once per test.

DB_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
        "django_db_setup",
    }
)


def uses_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or not DB_FIXTURES.isdisjoint(
        getattr(item, "fixturenames", ())
    )


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    names = getattr(item, "fixturenames", ())
    return any(f in names for f in ("transactional_db", "live_server", "django_db_reset_sequences"))


def shares_demo(item: pytest.Item) -> bool:
    return "demo" in getattr(item, "fixturenames", ()) and not _transactional(item)


class SharedDemo:
    """The demo department held in an open transaction on the default database."""

    def __init__(self, blocker) -> None:
        self.blocker = blocker
        self.atomic = None
        self.builds = 0

    def open(self) -> None:
        if self.atomic is not None:
            return
        from django.db import transaction

        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                create_demo(36, as_of=AS_OF, seed=11)
            except BaseException:
                self.close()
                raise
        self.builds += 1

    def close(self) -> None:
        if self.atomic is None:
            return
        from django.db import transaction

        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


_shared: SharedDemo | None = None


_builds = 0  # shown in the summary: about one per module that reads the demo


@pytest.fixture(scope="session")
def _shared_demo(django_db_setup, django_db_blocker):
    global _shared, _builds
    _shared = SharedDemo(django_db_blocker)
    yield _shared
    _shared.close()
    _builds, _shared = _shared.builds, None


def pytest_terminal_summary(terminalreporter) -> None:
    if _builds:
        terminalreporter.write_line(
            f"shared demo department built {_builds} time{'s' if _builds > 1 else ''}"
        )


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The `database` marker on every test that touches the database: it selects the PostgreSQL pass.
    # Within each module (modules keep their order) the tests that read the shared demo run first.
    modules: dict[str, int] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], len(modules))
        if uses_database(item):
            item.add_marker(pytest.mark.database)
    items.sort(key=lambda i: (modules[i.nodeid.split("::")[0]], not shares_demo(i)))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if _shared is not None and uses_database(item) and not shares_demo(item):
        _shared.close()


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request) -> None:
    # Just before pytest-django opens the test's own transaction (a savepoint once the demo's is open).
    if fixturedef.argname == "_django_db_helper" and shares_demo(request.node):
        assert _shared is not None, "the demo fixture requests _shared_demo, a session fixture set up first"
        _shared.open()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: tests roll back what they wrote, and SQLite gives the ids of
    rolled-back rows out again, so a count or a mean kept under those ids could outlive its rows."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request to an /en/ page leaves English active in the
    thread (LocaleMiddleware activates it and nothing deactivates it), so a later test's reverse() gave
    /en/ paths and its assertions depended on the order the tests ran in."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def demo(request, _shared_demo, db):
    """A small demo department (36 people: 3 teams of 12) with one login per role."""
    if shares_demo(request.node):
        assert _shared_demo.atomic is not None
    else:  # a transactional test commits what it writes, and sees only that
        create_demo(36, as_of=AS_OF, seed=11)
    return DEMO_PASSWORD


def login(client, role: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=f"demo-{role}")
    client.force_login(user)
    return user


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for all browser tests, driven by Playwright (no downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the Django calls the tests make
    # meanwhile are ordinary synchronous ones, which Django would otherwise refuse.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    flags = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ]
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=flags)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    yield context.new_page()
    context.close()


def sign_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1")
