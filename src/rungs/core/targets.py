"""Quantified targets of an observation period (考察期目标), written as criteria of the policy language.

A target list is checked by the same parser and evaluated by the same engine as any rule: it becomes the
only rule of a small policy that keeps the source policy's tracks, grades and attributes, for the people at
one level. The targets' text goes first in that policy, so an error's line and column are the line and
column in what the user wrote."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import yaml

from rungs.core.engine.evaluate import evaluate
from rungs.core.engine.report import to_json_obj
from rungs.core.interchange.dataset import Dataset
from rungs.core.policy import model as m
from rungs.core.policy.errors import PolicyError
from rungs.core.policy.parse import parse_policy

RULE = "observation-targets"
KEPT = ("rungs", "id", "version", "label", "defaults", "grades", "attributes", "tracks")
FILE = "考察目标 · targets"


def targets_policy(source: str, *, track: str, level: str, targets: str) -> m.Policy:
    """The policy whose one rule holds when every target is met. `source` is a stored policy version's
    text (already valid); `targets` a YAML list of criteria as a user typed it."""
    if not targets.strip():
        raise PolicyError("请至少写一项考察目标", "write at least one target", file=FILE)
    return one_rule_policy(
        source,
        rule=RULE,
        label="{zh: 考察期目标全部达成, en: Every observation target met}",
        track=track,
        levels=(level,),
        criteria=targets,
        file=FILE,
        suffix="observation",
    )


def one_rule_policy(
    source: str,
    *,
    rule: str,
    label: str,
    track: str,
    levels: tuple[str, ...],
    criteria: str,
    file: str,
    suffix: str,
) -> m.Policy:
    """A policy of one `warning` rule with `criteria` (YAML as a user typed it) for the people at `levels`
    of `track`, keeping `source`'s tracks, grades and attributes. Errors in the criteria carry their own
    line and column."""
    kept: dict[str, Any] = {k: v for k, v in yaml.safe_load(source).items() if k in KEPT}
    kept["id"] = f"{kept.get('id', 'policy')}-{suffix}"
    head = (
        "rules:\n"
        f"- id: {rule}\n"
        "  kind: warning\n"
        f"  label: {label}\n"
        f"  track: {track}\n"
        f"  levels: [{', '.join(levels)}]\n"
        "  criteria:\n"
    )
    indented = "".join(f"    {line}\n" for line in criteria.splitlines())
    rest = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False)
    offset = head.count("\n")
    try:
        return parse_policy(head + indented + rest, file)
    except PolicyError as exc:
        if exc.line > offset and exc.line <= offset + len(criteria.splitlines()):
            raise PolicyError(
                exc.zh, exc.en, file=file, line=exc.line - offset, column=exc.column - 4
            ) from None
        raise


def one(data: Dataset, employee_id: str) -> Dataset:
    """The data set cut to one person's rows (and every post: vacancies are company-wide)."""

    def cut(df: pl.DataFrame) -> pl.DataFrame:
        return df.filter(pl.col("employee_id") == employee_id)

    return Dataset(
        employees=cut(data.employees),
        assignments=cut(data.assignments),
        evaluations=cut(data.evaluations),
        metrics=cut(data.metrics),
        events=cut(data.events),
        positions=data.positions,
    )


def targets_met(policy: m.Policy, data: Dataset, employee_id: str, as_of: dt.date) -> tuple[bool, list[Any]]:
    """Whether `employee_id` meets every target on `as_of`, and the criteria with their actual values (the
    shape of `rungs evaluate`'s criteria). Someone no longer at the level meets nothing."""
    report = to_json_obj(evaluate(policy, one(data, employee_id), as_of))
    for person in report["results"] if isinstance(report.get("results"), list) else []:
        if person.get("employee_id") == employee_id and person.get("kind") == "warning":
            return bool(person.get("eligible")), list(person.get("criteria", []))
    return False, []
