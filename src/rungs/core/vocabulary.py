"""The words Rungs shares between the interchange files, the policy language, the engine and the pages.

Written once here (issue 13, "one vocabulary"); everything else imports these names. Dependency-free on
purpose: the Django apps import it for their choices and labels.

Which words are fixed and which are the data's own (docs/policy-language.md, "词汇 / Vocabularies"):
- fixed: rule kinds, education, status, assignment kinds, event types, employee columns — a policy or a
  file naming anything else is refused;
- the data's own: refs of events (exam ids, course ids, attested items …), metric names beyond the
  canonical ones, grade words (declared by the policy), levels and tracks (declared by the policy). A
  policy may name them freely; an evaluation warns when the data have none of them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    code: str
    zh: str
    en: str

    def label(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh


# ---- rule kinds ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleKind(Word):
    """risk: a triggered rule of this kind is bad news for the employee (shown as a risk on the pages).
    A promotion is *eligible* or not; any other rule is *triggered* or not."""

    risk: bool = False
    # How a triggered rule of this kind is flagged on the pages: "risk" (red: the post is at stake),
    # "warning" (amber: something is due), "due" (green: a change in the employee's favour), "" (none).
    badge: str = ""
    flag_zh: str = ""
    flag_en: str = ""
    # Whether a result reads as eligible or not (符合/不符合), as a promotion's does, rather than triggered.
    qualifies: bool = False

    def flag(self, lang: str = "zh") -> str:
        return self.flag_en if lang.startswith("en") else self.flag_zh

    @property
    def promotion(self) -> bool:
        return self.code == "promotion"

    @property
    def gates(self) -> bool:
        """A result that reads as eligible or not (a promotion, a reserve pool's entry): the pages and the
        table list what is still missing, not what triggered it."""
        return self.promotion or self.qualifies

    def verdict(self, hit: bool, lang: str = "zh") -> str:
        """符合/不符合, eligible/not yet for a promotion; 触发/未触发, triggered/no for the others."""
        en = lang.startswith("en")
        if self.gates:
            return ("eligible" if hit else "not yet") if en else ("符合" if hit else "不符合")
        return ("triggered" if hit else "no") if en else ("触发" if hit else "未触发")


RULE_KINDS: dict[str, RuleKind] = {
    k.code: k
    for k in (
        RuleKind("promotion", "晋升", "promotion"),
        RuleKind(
            "demotion",
            "降级",
            "demotion",
            risk=True,
            badge="risk",
            flag_zh="降级风险",
            flag_en="demotion risk",
        ),
        RuleKind("warning", "预警", "warning", risk=True, badge="warning", flag_zh="预警", flag_en="warning"),
        RuleKind(
            "unqualified_leader",
            "不合格领导者",
            "unqualified leader",
            risk=True,
            badge="risk",
            flag_zh="不合格领导者",
            flag_en="unqualified leader",
        ),
        RuleKind(
            "acting_conversion",
            "代理转正",
            "acting conversion",
            badge="due",
            flag_zh="可代理转正",
            flag_en="acting post can become permanent",
        ),
        RuleKind("pay_step", "晋级", "pay step", badge="due", flag_zh="可晋级", flag_en="pay step due"),
        # Conditions that rank candidates for the same post without gating eligibility (优先条件).
        RuleKind("priority", "优先条件", "priority"),
        # Entry to the reserve pool (储备人选, 人才储备库) of a key post: `to` is the post's level, `levels`
        # who may enter; read by rungs.talent, which computes the pool and its readiness from the run.
        RuleKind("reserve", "储备人选", "reserve pool", qualifies=True),
    )
}
OTHER_RULE_KINDS: tuple[str, ...] = tuple(k for k in RULE_KINDS if k != "promotion")  # `rules:` entries
RISK_KINDS: tuple[str, ...] = tuple(k for k, v in RULE_KINDS.items() if v.risk)
FLAGGED_KINDS: tuple[str, ...] = tuple(k for k, v in RULE_KINDS.items() if v.badge)  # shown when triggered


def kind_label(kind: str, lang: str = "zh") -> str:
    """晋升 / promotion, 降级 / demotion, …; an unknown kind is shown as it is."""
    k = RULE_KINDS.get(kind)
    return k.label(lang) if k else kind


# ---- employees ----------------------------------------------------------------------------------------

EDUCATION: tuple[Word, ...] = (  # low to high; the rank is the index
    Word("middle_school", "初中", "middle school"),
    Word("high_school", "高中", "high school"),
    Word("secondary_vocational", "中专", "secondary vocational"),
    Word("associate", "大专", "associate degree"),
    Word("bachelor", "本科", "bachelor"),
    Word("master", "硕士", "master"),
    Word("doctorate", "博士", "doctorate"),
)
EDUCATION_LEVELS: tuple[str, ...] = tuple(w.code for w in EDUCATION)
# Words accepted for education (INTERCHANGE.md), mapped to their codes; codes map to themselves.
EDUCATION_WORDS: dict[str, str] = {
    **{w.zh: w.code for w in EDUCATION},
    "专科": "associate",
    **{code: code for code in EDUCATION_LEVELS},
}

STATUS: tuple[Word, ...] = (
    Word("probation", "试用", "probation"),
    Word("regular", "正式", "regular"),
    Word("left", "离职", "left"),
)
STATUS_CODES: tuple[str, ...] = tuple(w.code for w in STATUS)
STATUS_WORDS: dict[str, str] = {**{w.zh: w.code for w in STATUS}, **{c: c for c in STATUS_CODES}}

ASSIGNMENT_KINDS: tuple[Word, ...] = (
    Word("hire", "入职", "hire"),
    Word("initial", "初评定级", "initial placement"),
    Word("promotion", "晋升", "promotion"),
    Word("demotion", "降级", "demotion"),
    Word("transfer", "调岗", "transfer"),
    Word("acting", "代理", "acting"),
)
ASSIGNMENT_KIND_CODES: tuple[str, ...] = tuple(w.code for w in ASSIGNMENT_KINDS)

# ---- event types (events.csv `type`; INTERCHANGE.md) -----------------------------------------------------

EVENT_TYPES: dict[str, Word] = {
    w.code: w
    for w in (
        Word("penalty", "处罚", "penalty"),
        Word("penalty_offset", "处罚抵消", "penalty offset"),
        Word("major_incident", "重大事故", "major incident"),
        Word("complaint", "投诉", "complaint"),
        Word("commendation_customer", "客户表扬", "customer commendation"),
        Word("commendation_internal", "内部表扬", "internal commendation"),
        Word("award", "奖项", "award"),
        Word("mentored", "带教", "mentored"),
        Word("training", "培训", "training"),
        Word("course_completed", "完成课程", "course completed"),
        Word("certificate", "证书", "certificate"),
        Word("exam", "考试", "exam"),
        Word("leave", "请假", "leave"),
        Word("attestation", "认定", "attestation"),
        Word("improvement_implemented", "改进建议被采纳", "improvement implemented"),
        Word("career_talk", "职业发展面谈", "career talk"),
        Word("career_plan", "职业发展规划表", "career plan"),
        Word("circulated_notice", "红头文件通报", "circulated notice"),
        Word("red_line", "触犯高压线", "red line broken"),
        # Written by the pay-step decisions; `tenure: last_pay_step` reads it.
        Word("pay_step", "晋级", "pay step"),
    )
}

# ---- metrics (metrics.csv `metric`) ------------------------------------------------------------------
# The canonical names (INTERCHANGE.md); other names are the data's own and allowed.
CANONICAL_METRICS: tuple[str, ...] = (
    "csat",
    "resolution_rate",
    "complaint_rate",
    "response_rate",
    "conversion_rate",
    "avg_order_value",
    "tickets",
    "amount",
    "typing_speed",
    "accuracy",
    "on_time_rate",
    "commission",
)


@dataclass(frozen=True)
class MetricWord(Word):
    """fraction: a rate kept as 0–1 and shown as a percentage; additive: money or a count, so a cycle
    longer than a month adds its months up (rates and scores are averaged)."""

    fraction: bool = False
    additive: bool = False


METRIC_WORDS: dict[str, MetricWord] = {
    w.code: w
    for w in (
        MetricWord("csat", "客户满意度", "CSAT"),
        MetricWord("resolution_rate", "问题解决率", "resolution rate", fraction=True),
        MetricWord("complaint_rate", "投诉率", "complaint rate", fraction=True),
        MetricWord("response_rate", "响应率", "response rate", fraction=True),
        MetricWord("conversion_rate", "转化率", "conversion rate", fraction=True),
        MetricWord("avg_order_value", "客单价", "average order value"),
        MetricWord("tickets", "工作量", "tickets", additive=True),
        MetricWord("amount", "金额", "amount", additive=True),
        MetricWord("typing_speed", "打字速度", "typing speed"),
        MetricWord("accuracy", "准确率", "accuracy", fraction=True),
        MetricWord("on_time_rate", "准时率", "on-time rate", fraction=True),
        MetricWord("commission", "提成", "commission", additive=True),
    )
}
assert tuple(METRIC_WORDS) == CANONICAL_METRICS
