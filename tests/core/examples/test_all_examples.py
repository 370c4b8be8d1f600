"""Every example policy runs on its own data set: the thirteen schemes of SEEDS.md, by their canonical ids."""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.core.policy.parse import load_policy

from .support import EXAMPLES, data_path, policy_path, run

SCHEMES = sorted(p.stem for p in (EXAMPLES / "policies").glob("*.yaml"))
CANONICAL = {  # SEEDS.md
    "star-titles",
    "junior-senior-reserve",
    "dual-track-logistics",
    "zhangshang-game",
    "ecommerce-grades",
    "salary-grade-quarterly",
    "staged-score",
    "tiered-certified",
    "step-raise",
    "posting-exam",
    "notice-workflow",
    "exam-ladder",
    "game-company-rules",
}


def test_thirteen_example_policies_one_per_scheme():
    assert set(SCHEMES) == CANONICAL
    assert len(SCHEMES) == 13


@pytest.mark.parametrize("scheme", SCHEMES)
def test_each_example_runs_on_its_data(scheme: str):
    assert load_policy(policy_path(scheme)).id == scheme
    assert data_path(scheme).is_dir()
    out = run(scheme, dt.date(2026, 12, 1))
    assert out["policy"] == scheme
    assert out["results"], "the example data set gives every scheme someone to evaluate"
    assert not [w for w in out["warnings"] if w.startswith("通道/职级")]  # the data's levels are the policy's
