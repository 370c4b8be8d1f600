"""The 公示 counts its posting day as day 1 now (rungs.core.notice); a notice stored before the change keeps
an end one working day late. Applying the upgrade's migration (promotions 0008, honors 0002, no schema
change) has each app's post_migrate receiver recount the notices still running through the path a
calendar change takes; a notice that has ended is left as it was decided. Dates are worked by hand on the
2026 arrangement (中秋 Fri 25 – Sun 27 Sep, National Day Thu 1 – Wed 7 Oct off, Sat 10 Oct 调休上班)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import post_migrate

from rungs.audit import clock
from rungs.honors.models import HonorNotice
from rungs.promotions.models import Candidacy, Notice
from rungs.promotions.services import candidacy_apply, candidacy_review, notice_open
from rungs.records.calendar import calendar_day_set
from tests.web.test_honors import company as honors_company  # noqa: F401  (the fixture)
from tests.web.test_rounds import company  # noqa: F401  (the fixture)

D = dt.date


def migrated(app: str, name: str | None) -> str:
    """post_migrate to `app` as `migrate` sends it after applying migration `name` (None: as `flush`
    sends it, with no plan). What the receiver printed."""
    config = apps.get_app_config(app)
    plan = [(MigrationLoader(connection).graph.nodes[(app, name)], False)] if name else None
    out = io.StringIO()
    post_migrate.send(
        sender=config,
        app_config=config,
        verbosity=1,
        interactive=False,
        using="default",
        plan=plan,
        apps=apps,
        stdout=out,
    )
    return out.getvalue()


@pytest.mark.django_db
def test_the_upgrade_recounts_a_running_round_notice_and_its_candidates_due_dates(company, monkeypatch):  # noqa: F811
    u, rnd = company
    monkeypatch.setattr(clock, "today", lambda: D(2026, 9, 30))
    c = candidacy_apply(round=rnd, actor=u["fang"], statement="申请")
    candidacy_review(candidacy=c, passed=True, actor=u["sup"])
    notice = notice_open(round=rnd, opened_on=D(2026, 10, 9), actor=u["hr"])
    # as stored before the change: Sat 10 (1), Mon 12 (2) … Thu 15 (5); the approval 3 working days after
    # it: Fri 16, Mon 19, Tue 20
    Notice.objects.filter(pk=notice.pk).update(ends_on=D(2026, 10, 15))
    Candidacy.objects.filter(pk=c.pk).update(due_on=D(2026, 10, 20))

    monkeypatch.setattr(clock, "today", lambda: D(2026, 10, 12))  # Monday: the notice is running
    migrated("promotions", None)  # a flush, or a migrate that did not apply the upgrade: nothing moves
    assert Notice.objects.get(pk=notice.pk).ends_on == D(2026, 10, 15)

    said = migrated("promotions", "0008_notice_from_posting_day")
    # Fri 9 (1), Sat 10 (2), Mon 12 (3), Tue 13 (4), Wed 14 (5); approval: Thu 15, Fri 16, Mon 19
    assert (Notice.objects.get(pk=notice.pk).ends_on, Candidacy.objects.get(pk=c.pk).due_on) == (
        D(2026, 10, 14),
        D(2026, 10, 19),
    )
    assert "1 end date(s) moved" in said


@pytest.mark.django_db
def test_the_upgrade_leaves_a_round_notice_that_has_ended(company, monkeypatch):  # noqa: F811
    u, rnd = company
    monkeypatch.setattr(clock, "today", lambda: D(2026, 9, 30))
    c = candidacy_apply(round=rnd, actor=u["fang"], statement="申请")
    candidacy_review(candidacy=c, passed=True, actor=u["sup"])
    notice = notice_open(round=rnd, opened_on=D(2026, 10, 9), actor=u["hr"])
    Notice.objects.filter(pk=notice.pk).update(ends_on=D(2026, 10, 15))  # the old count, as above

    monkeypatch.setattr(clock, "today", lambda: D(2026, 10, 16))  # the day after its (old) end: ended
    migrated("promotions", "0008_notice_from_posting_day")
    assert Notice.objects.get(pk=notice.pk).ends_on == D(2026, 10, 15)


@pytest.mark.django_db
def test_the_upgrade_recounts_a_running_honor_notice_and_leaves_an_ended_one(honors_company, monkeypatch):  # noqa: F811
    _e, _u, _excellent, star = honors_company
    # 3 working days each, as stored before the change (the day after posting was day 1)
    running = HonorNotice.objects.create(
        honor=star, cycle="2026-10", opened_on=D(2026, 11, 16), working_days=3, ends_on=D(2026, 11, 19)
    )  # Mon 16: Tue 17 (1), Wed 18 (2), Thu 19 (3)
    ended = HonorNotice.objects.create(
        honor=star, cycle="2026-09", opened_on=D(2026, 10, 12), working_days=3, ends_on=D(2026, 10, 15)
    )  # Mon 12: Tue 13 (1), Wed 14 (2), Thu 15 (3)
    monkeypatch.setattr(clock, "today", lambda: D(2026, 11, 17))

    migrated("honors", None)
    assert HonorNotice.objects.get(pk=running.pk).ends_on == D(2026, 11, 19)
    said = migrated("honors", "0002_notice_from_posting_day")
    running.refresh_from_db()
    ended.refresh_from_db()
    # Mon 16 (1), Tue 17 (2), Wed 18 (3); the notice that ended on 15 October stays as it was decided
    assert (running.ends_on, ended.ends_on) == (D(2026, 11, 18), D(2026, 10, 15))
    assert "1 end date(s) moved" in said


@pytest.mark.django_db
def test_an_honor_notice_counts_on_the_companys_calendar_and_recounts_when_it_changes(
    honors_company,  # noqa: F811
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    _e, u, _excellent, star = honors_company
    from rungs.promotions.services import count_notice

    notice = HonorNotice.objects.create(
        honor=star, cycle="2026-10", opened_on=D(2026, 11, 16), working_days=3
    )
    count_notice(notice)
    assert notice.ends_on == D(2026, 11, 18)  # Mon 16, Tue 17, Wed 18
    monkeypatch.setattr(clock, "today", lambda: D(2026, 11, 16))
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(day=D(2026, 11, 17), workday=False, name="公司年会", actor=u["hr"])
    notice.refresh_from_db()
    assert notice.ends_on == D(2026, 11, 19)  # Mon 16, Wed 18, Thu 19: Tue 17 is off now
    later = HonorNotice.objects.create(honor=star, cycle="2026-11", opened_on=D(2026, 11, 16), working_days=3)
    count_notice(later)  # as honor_notice_open counts a notice posted now
    assert later.ends_on == D(2026, 11, 19)
