"""Writes a synthetic interchange data set of N employees × 24 months for the benchmarks.

python bench/gen_data.py N OUT_DIR [--as-of 2026-12-01] [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rungs.core.interchange.writer import write_dataset  # noqa: E402
from rungs.core.synth import generate  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("n", type=int)
    p.add_argument("out")
    p.add_argument("--as-of", default="2026-12-01")
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    t0 = time.perf_counter()
    data = generate(a.n, as_of=dt.date.fromisoformat(a.as_of), seed=a.seed)
    t1 = time.perf_counter()
    write_dataset(data, a.out)
    t2 = time.perf_counter()
    rows = {name: len(data.frame(name)) for name in ("employees", "evaluations", "metrics", "events")}
    print(f"generated {rows} in {t1 - t0:.1f}s, wrote {a.out} in {t2 - t1:.1f}s")


if __name__ == "__main__":
    main()
