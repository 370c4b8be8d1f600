"""The measurable criteria of an honor (优秀客服, 服务明星 …), written in the policy language.

An honor's criteria are checked by the same parser and evaluated by the same engine as any rule, the way
an observation period's targets are (rungs.core.targets): they become the only rule of a small policy that
keeps the source policy's tracks, grades and attributes, for the people at the honor's levels. A cycle's
criteria are evaluated on the first day after the cycle (as the reward plans are), so the cycle is the
latest complete period and `count: {months: 1}` counts the events of a monthly cycle."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rungs.core.engine.evaluate import evaluate
from rungs.core.engine.report import to_json_obj
from rungs.core.interchange.dataset import Dataset
from rungs.core.policy import model as m
from rungs.core.policy.errors import PolicyError
from rungs.core.targets import one, one_rule_policy

RULE = "honor-criteria"
FILE = "评选条件 · criteria"


def honor_policy(source: str, *, track: str, levels: tuple[str, ...], criteria: str) -> m.Policy:
    """The policy whose one rule holds when every criterion of the honor is met. `source` is a stored
    policy version's text; `criteria` a YAML list of criteria as a user typed it."""
    if not criteria.strip():
        raise PolicyError("请至少写一项评选条件", "write at least one criterion", file=FILE)
    if not levels:
        raise PolicyError("请至少选择一个适用职级", "choose at least one level", file=FILE)
    return one_rule_policy(
        source,
        rule=RULE,
        label="{zh: 评选条件全部达成, en: Every criterion of the honor met}",
        track=track,
        levels=levels,
        criteria=criteria,
        file=FILE,
        suffix="honor",
    )


def honor_results(policy: m.Policy, data: Dataset, as_of: dt.date) -> dict[str, tuple[bool, list[Any]]]:
    """For everyone at the honor's levels on `as_of` (all at once, vectorised): whether they meet every
    criterion, and the criteria with their actual values (the shape of `rungs evaluate`'s criteria)."""
    report = to_json_obj(evaluate(policy, data, as_of))
    out: dict[str, tuple[bool, list[Any]]] = {}
    for person in report["results"] if isinstance(report.get("results"), list) else []:
        if person.get("kind") == "warning" and person.get("rule", RULE) == RULE:
            out[str(person["employee_id"])] = (bool(person.get("eligible")), list(person.get("criteria", [])))
    return out


def honor_met(
    policy: m.Policy, data: Dataset, employee_id: str, as_of: dt.date
) -> tuple[bool, list[Any]] | None:
    """One person's result, or None when they are not at the honor's levels on `as_of`."""
    return honor_results(policy, one(data, employee_id), as_of).get(employee_id)
