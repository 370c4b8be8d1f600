"""`rungs effect` on files: the synthetic data set written as CSV, run in a subprocess like a user would."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from rungs.core.effect import find_plan, plan_cost
from rungs.core.interchange.reader import read_dataset
from rungs.core.interchange.writer import write_dataset
from rungs.core.policy.parse import parse_policy
from tests.core.effect.synthetic import POLICY, START, dataset


def policy_of(text: str):
    return parse_policy(text, "effect-test.yaml")


ROOT = Path(__file__).resolve().parents[3]


def rungs(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rungs.cli", "effect", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def files(tmp_path: Path) -> tuple[Path, Path]:
    policy = tmp_path / "effect-test.yaml"
    policy.write_text(POLICY, encoding="utf-8")
    data = write_dataset(dataset(n_covered=40, n_uncovered=40, effect=3.0, seed=5), tmp_path / "data")
    return policy, data


def test_it_prints_the_effect_as_json(tmp_path):
    policy, data = files(tmp_path)
    out = rungs(
        "--policy",
        str(policy),
        "--plan",
        "csat_bonus",
        "--data",
        str(data),
        "--since",
        "2026-07",
        "--format",
        "json",
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert (doc["plan"], doc["since"], doc["covered"], doc["uncovered"]) == ("csat_bonus", "2026-07", 40, 40)
    assert doc["before"][0] == "2026-01" and doc["after"][-1] == "2026-12"
    csat = doc["kpis"][0]
    assert csat["metric"] == "csat" and csat["label"] == "客户满意度"
    low, high = csat["did"]["ci"]
    assert low <= 3.0 <= high
    # the cost comes from the rewards evaluator over 2026-07…2026-12: a decimal string, never a float
    p = policy_of(POLICY)
    same = plan_cost(p, find_plan(p, "csat_bonus"), read_dataset(data), START, START + 5)
    assert doc["cost"] == f"{same:.2f}" and re.fullmatch(r"\d+\.\d{2}", doc["cost"])
    assert csat["cost_per_point"] is not None
    assert [k["metric"] for k in doc["kpis"]] == ["csat", "resolution_rate"]


def test_the_table_is_chinese_first_and_english_on_request(tmp_path):
    policy, data = files(tmp_path)
    args = ["--policy", str(policy), "--plan", "csat_bonus", "--data", str(data), "--since", "2026-07"]
    zh = rungs(*args)
    assert zh.returncode == 0, zh.stderr
    assert "方案效果评估 · csat_bonus（满意度奖金）" in zh.stdout and "差异中的差异" in zh.stdout
    assert "注意：" in zh.stdout and "少于 30 人" not in zh.stdout
    en = rungs(*args, "--lang", "en", "--kpis", "csat")
    assert en.returncode == 0 and "Effect of plan csat_bonus (CSAT bonus)" in en.stdout
    assert "resolution" not in en.stdout


def test_bad_input_exits_2_with_the_reason(tmp_path):
    policy, data = files(tmp_path)
    out = rungs("--policy", str(policy), "--plan", "nope", "--data", str(data), "--since", "2026-07")
    assert out.returncode == 2 and "没有奖励方案 'nope'" in out.stderr
    out = rungs("--policy", str(policy), "--plan", "csat_bonus", "--data", str(data), "--since", "2026-7-1")
    assert out.returncode == 2 and "--since：应为 YYYY-MM" in out.stderr
