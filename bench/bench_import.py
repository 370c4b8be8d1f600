"""Benchmark: importing a data set into the database (preview + all-or-nothing apply).

  python bench/bench_import.py [--employees 8500] [--database sqlite|postgres]

Generates a synthetic data set (about 1,000,000 KPI rows at the default size), writes it as CSV, and
times in the same run: reading and validating the files (the baseline), planning the import against the
empty database, applying it, and re-importing the same files (which must change nothing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--employees", type=int, default=8500)
    ap.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rungs-bench-import-"))
    if args.database == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    else:
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS rungs_bench_import")
            c.execute("CREATE DATABASE rungs_bench_import")
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/rungs_bench_import"
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "rungs.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from rungs.core.interchange.reader import read_dataset
    from rungs.core.interchange.writer import write_dataset
    from rungs.core.synth import generate
    from rungs.datasets.importer import apply, read_for_import
    from rungs.records.models import Metric

    call_command("migrate", verbosity=0)
    data_dir = write_dataset(generate(args.employees, as_of=dt.date(2026, 12, 1)), work / "data")

    def timed(fn):
        t0 = time.perf_counter()
        out = fn()
        return time.perf_counter() - t0, out

    t_read, data = timed(lambda: read_dataset(data_dir))
    t_plan, plan = timed(lambda: read_for_import(data_dir))
    t_apply, _ = timed(lambda: apply(plan))
    t_again, again = timed(lambda: read_for_import(data_dir))
    rows = data.metrics.height
    assert Metric.objects.count() == rows and not again.touches_anything
    total = t_plan + t_apply
    print(
        f"database {args.database}; employees {args.employees:,}; metric rows {rows:,}; "
        f"evaluation rows {data.evaluations.height:,}; events {data.events.height:,}"
    )
    print(f"read + validate files (baseline)   {t_read:7.2f} s")
    print(f"plan against the database           {t_plan:7.2f} s")
    print(f"apply (one transaction)             {t_apply:7.2f} s")
    print(
        f"import total                        {total:7.2f} s   ({rows / total:,.0f} metric rows/s; target 1M in < 60 s)"
    )
    print(f"ratio import / baseline             {total / t_read:7.1f}×")
    print(f"re-import, nothing to change        {t_again:7.2f} s")


if __name__ == "__main__":
    main()
