"""What a new policy version would change: who gains or loses eligibility for a promotion, compared with
the version in force, on the same data and day."""

from __future__ import annotations

import polars as pl

from rungs.core.engine.evaluate import Evaluation

KEY = ["employee_id", "track", "from_level", "to_level"]


def _eligible(ev: Evaluation) -> pl.DataFrame:
    frames = [
        r.frame.select(*KEY, "eligible") for r in ev.results if r.rule.kind == "promotion" and r.frame.height
    ]
    if not frames:
        return pl.DataFrame(schema={**dict.fromkeys(KEY, pl.String), "eligible": pl.Boolean})
    return pl.concat([f.cast({c: pl.String for c in KEY}) for f in frames], how="vertical_relaxed")


def eligibility_changes(current: Evaluation, draft: Evaluation) -> pl.DataFrame:
    """One row per person and promotion step whose eligibility differs: employee_id, track, from_level,
    to_level, before, after (null where that version has no such step) and change ("gains" | "loses")."""
    before = _eligible(current).rename({"eligible": "before"})
    after = _eligible(draft).rename({"eligible": "after"})
    both = before.join(after, on=KEY, how="full", coalesce=True)
    was, now = pl.col("before").fill_null(False), pl.col("after").fill_null(False)
    return (
        both.filter(was != now)
        .with_columns(pl.when(now).then(pl.lit("gains")).otherwise(pl.lit("loses")).alias("change"))
        .sort(KEY)
    )
