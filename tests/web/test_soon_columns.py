"""soon_months computed from the engine's columns (what a stored run keeps) against the per-decision
soon_months over the stored criteria, on hand-made result frames (the tiny policy of
tests/core/test_report_columns.py: tenure at the level ≥ 12 months with an associate degree, else 18)."""

import polars as pl

from rungs.board.gaps import soon_months
from rungs.core.engine import report
from rungs.core.engine.soon import soon_months_expr
from rungs.policies.policy_view import _view
from tests.core import report_reference as ref
from tests.core.test_report_columns import POLICY, PROMOTION, WATCH, evaluation


def promotion(actual, required, passed, eligible):
    n = len(actual)
    frame = {
        k: (v * 3)[:n] if isinstance(v, list) else v
        for k, v in PROMOTION.items()
        if not k.startswith("tenure")
    }
    frame |= {"employee_id": [f"E{i + 1}" for i in range(n)], "eligible": eligible}
    frame |= {
        "tenure|a": pl.Series(actual, dtype=pl.Int32),
        "tenure|r": pl.Series(required, dtype=pl.Float64),
        "tenure|p": passed,
    }
    return frame


CASES = promotion(
    actual=[15, 16, 11, None, 10, 14, 9],
    required=[18.0, 18.0, 12.0, 12.0, 18.0, 12.0, 12.0],
    passed=[False, False, False, False, False, True, False],
    eligible=[False, False, True, False, False, False, False],
)
# By hand: E1 3 months short; E2 2; E3 is eligible (nothing pending); E4 has no level start on record;
# E5 is 8 short (beyond three months); E6 has met its tenure; E7 is exactly three short.
BY_HAND = [3, 2, None, None, None, None, 3]


def stored(ev):
    return pl.concat(
        report.decision_parts(ev, "zh", extra=lambda r: [soon_months_expr(r).alias("soon_months")])
    )


def test_soon_months_by_hand():
    rows = stored(evaluation({"t.a-b": CASES, "watch": WATCH}))
    promotions = rows.filter(pl.col("kind") == "promotion")
    assert promotions.get_column("soon_months").to_list() == BY_HAND
    assert rows.filter(pl.col("kind") != "promotion").get_column("soon_months").null_count() == 3


def test_soon_months_as_the_per_decision_function():
    ev = evaluation({"t.a-b": CASES, "watch": WATCH})
    pv = _view(POLICY, "tiny.yaml")
    expected = [
        soon_months(r["rule"], r["criteria"], pv) if r["kind"] == "promotion" and not r["eligible"] else None
        for r in ref.result_dicts(ev, "zh")
    ]
    assert stored(ev).get_column("soon_months").to_list() == expected
