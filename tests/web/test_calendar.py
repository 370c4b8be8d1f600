"""The company's working-day calendar: seeded from the package, corrected by hand, imported for a year the
State Council has just announced — and a 公示 counted through an unannounced year becomes firm when that
year is imported. Dates worked by hand (see tests/core/test_notice.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.accounts.authority import Denied
from rungs.audit import clock
from rungs.promotions.services import candidacy_apply, candidacy_review, notice_open
from rungs.records.calendar import CalendarRefused, calendar_day_set, calendar_import, calendar_seed
from rungs.records.models import CalendarDay, CalendarYear
from tests.web.test_rounds import company  # noqa: F401  (the fixture)

D = dt.date


def noticed(u, rnd, opened_on):
    c = candidacy_apply(round=rnd, actor=u["fang"], statement="申请")
    candidacy_review(candidacy=c, passed=True, actor=u["sup"])
    return notice_open(round=rnd, opened_on=opened_on, actor=u["hr"])


@pytest.mark.django_db
def test_importing_the_new_year_makes_a_provisional_notice_firm(company, django_capture_on_commit_callbacks):  # noqa: F811
    u, rnd = company
    # opened Mon 28 Dec 2026, day 1: 28, 29, 30, 31 Dec, then 2027 (not announced): Fri 1 Jan assumed
    # working (5)
    notice = noticed(u, rnd, D(2026, 12, 28))
    assert (notice.ends_on, notice.provisional) == (D(2027, 1, 1), True)

    with pytest.raises(Denied):
        calendar_import(year=2027, text="2027-01-01,0,元旦\n", source="国办发明电", actor=u["dm"])
    with pytest.raises(CalendarRefused, match="第 3 行第 2 列"):
        calendar_import(
            year=2027,
            text="日期,上班,名称\n2027-01-01,0,元旦\n2027-02-07,maybe,春节调休\n",
            source="x",
            actor=u["hr"],
        )
    with pytest.raises(CalendarRefused, match="第 1 行第 1 列：2026-10-01 不在 2027 年"):
        calendar_import(year=2027, text="2026-10-01,0,国庆节\n", source="x", actor=u["hr"])
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()  # nothing of a bad file

    with django_capture_on_commit_callbacks(execute=True):  # the 公示 recounts once the import commits
        n = calendar_import(
            year=2027, text="日期,上班,名称\n2027-01-01,0,元旦\n", source="国办发明电〔2026〕", actor=u["hr"]
        )
    assert n == 1
    notice.refresh_from_db()
    # 1 Jan is a holiday now: 28, 29, 30, 31 Dec, Mon 4 Jan (5); and 2027 is announced, so the end is firm
    assert (notice.ends_on, notice.provisional) == (D(2027, 1, 4), False)


@pytest.mark.django_db
def test_seeded_from_the_package_and_a_day_corrected_by_hand(
    company,  # noqa: F811
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    u, rnd = company
    assert calendar_seed(year=2026, actor=u["hr"]) == 25  # the package's 2026 exceptions to Mon–Fri
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).workday is True  # the make-up Saturday
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"
    # opened Wed 23 Sep: 23 (1), 24 (2), 25 Sep is 中秋节, 28, 29, 30 Sep (5) → ends 30 Sep
    notice = noticed(u, rnd, D(2026, 9, 23))
    assert notice.ends_on == D(2026, 9, 30)
    monkeypatch.setattr(clock, "today", lambda: D(2026, 9, 23))
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(day=D(2026, 9, 24), workday=False, name="公司年会", actor=u["hr"])
    notice.refresh_from_db()
    # Thu 24 Sep off as well: 23, 28, 29, 30 Sep, then 1–7 Oct off, 8 Oct (5) → ends 8 Oct (the notice
    # was still running)
    assert notice.ends_on == D(2026, 10, 8)
    # once a notice has ended, a later correction leaves its end as it was decided
    monkeypatch.setattr(clock, "today", lambda: D(2026, 10, 20))
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(day=D(2026, 9, 28), workday=False, name="更正", actor=u["hr"])
    notice.refresh_from_db()
    assert notice.ends_on == D(2026, 10, 8)
    with pytest.raises(CalendarRefused, match="2030"):
        calendar_seed(year=2030, actor=u["hr"])


@pytest.mark.django_db
def test_the_calendar_page_imports_a_file_for_hr_only(company, client):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    u, _ = company
    client.force_login(u["dm"])
    assert client.get("/rounds/calendar/").status_code == 403
    client.force_login(u["hr"])
    upload = SimpleUploadedFile(
        "2027.csv", "日期,上班,名称\n2027-01-01,0,元旦\n2027-02-07,1,春节调休上班\n".encode()
    )
    client.post(
        "/rounds/calendar/", {"step": "import", "year": "2027", "source": "国办发明电", "file": upload}
    )
    assert list(CalendarDay.objects.values_list("date", "workday")) == [
        (D(2027, 1, 1), False),
        (D(2027, 2, 7), True),
    ]
    page = client.post(
        "/rounds/calendar/", {"step": "import", "year": "2027", "text": "2027-13-01,0,x"}, follow=True
    )
    assert "第 1 行第 1 列" in page.content.decode() and CalendarDay.objects.count() == 2
