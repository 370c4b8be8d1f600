"""Writes a synthetic interchange data set of N employees × 24 months for the benchmarks.

  python bench/gen_data.py N OUT_DIR [--as-of 2026-12-01] [--seed 7]

Large sets are generated and appended in chunks of 100,200 employees (a whole number of teams), so a
million employees never have to be in memory at once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rungs.core.interchange.writer import export_frames  # noqa: E402
from rungs.core.synth import generate  # noqa: E402

CHUNK = 100_200


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("n", type=int)
    p.add_argument("out")
    p.add_argument("--as-of", default="2026-12-01")
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    rows: dict[str, int] = {}
    for start in range(0, a.n, CHUNK):
        data = generate(
            min(CHUNK, a.n - start), as_of=dt.date.fromisoformat(a.as_of), seed=a.seed + start, start=start
        )
        for name, df in export_frames(data).items():
            if name == "positions" and start:
                continue
            with open(out / f"{name}.csv", "ab" if start else "wb") as f:
                df.write_csv(f, include_header=not start, date_format="%Y-%m-%d")
            rows[name] = rows.get(name, 0) + df.height
    print(f"wrote {rows} to {out} in {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
