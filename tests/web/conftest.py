import datetime as dt
import os
from pathlib import Path

import pytest

from rungs.demo.seed import DEMO_PASSWORD, create_demo

CHROMIUM = os.environ.get("RUNGS_CHROMIUM", "/usr/bin/chromium")

AS_OF = dt.date(2026, 12, 1)


@pytest.fixture
def demo(db):
    """A small demo department (36 people: 3 teams of 12) with one login per role."""
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
