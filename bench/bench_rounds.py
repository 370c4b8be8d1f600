"""Benchmark: a promotion round at scale — opening a company-wide round over a stored evaluation, and the
round pages with N candidacies — against a baseline page in the same run.

  python bench/bench_rounds.py [N] [--cases 10000] [--postgres [URL]]

Creates a throwaway database (as bench_pages.py does), loads N synthetic employees (default 100,000) with
24 months of records, stores the demo policy's evaluation, opens a company-wide round for every level the
policy promotes to, lists who is eligible, then puts `--cases` candidacies (default 10,000) into the round,
half of them in the 公示, and renders the pages with django.test.Client (best of 5 after a warm-up),
printing milliseconds and the ratio to the baseline: the agent's home page. Target: every round page under
200 ms at 10,000 cases; listing the candidates of a 100k evaluation in seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pages import AS_OF, PG_DEFAULT, best_of, load, migrated_database, users  # noqa: E402


def fill(rnd, cases: int, hr) -> None:
    """`cases` candidacies from the round's evaluation (eligible first), the first half in the 公示."""
    from rungs.promotions.models import Candidacy, Notice, Transition

    decisions = list(rnd.run.decisions.filter(kind="promotion").order_by("-eligible", "employee_id")[:cases])
    half = len(decisions) // 2
    Candidacy.objects.bulk_create(
        [
            Candidacy(
                round=rnd,
                employee_id=d.employee_id,
                track=d.track,
                from_level=d.from_level,
                to_level=d.to_level,
                route="nominated",
                state="notice" if i < half else "candidate",
                explanation=d.criteria,
            )  # fmt: skip
            for i, d in enumerate(decisions)
        ],
        batch_size=2000,
    )
    Notice.objects.create(round=rnd, opened_on=AS_OF, working_days=5, ends_on=AS_OF + dt.timedelta(days=7))
    Transition.objects.bulk_create(
        [
            Transition(candidacy=c, actor="bench", from_state="", to_state=c.state)
            for c in rnd.candidacies.all()
        ],
        batch_size=2000,
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("n", type=int, nargs="?", default=100_000)
    p.add_argument("--cases", type=int, default=10_000)
    p.add_argument("--postgres", nargs="?", const=PG_DEFAULT, default=None, metavar="URL")
    p.add_argument("--repeat", type=int, default=5)
    a = p.parse_args()

    cleanup = migrated_database(a.postgres)
    from django.test import Client

    try:
        load(a.n)
        hr, lead, agent, _subject = users()
        from rungs.audit import clock
        from rungs.policies.models import Policy
        from rungs.promotions import views
        from rungs.promotions.selectors import waiting_on
        from rungs.promotions.services import round_open

        clock.today = lambda: AS_OF + dt.timedelta(days=3)
        policy = Policy.objects.get()
        run = policy.runs.get()
        run.official = True
        run.save()
        targets = sorted(
            {(r.track, r.to_level) for r in policy.parsed.rules if r.kind == "promotion" and r.to_level}
        )
        from rungs.people.models import Position

        Position.objects.all().delete()  # the synthetic 编制 is already over-full; the bench is not about it
        t0 = time.perf_counter()
        rnd = round_open(
            policy=policy, name="全公司晋升评审", kind="regular",
            posts=[{"track": t, "level": lv, "number": 1} for t, lv in targets], actor=hr,
        )  # fmt: skip
        t1 = time.perf_counter()
        eligible, first = views._eligible_outside(rnd, hr)
        t2 = time.perf_counter()
        print(
            f"opened a company-wide round in {1000 * (t1 - t0):.0f} ms; "
            f"listed {eligible:,} eligible (first {len(first)}) in {1000 * (t2 - t1):.0f} ms"
        )
        fill(rnd, a.cases, hr)
        clients = {}
        for name, user in (("hr", hr), ("lead", lead), ("agent", agent)):
            clients[name] = Client()
            clients[name].force_login(user)

        def page(who: str, path: str, **params):
            def get():
                r = clients[who].get(path, params)
                assert r.status_code == 200, (path, r.status_code)
                return r

            return get

        cases = [
            ("baseline: agent home /", page("agent", "/")),
            ("round board, first page (HR)", page("hr", f"/rounds/{rnd.pk}/")),
            (
                "round board, the 公示 stage, page 20 (HR)",
                page("hr", f"/rounds/{rnd.pk}/", state="notice", page=20),
            ),
            ("round board (team lead, their team)", page("lead", f"/rounds/{rnd.pk}/")),
            ("the 公示 page", page("agent", f"/rounds/{rnd.pk}/notice/")),
            ("the round's progress: funnel, time in stage (HR)", page("hr", f"/rounds/{rnd.pk}/progress/")),
            ("rounds list (HR)", page("hr", "/rounds/")),
            ("HR home with the inbox", page("hr", "/")),
            ("the inbox alone (HR; the selector, no page)", lambda: waiting_on(hr, clock.today())),
        ]
        engine = "PostgreSQL" if a.postgres else "SQLite"
        print(
            f"\n{a.n:,} employees, {rnd.candidacies.count():,} candidacies on {engine}, best of {a.repeat}:"
        )
        baseline = None
        for label, fn in cases:
            ms = best_of(a.repeat, fn)
            baseline = baseline or ms
            print(f"  {label:<48} {ms:8.1f} ms   × {ms / baseline:5.2f} of baseline")
        t0 = time.perf_counter()
        size = len(page("hr", f"/rounds/{rnd.pk}/export.xlsx")().content)
        print(
            f"  export of the round to .xlsx (once)              {1000 * (time.perf_counter() - t0):8.1f} ms   ({size / 1024:.0f} KiB)"
        )
    finally:
        cleanup()


if __name__ == "__main__":
    main()
