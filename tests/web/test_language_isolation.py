"""A test that requests an English page does not leave English active for the tests after it."""

from django.urls import reverse
from django.utils import translation


def test_an_english_page_activates_english_for_its_request(client):
    r = client.get("/en/accounts/login/")
    assert r.status_code == 200
    assert translation.get_language() == "en"  # what LocaleMiddleware leaves behind in this thread


def test_the_next_test_starts_in_chinese_again():
    # Runs after the one above (same module, same worker, file order).
    assert translation.get_language() == "zh-hans"
    assert not reverse("login").startswith("/en/")
