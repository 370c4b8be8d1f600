"""Benchmark: storing an evaluation run in the database, against the CSV run measured in the same run.

  python bench/bench_store.py [N] [--postgres [URL]] [--repeat 2]

Creates a throwaway database (SQLite under /tmp, or with --postgres a new database on the server at URL,
default postgres://postgres@127.0.0.1:5432/postgres, dropped afterwards), loads N synthetic employees
(default 10,000) and writes the same data set as CSV files. Then, best of --repeat each, alternating:
the baseline, `rungs evaluate --format csv` on the files (a whole process, CSV in, CSV out), and
`run_evaluation` (read the records from the database, evaluate, build and insert the decisions), with
its phases. Prints seconds and the ratio stored / CSV run. Target: within 3× at 100k on PostgreSQL.
Policy: examples/policies/dual-track-logistics.yaml.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.bench_pages import PG_DEFAULT, migrated_database  # noqa: E402

AS_OF = dt.date(2026, 12, 1)
POLICY = ROOT / "examples" / "policies" / "dual-track-logistics.yaml"


def csv_run(folder: Path) -> float:
    rungs = Path(sys.executable).with_name("rungs")
    cmd = [str(rungs), "evaluate", "--policy", str(POLICY), "--data", str(folder)]
    cmd += ["--as-of", AS_OF.isoformat(), "--format", "csv", "-o", str(folder / "out.csv")]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("n", type=int, nargs="?", default=10_000)
    p.add_argument("--postgres", nargs="?", const=PG_DEFAULT, default=None, metavar="URL")
    p.add_argument("--repeat", type=int, default=2)
    a = p.parse_args()

    cleanup = migrated_database(a.postgres)

    from rungs.core.interchange.writer import write_dataset
    from rungs.core.synth import generate
    from rungs.datasets.loader import replace_all
    from rungs.policies import runs
    from rungs.policies.models import Policy

    phases: dict[str, float] = defaultdict(float)

    def timed(name, fn):
        def wrapper(*args, **kw):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                phases[name] += time.perf_counter() - t0

        return wrapper

    try:
        t0 = time.perf_counter()
        data = generate(a.n, as_of=AS_OF, seed=7)
        replace_all(data)
        folder = Path(tempfile.mkdtemp(prefix="rungs-bench-store-"))
        write_dataset(data, folder)
        del data
        print(f"{a.n:,} employees loaded and written to {folder} in {time.perf_counter() - t0:.1f} s")
        policy = Policy.from_text(POLICY.read_text(encoding="utf-8"), POLICY.name)
        policy.save()
        runs.dataset_from_db = timed("read the records", runs.dataset_from_db)
        runs.evaluate = timed("evaluate", runs.evaluate)
        runs.insert_rows = timed("insert", runs.insert_rows)
        csv_times, store_times, best_phases, decisions = [], [], {}, 0
        for _ in range(a.repeat):
            csv_times.append(csv_run(folder))
            phases.clear()
            t0 = time.perf_counter()
            run = runs.run_evaluation(policy, AS_OF)
            store_times.append(time.perf_counter() - t0)
            if store_times[-1] == min(store_times):
                best_phases = dict(phases)
            decisions = run.decisions.count()
        engine = "PostgreSQL" if a.postgres else "SQLite"
        csv_s, store_s = min(csv_times), min(store_times)
        print(f"rungs evaluate --format csv (whole process)   {csv_s:7.2f} s   (runs: {_list(csv_times)})")
        print(
            f"run_evaluation on {engine:<10} ({decisions:,} decisions) {store_s:7.2f} s   (runs: {_list(store_times)})"
        )
        rest = store_s - sum(best_phases.values())
        for name, s in [*best_phases.items(), ("the rest: building the decisions, …", rest)]:
            print(f"  {name:<40} {s:7.2f} s")
        print(f"stored / CSV run = {store_s / csv_s:.2f}  (target ≤ 3 at 100k on PostgreSQL)")
    finally:
        cleanup()


def _list(times: list[float]) -> str:
    return " ".join(f"{t:.2f}" for t in times)


if __name__ == "__main__":
    main()
