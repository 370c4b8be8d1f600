"""A real browser: Playwright drives Debian's Chromium against the live app (`pytest -m browser`)."""

import pytest
from playwright.sync_api import expect

from rungs.demo.seed import DEMO_PASSWORD, create_demo

from .conftest import AS_OF, sign_in

pytestmark = [pytest.mark.browser]

# Two different CJK characters drawn on a canvas in the page's own font. Without a CJK font Chromium draws
# the same empty box (tofu) for both, so "rendered" means: ink on the canvas, and the two glyphs differ.
GLYPHS_DIFFER = """() => {
  const font = getComputedStyle(document.body).fontFamily;
  const draw = ch => { const c = document.createElement('canvas'); c.width = c.height = 40;
    const g = c.getContext('2d'); g.font = '32px ' + font; g.fillText(ch, 2, 32);
    return Array.from(g.getImageData(0, 0, 40, 40).data.filter((_, i) => i % 4 === 3)); };
  const a = draw('客'), b = draw('服');
  const ink = a.filter(v => v > 0).length;
  return {ink, differ: a.some((v, i) => v !== b[i])};
}"""


@pytest.mark.django_db(transaction=True)
def test_agent_logs_in_and_sees_chinese_rendered(live_server, page, tmp_path):
    create_demo(24, as_of=AS_OF, seed=5)
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "登录"
    page.fill("input[name=username]", "demo-agent")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#me")
    assert "普通客服工作台" in page.locator("h1").inner_text()
    assert "我的档案" in page.inner_text("#me")
    glyphs = page.evaluate(GLYPHS_DIFFER)
    assert glyphs["ink"] > 50 and glyphs["differ"], f"CJK text does not render (no CJK font?): {glyphs}"
    page.screenshot(path=tmp_path / "agent-home.png")


@pytest.mark.django_db(transaction=True)
def test_team_lead_searches_with_htmx_and_switches_to_english(live_server, page):
    create_demo(24, as_of=AS_OF, seed=5)
    sign_in(page, live_server.url, "demo-team-lead")
    rows = page.locator("#people-rows tr")
    rows.first.wait_for()
    assert rows.count() == 12  # the team, and only the team
    target = rows.nth(5).locator("td").first.inner_text()
    page.fill("input[name=q]", target)
    expect(rows).to_have_count(1)  # locators, not wait_for_function: the CSP forbids eval
    assert target in page.inner_text("#people-rows")
    page.click("button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert "Team lead workspace" in page.locator("h1").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_breaks_the_content_security_policy(live_server, page):
    """Everything is served by the app, without inline code: Chromium reports no CSP violation on the
    pages HR and an administrator use, the API docs included."""
    create_demo(24, as_of=AS_OF, seed=5)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(page, live_server.url, "demo-admin")
    for path in ("/", "/board/", "/board/team/", "/entry/", "/entry/policies/", "/audit/", "/tokens/"):
        assert page.goto(live_server.url + path).status == 200, path
        assert page.locator("h1").count() == 1, path
    page.goto(live_server.url + "/api/docs")
    page.wait_for_selector(".swagger-ui")
    assert violations == []
