"""The company's working-day calendar: the maintained package's (chinese_calendar) with a table over it,
seeded from the package, corrected by HR or an administrator, and imported for a year the State Council has
just announced. Deadlines counted through a year nobody knew yet are provisional; whoever keeps them
listens to `calendar_changed` and counts again (the rounds' 公示 does)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from rungs.accounts.authority import check
from rungs.audit.trail import record
from rungs.core.calendar import package_exceptions, with_table
from rungs.records.models import CalendarDay, CalendarYear

calendar_changed = Signal()  # sent after a commit that changed the table


class CalendarRefused(Exception):
    """The calendar file or edit is wrong; the message names the row and column."""


def company_calendar():
    """The working-day function of rungs.core.notice over the table as it is now."""
    return with_table(
        dict(CalendarDay.objects.values_list("date", "workday")),
        set(CalendarYear.objects.values_list("year", flat=True)),
    )


def _changed():
    transaction.on_commit(lambda: calendar_changed.send(sender=CalendarDay))


@transaction.atomic
def calendar_seed(*, year: int, actor) -> int:
    """Copies the package's holidays and make-up days of `year` into the table, to be corrected there."""
    check(actor, "calendar.edit")
    days = package_exceptions(year)
    if not days:
        raise CalendarRefused(
            _("内置日历还没有 %(year)s 年的节假日安排，请导入国务院办公厅公布的安排。") % {"year": year}
        )
    return _replace(year, days, _("内置日历（chinese_calendar）"), actor)


TRUE, FALSE = (
    {"1", "是", "上班", "true", "yes", "y", "workday"},
    {"0", "否", "休息", "放假", "false", "no", "n", "holiday"},
)


@transaction.atomic
def calendar_import(*, year: int, text: str, source: str, actor) -> int:
    """A year's days that differ from Monday–Friday, as CSV rows `日期,上班,名称` (date YYYY-MM-DD; 上班 1/0,
    是/否, 上班/休息); a header row is allowed. All or nothing; the year then counts as announced."""
    check(actor, "calendar.edit")
    days: list[tuple[dt.date, bool, str]] = []
    seen: set[dt.date] = set()
    for n, row in enumerate(csv.reader(io.StringIO(text)), 1):
        if not row or not "".join(row).strip():
            continue
        if n == 1 and row[0].strip() in ("日期", "date"):
            continue
        if len(row) < 2:
            raise CalendarRefused(
                _("第 %(n)s 行：应为“日期,上班,名称”，而不是“%(row)s”。") % {"n": n, "row": ",".join(row)}
            )
        try:
            day = dt.date.fromisoformat(row[0].strip())
        except ValueError:
            raise CalendarRefused(
                _("第 %(n)s 行第 1 列：日期应为 YYYY-MM-DD，而不是“%(v)s”。") % {"n": n, "v": row[0]}
            ) from None
        if day.year != year:
            raise CalendarRefused(
                _("第 %(n)s 行第 1 列：%(day)s 不在 %(year)s 年。") % {"n": n, "day": day, "year": year}
            )
        if day in seen:
            raise CalendarRefused(_("第 %(n)s 行第 1 列：%(day)s 出现了两次。") % {"n": n, "day": day})
        flag = row[1].strip().lower()
        if flag not in TRUE | FALSE:
            raise CalendarRefused(
                _("第 %(n)s 行第 2 列：应为 1/0、是/否 或 上班/休息，而不是“%(v)s”。") % {"n": n, "v": row[1]}
            )
        seen.add(day)
        days.append((day, flag in TRUE, (row[2].strip() if len(row) > 2 else "")[:100]))
    if not days:
        raise CalendarRefused(_("文件中没有任何日期。"))
    return _replace(year, days, source or _("导入"), actor)


def _replace(year: int, days: list[tuple[dt.date, bool, str]], source: str, actor) -> int:
    before = CalendarDay.objects.filter(date__year=year).count()
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create([CalendarDay(date=d, workday=w, name=name) for d, w, name in days])
    CalendarYear.objects.update_or_create(year=year, defaults={"source": source[:200]})
    record(
        actor,
        "calendar.edit",
        ("calendar", str(year), f"{year}"),
        before={"days": before},
        after={"days": len(days), "source": source},
    )
    _changed()
    return len(days)


@transaction.atomic
def calendar_day_set(*, day: dt.date, workday: bool, name: str, actor) -> CalendarDay:
    """One day corrected by hand (a company holiday, a mistaken entry)."""
    check(actor, "calendar.edit")
    old = CalendarDay.objects.filter(date=day).first()
    entry, _created = CalendarDay.objects.update_or_create(
        date=day, defaults={"workday": workday, "name": name[:100]}
    )
    record(
        actor,
        "calendar.edit",
        entry,
        before={"workday": old.workday, "name": old.name} if old else None,
        after={"workday": workday, "name": entry.name},
    )
    _changed()
    return entry
