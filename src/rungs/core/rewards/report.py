"""A reward run written out: the `rungs rewards` JSON contract (INTERCHANGE.md), a table, CSV and xlsx.

Amounts are yuan as decimal text with two places in JSON and CSV (never floats); the workbook holds them
as numbers so a payroll clerk can sum them.
"""

from __future__ import annotations

import json
from typing import IO, Any

import polars as pl

from rungs.core.engine.report import pad, width
from rungs.core.interchange.spreadsheet import csv_safe, workbook_bytes
from rungs.core.rewards.measures import ID
from rungs.core.rewards.money import UNITS, amount_text, yuan, yuan_text
from rungs.core.rewards.run import RewardRun


def _explanation(lang: str) -> str:
    return "explanation_en" if lang.startswith("en") else "explanation_zh"


def _money(value: int | None) -> str | None:
    return None if value is None else yuan_text(value)


def pay_change_dicts(run: RewardRun, lang: str = "zh") -> list[dict[str, Any]]:
    out = []
    for r in run.pay_changes.iter_rows(named=True):
        out.append(
            {
                ID: r[ID],
                "reason": r["reason"],
                "from": _money(r["from"]),
                "to": _money(r["to"]),
                "effective": r["effective"],
                "rule": r["rule"],
                "from_level": r["from_level"],
                "to_level": r["to_level"],
                "to_min": _money(r["to_min"]),
                "to_max": _money(r["to_max"]),
                "explanation": r[_explanation(lang)],
            }
        )
    return out


def _line_json(run: RewardRun, lang: str) -> pl.Series:
    """One JSON object per line, in the contract's key order, built as a column."""
    head = pl.struct(
        pl.col(ID),
        pl.col("plan"),
        pl.col("component"),
        amount_text(pl.col("amount"), pl.col("unit")).alias("amount"),
        pl.col("unit"),
        pl.col(_explanation(lang)).alias("explanation"),
    ).struct.json_encode()
    return run.lines.select(
        pl.concat_str(head.str.head(-1), pl.lit(',"inputs":'), pl.col("inputs"), pl.lit("}"))
    ).to_series()


def write_json(run: RewardRun, out: IO[bytes], lang: str = "zh") -> None:
    head = {"policy": run.policy.id, "policy_version": run.policy.version, "cycle": run.cycle.label}
    tail = {
        "pay_changes": pay_change_dicts(run, lang),
        "budgets": list(run.budgets),
        "warnings": list(run.warnings),
    }
    out.write((json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ',\n  "lines": [').encode())
    lines = _line_json(run, lang)
    if len(lines):
        body = pl.concat_str(pl.lit("\n    "), lines, pl.lit(","))
        text = pl.select(body.str.join("")).item()
        out.write(text[:-1].encode())
        out.write(b"\n  ")
    rest = json.dumps(tail, ensure_ascii=False, indent=2)
    out.write(("],\n" + rest[2:] + "\n").encode())


def to_json_obj(run: RewardRun, lang: str = "zh") -> dict[str, Any]:
    """The contract as Python objects (tests and callers that look inside)."""
    import io

    buf = io.BytesIO()
    write_json(run, buf, lang)
    obj: dict[str, Any] = json.loads(buf.getvalue().decode())
    return obj


def _names(run: RewardRun, names: pl.DataFrame, frame: pl.DataFrame) -> pl.DataFrame:
    return frame.join(names, on=ID, how="left", maintain_order="left")


def line_rows(run: RewardRun, names: pl.DataFrame, lang: str = "zh") -> pl.DataFrame:
    """The lines, one row each: employee_id, name, plan, component, amount (text: yuan with two decimals,
    or whole points), unit, explanation, inputs."""
    return _names(run, names, run.lines).select(
        ID,
        "name",
        "plan",
        "component",
        amount_text(pl.col("amount"), pl.col("unit")).alias("amount"),
        "unit",
        pl.col(_explanation(lang)).alias("explanation"),
        "inputs",
    )


def pay_rows(run: RewardRun, names: pl.DataFrame, lang: str = "zh") -> pl.DataFrame:
    return _names(run, names, run.pay_changes).select(
        ID,
        "name",
        "reason",
        "rule",
        "from_level",
        "to_level",
        *(yuan(pl.col(c)).alias(c) for c in ("from", "to", "to_min", "to_max")),
        "effective",
        pl.col(_explanation(lang)).alias("explanation"),
    )


def write_csv(run: RewardRun, names: pl.DataFrame, out: IO[bytes], lang: str = "zh") -> None:
    """One CSV: the lines (record `line`) then the pay changes (record `pay_change`), in shared columns."""
    lines = line_rows(run, names, lang).with_columns(pl.lit("line").alias("record"))
    pays = pay_rows(run, names, lang).with_columns(pl.lit("pay_change").alias("record"))
    frame = pl.concat([lines, pays], how="diagonal_relaxed")
    order = ["record", ID, "name", "plan", "component", "amount", "unit", "reason", "rule"]
    order += ["from_level", "to_level"]
    order += ["from", "to", "to_min", "to_max", "effective", "explanation", "inputs"]
    frame = frame.select([c if c in frame.columns else pl.lit(None, pl.String).alias(c) for c in order])
    csv_safe(frame).write_csv(out)


def workbook(run: RewardRun, names: pl.DataFrame, lang: str = "zh") -> bytes:
    """Sheets lines, pay_changes and budgets; amounts are numbers."""
    money = ("amount", "from", "to", "to_min", "to_max")

    def numbers(df: pl.DataFrame) -> pl.DataFrame:
        return df.with_columns(pl.col(c).cast(pl.Float64) for c in money if c in df.columns)

    budgets = pl.DataFrame(
        list(run.budgets),
        schema={
            "plan": pl.String,
            "department": pl.String,
            "budget": pl.String,
            "total": pl.String,
            "remaining": pl.String,
        },
    ).with_columns(pl.col("budget", "total", "remaining").cast(pl.Float64))
    return workbook_bytes(
        {
            "lines": numbers(line_rows(run, names, lang)),
            "pay_changes": numbers(pay_rows(run, names, lang)),
            "budgets": budgets,
        }
    )


def table(run: RewardRun, names: pl.DataFrame, lang: str = "zh") -> str:
    en = lang.startswith("en")
    out = [
        f"{run.policy.label.get(lang)} ({run.policy.id} {run.policy.version}) · "
        f"{'cycle' if en else '周期'} {run.cycle.label}",
        "",
    ]
    rows = line_rows(run, names, lang)
    head = (
        ["employee", "name", "plan", "amount", "explanation"]
        if en
        else ["工号", "姓名", "方案", "金额", "说明"]
    )
    body = [
        [r[ID], r["name"] or "", f"{r['plan']}/{r['component']}", r["amount"], r["explanation"]]
        for r in rows.iter_rows(named=True)
    ]
    out += _grid(head, body, right={3})
    sums = run.lines.group_by("unit").agg(pl.col("amount").sum()).sort("unit", descending=True)  # yuan first
    totals = [f"{UNITS[u].text(int(t))} {UNITS[u].word(lang)}" for u, t in sums.iter_rows()] or ["0.00"]
    out.append(
        f"{'total' if en else '合计'}: {'; '.join(totals)} ({len(body)} {'lines' if en else '条明细'})"
    )
    if run.pay_changes.height:
        out += ["", "pay changes" if en else "调薪"]
        pays = pay_rows(run, names, lang)
        out += _grid(
            ["employee", "name", "explanation"] if en else ["工号", "姓名", "说明"],
            [[r[ID], r["name"] or "", r["explanation"]] for r in pays.iter_rows(named=True)],
        )
    for b in run.budgets:
        dept = f" {b['department']}" if b["department"] else ""
        word = ("budget", "paid", "left") if en else ("预算", "合计", "剩余")
        out.append(
            f"{b['plan']}{dept}: {word[0]} {b['budget']}, {word[1]} {b['total']}, {word[2]} {b['remaining']}"
        )
    for w in run.warnings:
        out.append(f"{'warning' if en else '提示'}: {w}")
    return "\n".join(out) + "\n"


def _grid(head: list[str], body: list[list[str]], right: set[int] | None = None) -> list[str]:
    right = right or set()
    widths = [max([width(h), *(width(row[i]) for row in body)]) for i, h in enumerate(head)]

    def line(cells: list[str]) -> str:
        parts = []
        for i, c in enumerate(cells):
            if i == len(cells) - 1:
                parts.append(c)
            elif i in right:
                parts.append(" " * (widths[i] - width(c)) + c)
            else:
                parts.append(pad(c, widths[i]))
        return "  ".join(parts)

    return [line(head), *(line(r) for r in body)]
