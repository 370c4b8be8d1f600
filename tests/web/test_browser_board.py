"""The board pages in a real browser (Playwright driving Debian's Chromium): an agent's progress chart, a
team lead's team view, and HR filtering the board by team through htmx."""

import pytest
from playwright.sync_api import expect

from rungs.demo.seed import create_demo
from rungs.people.models import Employee

from .conftest import AS_OF, sign_in

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_agent_opens_my_progress_from_home_and_sees_the_chart(live_server, page, tmp_path):
    create_demo(24, as_of=AS_OF, seed=5)
    sign_in(page, live_server.url, "demo-agent")
    page.click("#my-progress-link")
    page.wait_for_selector("#scores svg.chart")
    assert page.locator("h1").inner_text() == "我的晋升进度"
    chart = page.locator("#scores svg.scores")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 200 and box["height"] > 50
    assert page.locator("#scores svg.scores circle").count() > 10  # monthly points drawn
    assert page.locator("#checklist tr").count() > 1 or "没有更高一级" in page.inner_text("main")
    page.screenshot(path=tmp_path / "my-progress.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_team_lead_opens_the_team_view(live_server, page):
    create_demo(24, as_of=AS_OF, seed=5)
    sign_in(page, live_server.url, "demo-team-lead")
    page.click("nav >> text=班组视图")
    page.wait_for_selector("#team-summary")
    assert page.locator("h1").inner_text() == "班组视图"
    assert page.locator("#soon").is_visible() and page.locator("#at-risk").is_visible()
    assert page.locator("#trends svg.chart").count() == 2
    # Only the team: the team picker offers the lead's team alone.
    assert page.locator("select[name=team] option").all_inner_texts()[1:] == ["T0001"]


@pytest.mark.django_db(transaction=True)
def test_hr_filters_the_board_by_team_with_htmx(live_server, page):
    create_demo(24, as_of=AS_OF, seed=5)
    sign_in(page, live_server.url, "demo-hr")
    page.goto(f"{live_server.url}/board/")
    rows = page.locator("#board-rows tr")
    rows.first.wait_for()
    before = rows.count()
    teams_before = {t.split()[0] for t in page.locator("#board-rows tr td:nth-child(2)").all_inner_texts()}
    assert teams_before == {"T0001", "T0002"}
    page.evaluate("window.__kept = true")  # survives an htmx swap, not a page load
    page.select_option("select[name=team]", "T0002")
    expect(page.locator("#board-rows tr td:nth-child(2)").filter(has_not_text="T0002")).to_have_count(0)
    after = page.locator("#board-rows tr").count()
    assert 0 < after < before
    assert after == Employee.objects.filter(team__code="T0002", decisions__isnull=False).distinct().count()
    assert page.evaluate("window.__kept") is True  # the table was swapped in place
    assert "team=T0002" in page.url  # and the address keeps the filter


CLIPPED = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect()])
    .filter(([, r]) => r.left < box.left - 0.5 || r.right > box.right + 0.5
                    || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5)
    .map(([text, r]) => `${svg.getAttribute('class')}: "${text}" ${r.left.toFixed(1)}..${r.right.toFixed(1)}`
                        + ` outside ${box.left.toFixed(1)}..${box.right.toFixed(1)}`);
})"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_chart_axis_labels_are_not_clipped(live_server, browser, width):
    """Issue 9: every axis label of the progress page's and the team view's charts lies inside its chart
    (an SVG cuts off whatever falls outside its view box), on a desktop and on a phone."""
    create_demo(24, as_of=AS_OF, seed=5)
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "demo-team-lead")
        person = Employee.objects.filter(team__code="T0001", evaluations__isnull=False).first()
        for url, charts in ((f"/board/employee/{person.employee_id}/", 1), ("/board/team/", 2)):
            page.goto(f"{live_server.url}{url}")
            page.wait_for_selector("svg.chart text.tick")
            assert page.locator("svg.chart").count() >= charts
            assert page.locator("svg.chart text.tick").count() > 8
            assert page.evaluate(CLIPPED) == [], url
    finally:
        context.close()
