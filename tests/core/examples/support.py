"""Shared helpers for the example-scheme tests: load an example policy and its data set (with
`read_dataset`, as a user's import would), evaluate, and look results up."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from rungs.core.engine.evaluate import evaluate
from rungs.core.engine.report import to_json_obj
from rungs.core.interchange.dataset import Dataset
from rungs.core.interchange.reader import read_dataset
from rungs.core.policy.parse import load_policy

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"


def policy_path(scheme: str) -> Path:
    return EXAMPLES / "policies" / f"{scheme}.yaml"


def data_path(scheme: str) -> Path:
    return EXAMPLES / "data" / scheme


def load_data(scheme: str) -> Dataset:
    return read_dataset(data_path(scheme))


def run(scheme: str, as_of: dt.date, lang: str = "en") -> dict[str, Any]:
    """evaluate() + to_json_obj() of the example policy on the example data set."""
    return to_json_obj(evaluate(load_policy(policy_path(scheme)), load_data(scheme), as_of), lang)


def result(obj: dict[str, Any], employee: str, rule: str) -> dict[str, Any]:
    found = [r for r in obj["results"] if r["employee_id"] == employee and r["rule"] == rule]
    assert len(found) == 1, f"{employee} {rule}: {len(found)} results"
    return found[0]


def has_result(obj: dict[str, Any], employee: str, rule: str) -> bool:
    return any(r["employee_id"] == employee and r["rule"] == rule for r in obj["results"])


def crit(res: dict[str, Any], path: str) -> dict[str, Any]:
    """A criterion of a result by its id, nested ids joined with dots (e.g. tenure.months)."""
    items = res["criteria"]
    found: dict[str, Any] | None = None
    for part in path.split("."):
        found = next((c for c in items if c["id"] == part), None)
        assert found is not None, f"no criterion {path} in {res['rule']}"
        items = found.get("criteria", [])
    assert found is not None
    return found
