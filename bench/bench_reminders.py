"""Benchmark: whom each waiting round step waits on, as send_reminders works it out — the old way (the
inbox's `waiting_on` asked user by user) against the new (`reminders.who_acts`: the users read once, the
steps grouped in Python) in the same run, printing milliseconds, queries and the ratio.

  python bench/bench_reminders.py [N] [--cases 10000] [--postgres [URL]] [--repeat 3]

Creates a throwaway database as bench_rounds.py does, loads N synthetic employees (default 20,000), opens a
company-wide round with `--cases` candidacies (half in a 公示 that has ended, so their approval waits),
and gives every team a team lead login and every department a supervisor and a department manager.
Both ways must find the same users for every candidacy; the bench checks it before timing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pages import AS_OF, PG_DEFAULT, best_of, load, migrated_database, users  # noqa: E402
from bench_rounds import fill  # noqa: E402


def logins() -> int:
    """A team lead per team, a supervisor and a department manager per department."""
    from rungs.accounts.models import Role, User
    from rungs.people.models import Department, Team

    made = [
        User(username=f"bench-tl-{t.pk}", role=Role.TEAM_LEAD, team=t, department_id=t.department_id)
        for t in Team.objects.all()
    ]
    for d in Department.objects.all():
        made.append(User(username=f"bench-sup-{d.pk}", role=Role.SUPERVISOR, department=d))
        made.append(User(username=f"bench-dm-{d.pk}", role=Role.DEPARTMENT_MANAGER, department=d))
    User.objects.bulk_create(made, batch_size=1000)
    return len(made)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("n", type=int, nargs="?", default=20_000)
    p.add_argument("--cases", type=int, default=10_000)
    p.add_argument("--postgres", nargs="?", const=PG_DEFAULT, default=None, metavar="URL")
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()

    cleanup = migrated_database(a.postgres)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        load(a.n)
        hr, _lead, _agent, _subject = users()
        made = logins()
        from rungs.audit import clock
        from rungs.people.models import Position
        from rungs.policies.models import Policy
        from rungs.promotions.models import Candidacy, Round
        from rungs.promotions.reminders import who_acts
        from rungs.promotions.selectors import OPEN_STATES, waiting_on
        from rungs.promotions.services import round_open

        today = AS_OF + dt.timedelta(days=10)  # the bench's 公示 ended on AS_OF + 7
        clock.today = lambda: today
        policy = Policy.objects.get()
        run = policy.runs.get()
        run.official = True
        run.save()
        targets = sorted(
            {(r.track, r.to_level) for r in policy.parsed.rules if r.kind == "promotion" and r.to_level}
        )
        Position.objects.all().delete()  # the synthetic 编制 is already over-full; the bench is not about it
        rnd = round_open(
            policy=policy, name="全公司晋升评审", kind="regular",
            posts=[{"track": t, "level": lv, "number": 1} for t, lv in targets], actor=hr,
        )  # fmt: skip
        fill(rnd, a.cases, hr)

        rows = list(Candidacy.objects.filter(state__in=OPEN_STATES).select_related("employee"))
        rounds = Round.objects.select_related("policy", "department", "notice").in_bulk(
            {c.round_id for c in rows}
        )
        for c in rows:
            c.round = rounds[c.round_id]
        wanted = {c.pk for c in rows}

        def old():
            """reminders.who_acts before this change: the inbox's selector for every user."""
            out: dict[int, list] = {}
            for user in get_user_model().objects.filter(is_active=True).exclude(role="agent"):
                for c in waiting_on(user, today, limit=10**6):
                    if c.pk in wanted:
                        out.setdefault(c.pk, []).append(user)
            return out

        def new():
            return who_acts(today, rows)

        def names(found):
            return {pk: sorted(u.username for u in us) for pk, us in found.items()}

        assert names(old()) == names(new()), "the two ways disagree"
        engine = "PostgreSQL" if a.postgres else "SQLite"
        print(
            f"\n{a.n:,} employees, {len(rows):,} waiting candidacies, {made + 1:,} logins who may act, "
            f"on {engine}, best of {a.repeat}:"
        )
        results = []
        for label, fn in (("baseline: per user (waiting_on × users)", old), ("one pass (who_acts)", new)):
            with CaptureQueriesContext(connection) as ctx:
                found = fn()
            ms = best_of(a.repeat, fn)
            results.append(ms)
            waits = sum(len(v) for v in found.values())
            print(f"  {label:<42} {ms:9.1f} ms  {len(ctx.captured_queries):6,} queries  ({waits:,} waits)")
        print(
            f"  ratio new / baseline: {results[1] / results[0]:.3f}  (× {results[0] / results[1]:.1f} faster)"
        )
    finally:
        cleanup()


if __name__ == "__main__":
    main()
