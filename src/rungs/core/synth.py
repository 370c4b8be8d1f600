"""Synthetic interchange data sets: a Chinese customer-service department of any size, for demos and
benchmarks. Shaped for the dual-track-logistics scheme (skill and management tracks), with 24 months of
scores and six KPIs and a year of events. Vectorised with NumPy so a million employees take seconds.

The numbers are plausible, not realistic: each person has a latent ability that drives their scores and
KPIs, so the ranks and consecutive runs the engine computes are not pure noise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import polars as pl

from rungs.core.interchange.dataset import Dataset
from rungs.core.periods import month_of_seq, month_seq

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华玉萍红晶建林颖琳欣怡晨思雨佳悦子轩宇浩然嘉琪")
DEPARTMENTS = ["客服一部", "客服二部", "客服三部", "在线客服部"]
TEAM_SIZE = 12
# Teams are dealt round the four departments; every 10 teams per department (480 people) a new centre
# opens with four departments of its own, so a department keeps a realistic size (~120 people) at any N
# and department ranks ("top 3 in the department") mean what they do in a real company.
TEAMS_PER_DEPARTMENT = 10
SKILL = ["assistant", "junior", "intermediate", "senior", "expert"]
MANAGEMENT = ["supervisor", "manager"]
EDUCATION = ["high_school", "secondary_vocational", "associate", "bachelor", "master"]
EDUCATION_P = [0.08, 0.12, 0.45, 0.32, 0.03]
METRICS = ("csat", "resolution_rate", "complaint_rate", "response_rate", "tickets", "amount")
# Attested skills of the dual-track scheme (most people are attested for the basics, few for the rest).
ATTESTATIONS = (
    ["independent_operation"] * 4
    + ["office_skills"] * 3
    + ["office_visio", "major_exception_handling", "client_engagement", "led_training", "learning_ability"]
)
LEAVE_REFS = ["sick", "personal", "annual", "marriage", "maternity", "bereavement"]


def _months_back(as_of: dt.date, k: int) -> tuple[int, int]:
    """(year, month) of the k-th complete month before as_of (k = 1 is the month before as_of's month)."""
    return month_of_seq(month_seq(as_of.year, as_of.month) - k)


def _departments(team_no: np.ndarray) -> np.ndarray:
    centre = team_no // (TEAMS_PER_DEPARTMENT * len(DEPARTMENTS))
    prefix = np.where(centre == 0, "", np.char.add(np.char.add("第", (centre + 1).astype(str)), "中心"))
    names: np.ndarray = np.char.add(prefix, np.array(DEPARTMENTS)[team_no % len(DEPARTMENTS)])
    return names


def generate(n: int, *, as_of: dt.date, months: int = 24, seed: int = 7, start: int = 0) -> Dataset:
    """n employees numbered from start + 1; teams of TEAM_SIZE, so a large set can be made in chunks that
    are multiples of TEAM_SIZE and written one after the other (bench/gen_data.py)."""
    if start % TEAM_SIZE:
        raise ValueError(f"start must be a multiple of {TEAM_SIZE}")
    rng = np.random.default_rng(seed)
    epoch = np.datetime64(as_of, "D")
    ids = np.char.add("E", np.char.zfill(np.arange(start + 1, start + n + 1).astype(str), 7))
    names = _names(rng, n)
    tenure_days = np.minimum(rng.gamma(2.0, 420.0, n).astype(np.int64) + 20, 4000)
    hire = epoch - _days(tenure_days)
    team_no = (start + np.arange(n)) // TEAM_SIZE
    teams = np.char.add("T", np.char.zfill((team_no + 1).astype(str), 4))
    dept = _departments(team_no)
    lead_idx = team_no * TEAM_SIZE - start  # the first of each team leads it
    status = np.where(tenure_days < 183, "probation", "regular").astype(object)
    status[rng.random(n) < 0.02] = "left"
    ability = rng.normal(0.0, 1.0, n)

    # Current level: by tenure, with noise; team leads on the management track.
    step = np.clip((tenure_days / 365.0 + rng.normal(0, 0.7, n)).astype(np.int64), 0, len(SKILL) - 1)
    is_lead = np.arange(n) == lead_idx
    track = np.where(is_lead, "management", "skill")
    level = np.where(is_lead, np.where(rng.random(n) < 0.85, "supervisor", "manager"), np.array(SKILL)[step])
    since = np.minimum(tenure_days, rng.integers(30, 900, n))
    employees = pl.DataFrame(
        {
            "employee_id": ids,
            "name": names,
            "hire_date": hire,
            "team": teams,
            "department": dept,
            "education": rng.choice(EDUCATION, n, p=EDUCATION_P),
            "status": status.astype(str),
            "regularized_on": np.where(
                status == "probation", np.datetime64("NaT", "D"), hire + np.timedelta64(183, "D")
            ),
            "manager_id": pl.Series(np.where(is_lead, "", ids[lead_idx])).replace("", None),
            "birth_date": hire - _days(rng.integers(19, 35, n) * 365),
        }
    ).with_columns(pl.col("hire_date", "regularized_on", "birth_date").cast(pl.Date))
    assignments = pl.DataFrame(
        {
            "employee_id": ids,
            "track": track,
            "level": level,
            "start_date": epoch - _days(since),
            "end_date": np.full(n, np.datetime64("NaT", "D"), "datetime64[D]"),
            "kind": np.where(since == tenure_days, "hire", "promotion"),
            "department": dept,
        }
    ).with_columns(pl.col("start_date", "end_date").cast(pl.Date))

    evaluations, metrics = _monthly(rng, ids, hire, ability, as_of, months)
    events = _events(rng, ids, ability, epoch)
    positions = pl.DataFrame(
        {
            "level": SKILL + MANAGEMENT,
            "headcount": [n, n // 2, n // 3, n // 6, n // 12, n // TEAM_SIZE, n // 60 + 1],
            "track": ["skill"] * len(SKILL) + ["management"] * len(MANAGEMENT),
            "team": [None] * 7,
            "department": [None] * 7,
        },
        schema_overrides={"headcount": pl.Int32, "team": pl.String, "department": pl.String},
    )
    return Dataset(
        employees=employees,
        assignments=assignments,
        evaluations=evaluations,
        metrics=metrics,
        events=events,
        positions=positions,
    )


def _days(a: np.ndarray) -> np.ndarray:
    return a.astype("timedelta64[D]")


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    s = np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)]
    g1 = np.array(GIVEN)[rng.integers(0, len(GIVEN), n)]
    g2 = np.where(rng.random(n) < 0.6, np.array(GIVEN)[rng.integers(0, len(GIVEN), n)], "")
    names: np.ndarray = np.char.add(np.char.add(s, g1), g2)
    return names


def _monthly(
    rng: np.random.Generator,
    ids: np.ndarray,
    hire: np.ndarray,
    ability: np.ndarray,
    as_of: dt.date,
    months: int,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    n = len(ids)
    ym = [_months_back(as_of, k) for k in range(months, 0, -1)]
    month_start = np.array([np.datetime64(dt.date(y, m, 1), "D") for y, m in ym])
    # A month is scored when the person was hired before it began.
    worked = hire[:, None] < month_start[None, :]
    emp = np.repeat(np.arange(n), months)[worked.ravel()]
    col = np.tile(np.arange(months), n)[worked.ravel()]
    rows = len(emp)
    score = np.clip(np.round(80 + 6 * ability[emp] + rng.normal(0, 5, rows), 1), 40, 100)
    grade = np.select([score >= 90, score >= 80, score >= 60], ["优秀", "良好", "合格"], "不合格")
    periods = np.array([f"{y}-{m:02d}" for y, m in ym])
    seqs = np.array([month_seq(y, m) for y, m in ym], dtype=np.int32)
    monthly = pl.DataFrame(
        {
            "employee_id": ids[emp],
            "period": periods[col],
            "period_kind": "M",
            "seq": seqs[col],
            "score": score,
            "grade": grade,
            "coefficient": np.round(0.8 + (score - 60) / 100, 2),
            "rank": pl.Series([None] * rows, dtype=pl.Int32),
        }
    )
    yearly = (
        monthly.with_columns(year=pl.col("period").str.slice(0, 4))
        .group_by("employee_id", "year")
        .agg(pl.col("score").mean().round(1), pl.len().alias("k"))
        .filter(pl.col("k") == 12)
        .select(
            "employee_id",
            period=pl.col("year"),
            period_kind=pl.lit("Y"),
            seq=pl.col("year").cast(pl.Int32),
            score="score",
            grade=pl.when(pl.col("score") >= 85).then(pl.lit("优秀")).otherwise(pl.lit("良好")),
            coefficient=pl.lit(None, pl.Float64),
            rank=pl.lit(None, pl.Int32),
        )
    )
    evaluations = pl.concat([monthly, yearly]).sort("employee_id", "period_kind", "seq")

    a = ability[emp]
    k = len(METRICS)
    values = np.stack(
        [
            np.clip(88 + 4 * a + rng.normal(0, 4, rows), 40, 100).round(1),  # csat
            np.clip(0.85 + 0.05 * a + rng.normal(0, 0.04, rows), 0, 1).round(3),  # resolution_rate
            np.clip(0.02 - 0.008 * a + rng.normal(0, 0.01, rows), 0, 1).round(4),  # complaint_rate
            np.clip(0.93 + 0.03 * a + rng.normal(0, 0.03, rows), 0, 1).round(3),  # response_rate
            np.maximum(0, 480 + 90 * a + rng.normal(0, 80, rows)).round(0),  # tickets
            np.maximum(0, 560_000 + 120_000 * a + rng.normal(0, 90_000, rows)).round(0),  # amount
        ],
        axis=1,
    )
    metrics = pl.DataFrame(
        {
            "employee_id": np.repeat(ids[emp], k),
            "period": np.repeat(periods[col], k),
            "period_kind": "M",
            "seq": np.repeat(seqs[col], k),
            "metric": np.tile(np.array(METRICS), rows),
            "value": values.ravel(),
        }
    )
    return evaluations, metrics


def _events(
    rng: np.random.Generator, ids: np.ndarray, ability: np.ndarray, epoch: np.datetime64
) -> pl.DataFrame:
    """A year of dated facts; rates per person per year, better people get more praise and fewer faults."""
    n = len(ids)
    good = 1 / (1 + np.exp(-ability))
    # type, yearly rate per person, refs, value generator (k draws)
    kinds: list[tuple[str, np.ndarray, list[str] | None, Callable[[int], np.ndarray] | None]] = [
        ("leave", 3.0 * np.ones(n), LEAVE_REFS, lambda k: rng.integers(1, 6, k).astype(float)),
        ("commendation_customer", 2.5 * good, None, None),
        ("commendation_internal", 1.2 * good, None, None),
        ("mentored", 0.6 * good, None, None),
        ("training", 0.8 * good, ["reserve_cadre", "reserve_cadre", "product"], None),
        ("exam", 1.0 * np.ones(n), ["technical"], lambda k: np.clip(rng.normal(78, 10, k), 0, 100).round(0)),
        ("attestation", 2.0 * good, ATTESTATIONS, lambda k: (rng.random(k) < 0.9).astype(float)),
        ("complaint", 0.25 * (1 - good), None, None),
        ("major_incident", 0.05 * (1 - good), None, None),
        ("penalty", 0.4 * (1 - good), None, None),
        # last, so the streams above stay as they were: some complaints are major (only those demote)
        ("complaint", 0.08 * (1 - good), ["major"], None),
    ]
    parts = []
    for kind, rate, refs, value in kinds:
        count = rng.poisson(rate)
        emp = np.repeat(np.arange(n), count)
        k = len(emp)
        if refs is not None:
            ref = np.array(refs)[rng.integers(0, len(refs), k)]
        elif kind == "commendation_customer":
            ref = np.char.add("C", rng.integers(10000, 99999, k).astype(str))
        elif kind == "penalty":
            ref = np.char.add("P", np.arange(k).astype(str))
        else:
            ref = np.full(k, "")
        parts.append(
            pl.DataFrame(
                {
                    "employee_id": ids[emp],
                    "date": epoch - _days(rng.integers(1, 366, k)),
                    "type": kind,
                    "value": value(k) if value else np.full(k, np.nan),
                    "ref": ref,
                }
            ).with_columns(
                pl.col("date").cast(pl.Date),
                pl.col("value").fill_nan(None),
                pl.col("ref").cast(pl.String).replace("", None),
                note=pl.lit(None, pl.String),
            )
        )
    events = pl.concat(parts)
    penalties = events.filter(pl.col("type") == "penalty")
    offsets = (
        penalties.sample(fraction=0.4, seed=int(rng.integers(1 << 30)))
        .select(
            "employee_id",
            pl.col("date").dt.offset_by("20d"),
            type=pl.lit("penalty_offset"),
            value="value",
            ref="ref",
            note="note",
        )
        .filter(pl.col("date") < epoch.astype(dt.date))
    )
    return pl.concat([events, offsets]).sort("employee_id", "date")
