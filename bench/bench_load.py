"""Benchmark: loading a data set (read + validate) against plain Polars CSV reads of the same files.

  python bench/bench_load.py DATA_DIR

The baseline reads every CSV file with `polars.read_csv` and no checks at all, in the same run. The ratio
is what validation, period parsing and the metric filter cost on top of the bare parse.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src")]

from rungs.core.engine.evaluate import metrics_used  # noqa: E402
from rungs.core.interchange.reader import read_dataset  # noqa: E402
from rungs.core.policy.parse import load_policy  # noqa: E402

POLICY = ROOT / "examples" / "policies" / "dual-track-logistics.yaml"


def best_of(n: int, fn) -> float:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    folder = Path(sys.argv[1])
    keep = metrics_used(load_policy(POLICY))
    files = sorted(folder.glob("*.csv"))
    size = sum(f.stat().st_size for f in files) / 1e6
    t_base = best_of(3, lambda: [pl.read_csv(f) for f in files])
    t_all = best_of(3, lambda: read_dataset(folder))
    t_keep = best_of(3, lambda: read_dataset(folder, keep_metrics=keep))
    print(f"{folder}: {len(files)} files, {size:,.0f} MB")
    print(f"baseline: polars.read_csv, no checks     {t_base:7.2f} s")
    print(f"read_dataset, all metrics               {t_all:7.2f} s   {t_all / t_base:5.2f}× baseline")
    print(
        f"read_dataset, metrics the policy uses   {t_keep:7.2f} s   {t_keep / t_base:5.2f}× baseline"
        f"   (target < 3 s at 100k employees)"
    )


if __name__ == "__main__":
    main()
