"""The typed form of a policy: frozen dataclasses produced by `rungs.core.policy.parse`.

A criterion is one building block (what is measured) plus one comparison (what is required). The engine
compiles these into column expressions; nothing here knows about data frames.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from rungs.core.vocabulary import OTHER_RULE_KINDS

PeriodKind = Literal["M", "Q", "H", "Y"]
Op = Literal[">=", "<=", ">", "<", "==", "!=", "in"]
Source = Literal["score", "grade", "coefficient", "rank", "metric"]
TenureOf = Literal[
    "level",
    "level_in_department",
    "level_total",
    "company",
    "regularized",
    "acting",
    "last_pay_step",
    "department",  # since entering the current department (a transfer into it starts again)
]
EventWindowKind = Literal["months", "previous_year", "since_level", "since_department", "ever"]
CountMeasure = Literal["count", "sum", "distinct_refs"]
LatestEventKind = Literal["exam", "attestation"]
AttributeKind = Literal["number", "date", "text", "choice", "education", "status"]
Match = Literal["all", "any"]
Within = Literal["team", "department"]
Combine = Literal["sum", "each"]
Agg = Literal["mean", "sum", "min", "max", "count"]
RankAgg = Literal["mean", "sum", "min", "max"]
PERIOD_WORDS: dict[str, PeriodKind] = {"month": "M", "quarter": "Q", "half": "H", "year": "Y"}
RULE_KINDS = OTHER_RULE_KINDS  # the kinds a `rules:` entry may have (promotions have their own section)


@dataclass(frozen=True)
class Label:
    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") and self.en else self.zh


# ---- values that a criterion compares -----------------------------------------------------------


@dataclass(frozen=True)
class Cases:
    """A required value that depends on the employee: the first `when` that holds wins, else `default`."""

    cases: tuple[tuple[Criterion, Any], ...]
    default: Any


@dataclass(frozen=True)
class Compare:
    op: Op
    value: Any  # a number, a grade word, a code, a tuple for "in", or Cases


# ---- series: one value per employee and period --------------------------------------------------


@dataclass(frozen=True)
class Series:
    """score | grade | coefficient | rank (as given in evaluations.csv) | metric (metrics.csv)."""

    source: Source
    metric: str | None = None
    scale: str | None = None  # for grade: the grade scale used to order the words
    lower_is_better: bool = False  # for ranking: complaint_rate, given rank…

    @property
    def name(self) -> str:
        return f"metric.{self.metric}" if self.source == "metric" else self.source


@dataclass(frozen=True)
class RankSeries:
    """The employee's rank within the team/department per period, on one measure or several combined.

    combine=sum: sum the ranks on each measure, then rank the sums; combine=each: the worst of the ranks
    (so "≤ 3" means each measure's rank is ≤ 3). Ties share the best rank (1, 2, 2, 4).
    """

    parts: tuple[Series, ...]
    within: Within
    combine: Combine = "sum"


@dataclass(frozen=True)
class Window:
    """Which periods count: the last n complete ones, all complete ones, or those since the current level
    began (the period containing the start counts)."""

    kind: Literal["last", "all", "since_level"]
    n: int = 0


# ---- building blocks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tenure:
    """Whole calendar months from a start date to the evaluation date.

    For `regularized`, `track` and `first_level` say how to date a regularization that employees.csv
    leaves blank for a regular employee: the start of their second level on the track, or the hire date
    when their history there starts above the first level."""

    of: TenureOf
    track: str | None = None
    first_level: str | None = None


@dataclass(frozen=True)
class Consecutive:
    """Length of the run of periods meeting `where`: ending with the latest complete period, or (with
    since_level) the longest run since the current level began, or (with in_latest_year) the longest run
    within the latest year that has an annual value of the same measure (its quarters or months). A period
    without data breaks a run."""

    of: Series | RankSeries
    period: PeriodKind
    where: Compare
    since_level: bool = False
    in_latest_year: bool = False


@dataclass(frozen=True)
class Aggregate:
    """mean/sum/min/max over a window, or count of periods (meeting `where` when given)."""

    of: Series | RankSeries
    period: PeriodKind
    window: Window
    agg: Agg
    where: Compare | None = None


@dataclass(frozen=True)
class Latest:
    """The value of the latest complete period that has one."""

    of: Series | RankSeries
    period: PeriodKind


@dataclass(frozen=True)
class Change:
    """Mean over the last n complete periods minus the mean over the n before them."""

    of: Series
    period: PeriodKind
    n: int


@dataclass(frozen=True)
class Rank:
    """Rank within team/department of a window aggregate (or of the latest period's value)."""

    of: tuple[Series, ...]
    within: Within
    period: PeriodKind
    window: Window | None
    agg: RankAgg = "mean"
    combine: Combine = "sum"


@dataclass(frozen=True)
class EventWindow:
    """Which event dates count: the n months before the evaluation date, the previous calendar year,
    since the current level began, since the employee entered their current department, or ever."""

    kind: EventWindowKind
    n: int = 0


@dataclass(frozen=True)
class Count:
    """Number of events (or the sum of their values, or their distinct refs) in a window."""

    event: str
    refs: tuple[str, ...] = ()  # keep only these refs; "$to"/"$from" mean the transition's levels
    exclude_refs: tuple[str, ...] = ()
    window: EventWindow = EventWindow("ever")
    measure: CountMeasure = "count"
    unoffset: bool = False  # drop penalties whose ref has a penalty_offset
    offset_same_year: bool = False  # with unoffset: only an offset dated in the penalty's calendar year
    # exclude_refs given with entitlements ({marriage: 3, …}, measure sum): each ref's values in the window
    # are excluded up to its entitlement, and what is beyond it counts
    allowances: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class LatestEvent:
    """exam / attestation: the value of the latest event of this type and ref (null if none); with
    since_level, only events dated on or after the start of the current level count."""

    event: LatestEventKind
    ref: str
    since_level: bool = False


@dataclass(frozen=True)
class Attribute:
    """A column of the employee: education (ordered codes), status, age (whole years), acting_gap, team,
    department, base_pay …, or an extra column of employees.csv typed in the policy's `attributes:`."""

    name: str
    kind: str = (
        "text"  # its AttributeType.value_kind: number | date | text | education | status | choice:<name>
    )


@dataclass(frozen=True)
class Vacancy:
    """Free posts at the level for the employee: headcount (positions.csv) minus current holders, counted
    in the employee's own team where positions are given per team, else in their own department where
    they are given per department, else company-wide (see measures._vacancy)."""

    level: str  # a level id ("$to" is resolved when the policy is loaded)


@dataclass(frozen=True)
class AllOf:
    children: tuple[Criterion, ...]


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Criterion, ...]


@dataclass(frozen=True)
class NotOf:
    child: Criterion


Block = (
    Tenure
    | Consecutive
    | Aggregate
    | Latest
    | Change
    | Rank
    | Count
    | LatestEvent
    | Attribute
    | Vacancy
    | AllOf
    | AnyOf
    | NotOf
)


@dataclass(frozen=True)
class Criterion:
    id: str
    label: Label
    block: Block
    compare: Compare | None  # None only for all/any/not
    value_kind: str = "number"  # number | grade:<scale> | education | text — how to show actual/required
    note: str = ""


# ---- rules, tracks, the policy ----------------------------------------------------------------------


@dataclass(frozen=True)
class Level:
    id: str
    label: Label


@dataclass(frozen=True)
class Track:
    id: str
    label: Label
    levels: tuple[Level, ...]
    path: tuple[str, ...]  # the normal path, low to high

    def level_ids(self) -> tuple[str, ...]:
        return tuple(lv.id for lv in self.levels)


@dataclass(frozen=True)
class AttributeType:
    """The type of an employee attribute: number, date, text, or an ordered choice (words low to high).
    Built-in attributes have theirs (parse.BUILTIN_ATTRIBUTES); the policy declares extra columns'."""

    name: str
    type: AttributeKind
    choices: tuple[str, ...] = ()  # for choice: the words, lowest first

    @property
    def value_kind(self) -> str:
        """How a criterion on it keeps and shows its values (Criterion.value_kind)."""
        return f"choice:{self.name}" if self.type == "choice" else self.type

    @property
    def ordered(self) -> bool:
        return self.type in ("number", "date", "choice", "education")


@dataclass(frozen=True)
class PayEffect:
    """How pay changes: a percentage of base pay, and/or a monthly raise range in yuan (the rewards use it)."""

    base_pct: Decimal | None = None
    raise_min: Decimal | None = None
    raise_max: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class Rule:
    """A promotion (one transition) or another kind of rule evaluated on a track's levels."""

    id: str
    kind: str  # promotion | demotion | warning | unqualified_leader | acting_conversion | pay_step | priority | reserve
    label: Label
    track: str
    levels: tuple[str, ...]  # the levels it applies to (for a promotion: the from level)
    to_level: str | None
    criteria: tuple[Criterion, ...]
    match: Match = "all"
    pay: PayEffect | None = None
    note: str = ""


@dataclass(frozen=True)
class Signoff:
    """One step of an approval: any one of the roles signs (或签), or each of them (会签, `every`)."""

    roles: tuple[str, ...]
    every: bool = False


@dataclass(frozen=True)
class Authority:
    """Who proposes, reviews and approves promotions to these levels (role codes of rungs.core.roles).
    `approves` is the approval chain, its steps one after another."""

    levels: tuple[str, ...]
    proposes: str
    approves: tuple[Signoff, ...]
    reviews: tuple[str, ...] = ()


@dataclass(frozen=True)
class Acting:
    """Who may act (代理) in a vacant post: from `strict_from` up the path, only someone who lacks nothing
    but tenure, and that by fewer than `tenure_short_below` months."""

    strict_from: str
    tenure_short_below: int = 12


@dataclass(frozen=True)
class Shortlist:
    """Who is interviewed (面试人员按笔试成绩确定): per post of the round, the candidates ranked by the sum
    of the written scores `by` (higher first; ties: the higher `tie_break` scores, in order), each of them
    at or above `pass_mark` when one is given; the best `per_post` × the post's number, or a fixed
    `number`, and whoever ties with the last of them. The `interview` scores are recorded only for them."""

    by: tuple[str, ...]
    interview: tuple[str, ...]
    per_post: int = 0
    number: int = 0
    pass_mark: Decimal | None = None
    tie_break: tuple[str, ...] = ()


@dataclass(frozen=True)
class Composite:
    """The selection panel's weighted composite (综合成绩): Σ score × weight / 100, the weights in percent
    of the named scores, summing to 100."""

    weights: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class Ranking:
    """The order of the candidates for the same post: by the number of priority conditions met (the
    rule of kind priority named by `priority`, when given), then by the assessment score `by` (a score
    name, or `composite`); higher first; equal in both share a rank."""

    by: str
    priority: str = ""


@dataclass(frozen=True)
class Assessment:
    """The round's assessment stage (考核): the scores it records (name → label), and what it does with
    them. A round under a policy with one records only these names."""

    scores: tuple[tuple[str, Label], ...]
    shortlist: Shortlist | None = None
    composite: Composite | None = None
    rank: Ranking | None = None

    def label(self, name: str, lang: str = "zh") -> str:
        return next((lab.get(lang) for n, lab in self.scores if n == name), name)


@dataclass(frozen=True)
class Deadlines:
    """Working days each stage of a round may take (stage code of rungs.core.deadlines.STAGES → N ≥ 1;
    a stage not named has no deadline), and how many working days before its due date a reminder goes
    out (0 = on the due day)."""

    days: tuple[tuple[str, int], ...] = ()
    remind_before: int = 1

    def get(self, stage: str) -> int | None:
        return next((n for s, n in self.days if s == stage), None)


@dataclass(frozen=True)
class Procedure:
    """How a promotion round runs. Read by the promotion rounds, not by the evaluation."""

    windows: tuple[int, ...] = ()  # months in which regular rounds happen (e.g. 6, 12)
    every_years: int = 1
    effective: str = "immediate"  # a code of EFFECTIVE (parse.py)
    notice_working_days: int = 0
    steps: tuple[str, ...] = ()
    authority: tuple[Authority, ...] = ()
    skip_level: str = ""  # the role that may approve skipping levels; empty = not allowed
    one_level_at_a_time: bool = True
    lateral: tuple[tuple[str, ...], ...] = ()  # groups of equivalent "track.level" (交叉晋升)
    acting: Acting | None = None
    term_years: int = 0  # an appointment's term (任期), renewed by review; 0 = no term
    rules_owner: str = ""  # the role that approves a new version of the policy ('' = in force on upload)
    assessment: Assessment | None = None  # the assessment stage: scores, shortlist, composite, ranking
    deadlines: Deadlines = field(default_factory=Deadlines)  # working days per stage; none by default


@dataclass(frozen=True)
class Policy:
    id: str
    version: str
    label: Label
    effective_from: dt.date | None
    tracks: dict[str, Track]
    grades: dict[str, tuple[str, ...]]  # scale name → words, low to high
    rules: tuple[Rule, ...]
    procedure: Procedure = field(default_factory=Procedure)
    exam_pass: float = 60  # defaults.exam_pass: the pass mark of `exam:` without a comparison
    attributes: dict[str, AttributeType] = field(default_factory=dict)  # declared extra columns
    source: str = ""  # file name it came from
    rewards: Rewards = field(default_factory=lambda: Rewards())

    def promotions(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == "promotion")

    def reserves(self) -> tuple[Rule, ...]:
        """The reserve-pool rules: for each, `to_level` is the key post's level, `levels` who may enter."""
        return tuple(r for r in self.rules if r.kind == "reserve")

    @property
    def scales(self) -> dict[str, tuple[str, ...]]:
        """Ordered words by value kind: the grade scales by name, and `choice:<attribute>` lists."""
        out = dict(self.grades)
        out.update({a.value_kind: a.choices for a in self.attributes.values() if a.type == "choice"})
        return out


# ---- rewards: reward plans and the pay effects of decisions (docs/policy-language.md, "奖励 / Rewards") ----

Within3 = Literal["self", "team", "department"]
MetricAgg = Literal["sum", "mean", "min", "max"]
PayEffective = Literal["same_month", "next_month"]
BudgetPer = Literal["company", "department"]
RewardUnit = Literal["yuan", "points"]


@dataclass(frozen=True)
class Measure:
    """A metric over the cycle: the employee's own value (`self`), or the total of their team or
    department. The cycle's value is the row whose period is the cycle itself, else `agg` over the months
    of the cycle (sum for money and counts, mean for rates and scores unless the policy says otherwise)."""

    metric: str
    agg: MetricAgg
    within: Within3 = "self"


@dataclass(frozen=True)
class When:
    """Who a component or a rate applies to: at one of `levels` (empty: any level of the plan), in the
    n-th month of the current level (the month the level began is month 1), and meeting `criteria`
    (the promotion criteria's building blocks, evaluated on the day after the cycle)."""

    levels: tuple[str, ...] = ()
    month_in_level: Compare | None = None
    criteria: tuple[Criterion, ...] = ()

    @property
    def always(self) -> bool:
        return not self.levels and self.month_in_level is None and not self.criteria


@dataclass(frozen=True)
class Rate:
    """A share (0.5 = 50%) and the words that say when it applies (试用期第2个月)."""

    rate: Decimal
    when: When = field(default_factory=When)
    label: Label = field(default_factory=lambda: Label("", ""))


@dataclass(frozen=True)
class Share:
    """amount = the measure × the first rate whose `when` holds (no rate holds: no line)."""

    of: Measure
    rates: tuple[Rate, ...]


@dataclass(frozen=True)
class KpiThreshold:
    """One KPI condition of a tier: the cycle's value of a metric compared with a threshold."""

    of: Measure
    op: Op
    value: Decimal


@dataclass(frozen=True)
class Tier:
    label: Label
    kpis: tuple[KpiThreshold, ...]
    amount: Decimal  # yuan


@dataclass(frozen=True)
class Tiers:
    """The first tier (in the policy's order, best first) whose KPI conditions all hold pays its amount."""

    tiers: tuple[Tier, ...]


@dataclass(frozen=True)
class Fixed:
    """A fixed amount in yuan (an allowance; negative for a cut)."""

    amount: Decimal


Calc = Share | Tiers | Fixed


@dataclass(frozen=True)
class Component:
    id: str
    label: Label
    calc: Calc
    when: When = field(default_factory=When)
    cap: Decimal | None = None  # the most one line pays (yuan)


@dataclass(frozen=True)
class Budget:
    """The money a plan may pay out per cycle, for the whole company or for each department."""

    amount: Decimal
    per: BudgetPer = "company"


@dataclass(frozen=True)
class RewardPlan:
    id: str
    label: Label
    cycle: PeriodKind
    track: str
    levels: tuple[str, ...]  # who the plan covers: the employees at these levels at the cycle's end
    components: tuple[Component, ...]
    eligibility: tuple[Criterion, ...] = ()
    match: Match = "all"
    cap: Decimal | None = None  # the most the plan pays one employee per cycle (yuan)
    budget: Budget | None = None
    effective_from: dt.date | None = None
    note: str = ""
    # What the plan pays in: yuan (money, on the payroll), or points (whole points, kept on the ledger
    # only: a points plan's tier, fixed, cap and budget amounts are points).
    unit: RewardUnit = "yuan"


@dataclass(frozen=True)
class Rewards:
    plans: tuple[RewardPlan, ...] = ()
    # When the base-pay change of a promotion or demotion (its rule's `pay:`) takes effect: in the month
    # of the new level's start date, or the month after it.
    pay_effective: PayEffective = "next_month"
