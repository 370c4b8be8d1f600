"""Benchmark: server-side rendering of the board pages at scale, against a baseline page in the same run.

  python bench/bench_pages.py [N] [--postgres [URL]] [--sqlite FILE | --pg-keep NAME] [--no-export]

Creates a throwaway database (SQLite under /tmp, or with --postgres a new database on the server at URL,
default postgres://postgres@127.0.0.1:5432/postgres, dropped afterwards), loads N synthetic employees
(default 10,000) with 24 months of records, runs the demo policy's evaluation, then renders each page with
django.test.Client (best of 5, after one warm-up) and prints milliseconds and the ratio to the baseline:
the agent's home page. Target: the board's first page and one person's progress page under 200 ms at 10k.

Loading 100k takes minutes, so --sqlite FILE and --pg-keep NAME keep the database (a file, or a database
NAME on the server) and reuse it on the next run when it already holds a stored evaluation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
AS_OF = dt.date(2026, 12, 1)
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"


def best_of(n: int, fn) -> float:
    fn()  # warm-up: caches, the parsed policy, the database's pages
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) * 1000


def throwaway_database(
    pg: str | None, sqlite: str | None = None, keep: str | None = None
) -> tuple[str, object]:
    """(DATABASE_URL, cleanup) for a fresh database (or the SQLite file / server database given, kept)."""
    if sqlite:
        return f"sqlite:///{Path(sqlite).resolve()}", lambda: None
    if pg is None:
        folder = tempfile.mkdtemp(prefix="rungs-bench-pages-")
        return f"sqlite:///{folder}/bench.sqlite3", lambda: None
    import psycopg

    if keep:
        with psycopg.connect(pg, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [keep]).fetchone():
                conn.execute(f'CREATE DATABASE "{keep}"')
        return pg.rsplit("/", 1)[0] + "/" + keep, lambda: None
    name = f"rungs_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(pg, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return pg.rsplit("/", 1)[0] + "/" + name, drop


def migrated_database(pg: str | None, sqlite: str | None = None, keep: str | None = None):
    """Django set up on a throwaway database (as throwaway_database gives it), migrated; returns its cleanup.
    The benches' common start: Django reads DATABASE_URL when it is set up, so this comes before any
    import of the product's models."""
    url, cleanup = throwaway_database(pg, sqlite, keep)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")  # plain static files, no HTTPS
    import django

    django.setup()
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
    except BaseException:
        cleanup()
        raise
    return cleanup


def load(n: int) -> None:
    from rungs.core.synth import generate
    from rungs.datasets.loader import replace_all
    from rungs.demo.seed import DEMO_POLICY
    from rungs.policies.models import Policy
    from rungs.policies.runs import run_evaluation

    t0 = time.perf_counter()
    data = generate(n, as_of=AS_OF, seed=7)
    replace_all(data)
    t1 = time.perf_counter()
    policy = Policy.from_text(DEMO_POLICY.read_text(encoding="utf-8"), DEMO_POLICY.name)
    policy.save()
    run_evaluation(policy, AS_OF)
    t2 = time.perf_counter()
    print(f"loaded {n:,} employees in {t1 - t0:.1f} s; evaluation stored in {t2 - t1:.1f} s")


def already_loaded(kept: str | None) -> bool:
    """A kept database is reused once a run is stored in it; a half-finished load is loaded again."""
    from rungs.policies.models import EvaluationRun

    return bool(kept) and EvaluationRun.objects.exists()


def users():
    from rungs.accounts.models import Role, User
    from rungs.people.models import Employee, Team
    from rungs.policies.models import Decision

    team = Team.objects.order_by("code").first()
    lead = Employee.objects.filter(team=team, reports__isnull=False).distinct().first()
    agent = Employee.objects.filter(team=team, manager=lead).order_by("employee_id").first()
    User.objects.filter(username__startswith="bench-").delete()
    hr = User.objects.create(username="bench-hr", role=Role.HR)
    lead_user = User.objects.create(username="bench-lead", role=Role.TEAM_LEAD, team=team, employee=lead)
    agent_user = User.objects.create(username="bench-agent", role=Role.AGENT, team=team, employee=agent)
    # The person of the progress page: one with a promotion step, in the middle of the ids.
    middle = Employee.objects.order_by("employee_id")[Employee.objects.count() // 2].employee_id
    subject = (
        Decision.objects.filter(kind="promotion", employee__employee_id__gte=middle)
        .order_by("employee__employee_id")
        .values_list("employee__employee_id", flat=True)
        .first()
    )
    return hr, lead_user, agent_user, subject


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("n", type=int, nargs="?", default=10_000)
    p.add_argument("--postgres", nargs="?", const=PG_DEFAULT, default=None, metavar="URL")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument(
        "--sqlite", metavar="FILE", help="keep the SQLite database in FILE; reuse it when it exists"
    )
    p.add_argument("--no-export", action="store_true", help="skip the .xlsx export (a minute at 100k)")
    p.add_argument(
        "--pg-keep",
        metavar="NAME",
        help="with --postgres: keep the server database NAME; reuse it when it holds an evaluation",
    )
    a = p.parse_args()
    if a.pg_keep and not a.postgres:
        p.error("--pg-keep needs --postgres")

    cleanup = migrated_database(a.postgres, a.sqlite, a.pg_keep)
    from django.test import Client

    try:
        if not already_loaded(a.sqlite or a.pg_keep):
            load(a.n)
        hr, lead, agent, subject = users()
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
            ("board, first page (HR, everyone)", page("hr", "/board/")),
            (
                "board, a step, sorted by criteria met",
                page("hr", "/board/", step="skill.intermediate-senior", sort="-passed"),
            ),
            ("board, status close (HR)", page("hr", "/board/", status="close")),
            ("board, team lead", page("lead", "/board/")),
            (f"progress page of {subject} (HR)", page("hr", f"/board/employee/{subject}/")),
            ("my progress (agent)", page("agent", "/board/me/")),
            ("team view (team lead)", page("lead", "/board/team/")),
            ("team view (HR, everyone)", page("hr", "/board/team/")),
        ]
        engine = "PostgreSQL" if a.postgres else "SQLite"
        print(f"\n{a.n:,} employees on {engine}, best of {a.repeat}:")
        baseline = None
        for label, fn in cases:
            ms = best_of(a.repeat, fn)
            baseline = baseline or ms
            print(f"  {label:<48} {ms:8.1f} ms   × {ms / baseline:5.2f} of baseline")
        if a.no_export:
            return
        t0 = time.perf_counter()
        size = len(page("hr", "/board/export.xlsx")().content)
        print(
            f"  export of every row to .xlsx (once)               {1000 * (time.perf_counter() - t0):8.1f} ms"
            f"   ({size / 1024:.0f} KiB)"
        )
    finally:
        cleanup()


if __name__ == "__main__":
    main()
