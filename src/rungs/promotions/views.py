"""The round pages: the list of rounds (and opening one), a round's board with every candidacy and the steps
the viewer may take, and the printable 公示 with its objection form. Views parse the form and call one
service of rungs.promotions.services; a refusal is shown with its reason and stores nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rungs.accounts.authority import Denied, may
from rungs.accounts.scope import sees_everyone, visible_employees
from rungs.audit import clock
from rungs.board.gaps import display_pair
from rungs.core.documents import AppointmentNotice, appointment_docx, appointment_pdf
from rungs.core.roles import role_label
from rungs.people.models import Department
from rungs.policies.policy_view import policy_view
from rungs.policies.selectors import policies_in_force
from rungs.promotions import assessment, services
from rungs.promotions.deadlines import due_badge
from rungs.promotions.funnel import funnel, round_xlsx
from rungs.promotions.models import Candidacy, Objection, Round
from rungs.promotions.selectors import level_label, rounds_for, with_due_badges


@login_required
def index(request):
    can_open = may(request.user, "round.open")
    return render(
        request,
        "promotions/index.html",
        {
            "rounds": rounds_for(request.user)[:200],
            "can_open": can_open,
            "policies": policies_in_force(clock.today()) if can_open else [],
            "kinds": Round.Kind.choices,
            "departments": Department.objects.order_by("name")
            if can_open and sees_everyone(request.user)
            else [],
        },
    )


@login_required
@require_POST
def open_round(request):
    p = request.POST
    policy = next((x for x in policies_in_force(clock.today()) if str(x.pk) == p.get("policy")), None)
    try:
        number = int(p.get("number", ""))
    except ValueError:
        number = 0
    if policy is None or number < 1 or not p.get("level", "").strip() or not p.get("name", "").strip():
        messages.error(request, _("请选择生效的策略，并填写名称、岗位职级和人数（至少 1 人）。"))
        return redirect("promotions:index")
    track, _sep, level = p["level"].partition(".")
    department = None
    if p.get("department") and sees_everyone(request.user):
        department = Department.objects.filter(pk=p["department"]).first()
    try:
        rnd = services.round_open(
            policy=policy,
            name=p["name"].strip(),
            kind=p.get("kind") if p.get("kind") in Round.Kind.values else Round.Kind.REGULAR,
            posts=[
                {"track": track, "level": level, "number": number, "requirements": p.get("requirements", "")}
            ],
            actor=request.user,
            department=department,
        )
    except (Denied, services.StepRefused) as exc:
        messages.error(request, getattr(exc, "reason", None) or str(exc))
        return redirect("promotions:index")
    messages.success(request, _("已发起评审。"))
    return redirect("promotions:round", rnd.pk)


def _round(request, pk):
    return get_object_or_404(rounds_for(request.user), pk=pk)


PAGE = 100  # candidacies per page of a round's board


def _conditions(pv, c, lang) -> list[tuple[str, bool, str]]:
    """The candidacy's stored explanation as the board words it: (the policy's label in `lang`, met, the
    actual value for people — 已认定, a percentage, met 2/3 — or "" when none was recorded)."""
    rule = next(
        (
            r
            for r in pv.promotions()
            if r.track == c.track and r.to_level == c.to_level and c.from_level in r.levels
        ),
        None,
    )
    out = []
    for x in c.explanation or ():
        if not isinstance(x, dict) or "id" not in x:
            continue
        crit = pv.criterion(rule.id, x["id"]) if rule else None
        label = pv.criterion_label(rule.id, x["id"], x.get("label", ""), lang) if rule else x.get("label", "")
        composite = "criteria" in x
        actual = display_pair(x, crit)[0] if composite or x.get("actual") is not None else ""
        out.append((label or x["id"], bool(x.get("passed")), actual))
    return out


def _labelled(rnd, rows, lang, user=None):
    """The rows with their level labels, conditions and signatures in `lang`, and the pay effect for those
    who may see pay: whoever appoints, and the appointee (a manager who sees the candidacy does not see
    the person's pay)."""
    sees_pay = user is not None and may(user, "round.appoint")
    pv = policy_view(rnd.policy)
    for c in rows:
        c.from_label = level_label(rnd.policy, c.track, c.from_level, lang)
        c.to_label = level_label(rnd.policy, c.track, c.to_level, lang)
        c.conditions = _conditions(pv, c, lang)
        c.signatures = [
            {"by": a.get("by", ""), "for": a.get("for", ""), "as": role_label(a.get("as", ""), lang),
             "on": a.get("on", "")}
            for a in c.approvals or ()
        ]  # fmt: skip
        mine = user is not None and user.employee_id == c.employee_id
        c.pay_text = (
            c.pay.get("explanation_en" if lang == "en" else "explanation_zh", "")
            if c.pay and (sees_pay or mine)
            else ""
        )
        yield c


COUNT_BOUND = 1000


def _eligible_outside(rnd, user):
    """Those the round's evaluation finds eligible for one of its posts who are not candidates yet, in the
    user's sight: (how many, the first of them)."""
    if rnd.run is None:
        return 0, []
    posts = Q()
    for p in rnd.posts.all():
        posts |= Q(track=p.track, to_level=p.level)
    rows = rnd.run.decisions.filter(posts, kind="promotion", eligible=True).exclude(
        employee__candidacies__round=rnd
    )
    if rnd.department_id:
        rows = rows.filter(employee__department_id=rnd.department_id)
    if not sees_everyone(user):
        rows = rows.filter(employee__in=visible_employees(user))
    # counted up to a bound: "more than 1000" is all a page needs to say, and a full count of a 100k
    # company's eligible people would cost more than the rest of the page
    return rows[: COUNT_BOUND + 1].count(), list(
        rows.select_related("employee").order_by("employee__employee_id")[:50]
    )


@login_required
def round_detail(request, pk):
    rnd = _round(request, pk)
    lang = get_language() or "zh-hans"
    user = request.user
    rows = rnd.candidacies.select_related("employee").prefetch_related("objections")
    if not may(user, "round.notice"):  # HR and the like see every candidacy; others those in their sight
        rows = rows.filter(employee__in=visible_employees(user))
    counts = dict(rows.order_by().values_list("state").annotate(n=Count("pk")))
    base, state = rows, request.GET.get("state", "")
    if state in Candidacy.State.values:
        rows = rows.filter(state=state)
    page = Paginator(rows.order_by("employee__employee_id", "pk"), PAGE).get_page(request.GET.get("page"))
    shown = list(_labelled(rnd, page.object_list, lang, user))
    for c in shown:
        c.round = rnd  # the round's parsed policy, shared: its deadlines and reminders
    shown = with_due_badges(shown, clock.today())
    mine = rnd.candidacies.filter(employee_id=user.employee_id).exists() if user.employee_id else False
    outside, eligible = _eligible_outside(rnd, user)
    for d in eligible:  # the policy's level names, as on the candidacies (初级客服专员, not junior)
        d.from_label = level_label(rnd.policy, d.track, d.from_level, lang)
        d.to_label = level_label(rnd.policy, d.track, d.to_level, lang)
    post_choices = [f"{p.track}.{p.level}" for p in rnd.posts.all()]
    board = _assessment_board(rnd, user, shown, lang)
    return render(
        request,
        "promotions/round.html",
        {
            "round": rnd,
            "posts": [(p, level_label(rnd.policy, p.track, p.level, lang)) for p in rnd.posts.all()],
            "post_choices": post_choices,
            "candidacies": shown,
            "page": page,
            "state": state,
            "states": [(v, label, counts.get(v, 0)) for v, label in Candidacy.State.choices if counts.get(v)],
            "eligible_outside": f"{COUNT_BOUND}+" if outside > COUNT_BOUND else outside,
            "eligible": eligible,
            "mine": mine,
            "notice": getattr(rnd, "notice", None),
            "applications": _applications(rnd),
            "objections": Objection.objects.filter(notice__round=rnd).select_related("candidacy__employee")
            if may(user, "round.mediate")
            else [],
            "nominees": visible_employees(user).exclude(pk=user.employee_id).order_by("employee_id")[:500]
            if may(user, "round.nominate") or (rnd.kind == Round.Kind.VACANCY and may(user, "round.acting"))
            else [],
            "can_notice": services.has_notice(rnd.policy)
            and may(user, "round.notice")
            and not hasattr(rnd, "notice"),
            "approvable": services.before_approval(rnd.policy),
            "can_progress": may(user, "round.notice"),
            "committee": getattr(rnd, "committee", None),
            "can_committee": services.has_committee(rnd.policy)
            and may(user, "round.committee")
            and not hasattr(rnd, "committee"),
            "can_assess": may(user, "round.assess"),
            "can_nominate": may(user, "round.nominate"),
            "skip_level": role_label(rnd.policy.parsed.procedure.skip_level)
            if rnd.policy.parsed.procedure.skip_level
            else "",
            "can_act": rnd.kind == Round.Kind.VACANCY and may(user, "round.acting"),
            "qualified": _in_rank_order(
                list(
                    _labelled(
                        rnd,
                        base.filter(state=Candidacy.State.QUALIFIED).order_by("employee__employee_id")[:500],
                        lang,
                    )
                ),
                board,
            ),
            "assessment": board,
            "S": Candidacy.State,
        },
    )


def _applications(rnd):
    """When the round's applications close (procedure.deadlines.application), as _due.html shows it."""
    if rnd.applications_due is None:
        return None
    from rungs.records.calendar import company_calendar

    badge = due_badge(rnd.policy, rnd.applications_due, clock.today(), company_calendar())
    return {
        "due_on": rnd.applications_due,
        "due_provisional": rnd.applications_provisional,
        "due_badge": badge,
        "due_label": "",
    }


BOARD_ROWS = 200  # candidates listed per post in the assessment's ranking (all are ranked)


def _assessment_board(rnd, user, shown, lang):
    """The round's assessment as the policy's procedure.assessment makes it (None without one): per post
    the shortlist, composite and rank of its candidates in order, for those who run the assessment or the
    committee; and each shown row's own standing (`c.standing`). Three queries however many candidates."""
    rules = assessment.rules(rnd)
    for c in shown:  # the scores by the policy's labels (理论考核 80), or as they were entered
        c.score_items = [(rules.label(k, lang) if rules else k, v) for k, v in c.assessment.items()]
    if rules is None:
        return None
    results = assessment.standings(rnd)
    mine, notes = assessment.by_candidacy(results), assessment.interview_notes(results, rules)
    for c in shown:
        c.standing, c.standing_note = mine.get(c.pk), notes.get(c.pk)
    if not (may(user, "round.assess") or may(user, "round.committee") or may(user, "round.notice")):
        return {"rules": rules, "posts": [], "by_candidacy": mine, "notes": notes, "scores": []}
    keys = {s.key for r in results.values() for s in r.standings[:BOARD_ROWS]}
    people = (
        {
            c.pk: c
            for c in rnd.candidacies.filter(pk__in=keys)
            .select_related("employee")
            .only("pk", "state", "assessment", "employee__name", "employee__employee_id")
        }
        if keys
        else {}
    )
    posts = []
    for (track, level), r in results.items():
        rows = [
            (
                s,
                people[s.key],
                [people[s.key].assessment.get(n, "—") for n, _label in rules.scores],
                notes.get(s.key),
            )
            for s in r.standings[:BOARD_ROWS]
            if s.key in people
        ]
        posts.append(
            {
                "label": level_label(rnd.policy, track, level, lang),
                "result": r,
                "rows": rows,
                "more": max(len(r.standings) - BOARD_ROWS, 0),
                "missing": [people[k].employee.name for k in r.missing_written if k in people],
            }
        )
    return {
        "rules": rules,
        "posts": posts,
        "by_candidacy": mine,
        "notes": notes,
        "scores": [(n, lab.get(lang)) for n, lab in rules.scores],
        **_rule_labels(rules, lang),
    }


def _rule_labels(rules, lang):
    """The scores the shortlist, composite and ranking name, by the policy's labels (业务成绩, not
    business_results) for the rules line above the ranking."""
    sl, comp, rk = rules.shortlist, rules.composite, rules.rank
    return {
        "shortlist_by": [rules.label(n, lang) for n in sl.by] if sl else [],
        "weights": [(rules.label(n, lang), w) for n, w in comp.weights] if comp else [],
        "rank_by": (_("综合成绩") if rk.by == "composite" else rules.label(rk.by, lang)) if rk else "",
    }


def _in_rank_order(rows, board):
    """The committee's list in the assessment's order (ranked first, by rank), each with its standing."""
    if not board:
        return rows
    mine = board["by_candidacy"]
    order = {}
    for i, key in enumerate(mine):
        order[key] = i
    for c in rows:
        c.standing, c.standing_note = mine.get(c.pk), board["notes"].get(c.pk)
    return sorted(rows, key=lambda c: order.get(c.pk, len(order)))


@login_required
def calendar(request):
    """The working-day calendar the 公示 counts on: the years held, and seeding, importing, correcting."""
    from rungs.records import calendar as cal
    from rungs.records.models import CalendarDay, CalendarYear

    user = request.user
    if not may(user, "calendar.edit"):
        raise Denied("calendar.edit", _("只有人力资源和系统管理员可以维护工作日历。"))
    if request.method == "POST":
        p = request.POST
        try:
            year = int(p.get("year") or 0)
            if p.get("step") == "seed":
                cal.calendar_seed(year=year, actor=user)
            elif p.get("step") == "import":
                upload = request.FILES.get("file")
                text = upload.read(1_000_000).decode("utf-8-sig") if upload else p.get("text", "")
                cal.calendar_import(year=year, text=text, source=p.get("source", "").strip(), actor=user)
            else:
                cal.calendar_day_set(
                    day=dt.date.fromisoformat(p.get("day", "")),
                    workday=p.get("workday") == "1",
                    name=p.get("name", ""),
                    actor=user,
                )
            messages.success(request, _("已保存。"))
        except (cal.CalendarRefused, Denied) as exc:
            messages.error(request, getattr(exc, "reason", None) or str(exc))
        except (ValueError, UnicodeDecodeError):
            messages.error(request, _("年份应为数字，日期应为 YYYY-MM-DD，文件应为 UTF-8 编码的 CSV。"))
        return redirect("promotions:calendar")
    return render(
        request,
        "promotions/calendar.html",
        {
            "years": CalendarYear.objects.all(),
            "days": CalendarDay.objects.order_by("-date")[:60],
            "this_year": clock.today().year,
        },
    )


@login_required
def progress(request, pk):
    """The funnel and time in stage of a round, for those who see all of it."""
    rnd = _round(request, pk)
    if not may(request.user, "round.notice"):
        raise Http404
    return render(request, "promotions/progress.html", {"round": rnd, "funnel": funnel(rnd)})


@login_required
def export(request, pk):
    """The round as a workbook: every candidacy the viewer may see all of (HR and the like), and the funnel."""
    rnd = _round(request, pk)
    if not may(request.user, "round.notice"):
        raise Http404
    lang = get_language() or "zh-hans"
    body = round_xlsx(rnd, lambda track, level: level_label(rnd.policy, track, level, lang), clock.today())
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="round-{rnd.pk}.xlsx"'
    return response


NOTICE_PAGE = 200  # names per page of the 公示 (?all=1 prints every name)


@login_required
def notice_page(request, pk):
    rnd = _round(request, pk)
    notice = getattr(rnd, "notice", None)
    lang = get_language() or "zh-hans"
    S = Candidacy.State
    rows = (
        rnd.candidacies.filter(state__in=(S.NOTICE, S.APPROVED, S.APPOINTED, S.FORMAL))
        .select_related("employee")
        .only("pk", "state", "track", "from_level", "to_level", "employee__name", "employee__employee_id")
        .order_by("employee__employee_id", "pk")
    )
    printing = request.GET.get("all") == "1"
    page = Paginator(rows, rows.count() or 1 if printing else NOTICE_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "promotions/notice.html",
        {
            "round": rnd,
            "notice": notice,
            "listed": list(_labelled(rnd, page.object_list, lang)),
            "page": page,
            "today": clock.today(),
        },
    )


ONBOARDING = {
    "after_onboarding_assessment": "任职后须参加新岗位培训，考核合格后方可转为正式任职；考核不合格的，恢复原岗位及待遇。",
}


def appointment_notice(c: Candidacy) -> AppointmentNotice:
    """The 任命通知 of an appointed candidacy, in the policy's words for the posts. The document is Chinese
    whatever the reader's language: it is the company's record."""
    rnd = c.round
    return AppointmentNotice(
        number=c.appointment_no,
        company=rnd.department.name if rnd.department else rnd.policy.label,
        name=c.employee.name,
        employee_id=c.employee.employee_id,
        department=c.employee.department.name if c.employee.department else "—",
        from_post=level_label(rnd.policy, c.track, c.from_level, "zh"),
        to_post=level_label(rnd.policy, c.track, c.to_level, "zh"),
        effective=c.effective or c.appointed_on or clock.today(),
        round=rnd.name,
        issued_on=c.appointed_on or c.effective or clock.today(),
        onboarding=ONBOARDING.get(rnd.policy.parsed.procedure.effective, ""),
        pay=_pay_words(c.pay),
    )


def _pay_words(pay: dict) -> str:
    """The notice's words for the pay effect: the explanation without its leading reason and rule."""
    text = pay.get("explanation_zh", "")
    return text.split("：", 1)[-1]


@login_required
def appointment(request, pk, cid, fmt):
    """The numbered 任命通知 as PDF or .docx: for the appointee, and for whoever may appoint them."""
    rnd = _round(request, pk)
    c = get_object_or_404(Candidacy.objects.select_related("employee__department"), round=rnd, pk=cid)
    user = request.user
    if (
        fmt not in ("pdf", "docx")
        or not c.appointment_no
        or not (c.employee_id == user.employee_id or may(user, "round.appoint", c.employee))
    ):
        raise Http404
    notice = appointment_notice(c)
    body, kind = (
        (appointment_pdf(notice), "application/pdf")
        if fmt == "pdf"
        else (
            appointment_docx(notice),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    )
    response = HttpResponse(body, content_type=kind)
    name = f"appointment-{c.employee.employee_id}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _scores(text: str) -> dict[str, dict[str, str]]:
    """Lines of 工号,项目,成绩 (a comma or whitespace between) into {employee_id: {项目: 成绩}}."""
    out: dict[str, dict[str, str]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        parts = line.replace("，", ",").replace(",", " ").split()
        if not parts:
            continue
        if len(parts) != 3:
            raise services.StepRefused(
                _("第 %(n)s 行应为“工号,项目,成绩”三项，而不是“%(line)s”。") % {"n": n, "line": line.strip()}
            )
        out.setdefault(parts[0], {})[parts[1]] = parts[2]
    return out


def _votes(p, rnd) -> dict[int, tuple[int, int]]:
    votes = {}
    for c in rnd.candidacies.filter(state=Candidacy.State.QUALIFIED):
        raw = (p.get(f"for_{c.pk}", ""), p.get(f"against_{c.pk}", ""))
        if raw == ("", ""):
            continue
        try:
            votes[c.pk] = (int(raw[0] or 0), int(raw[1] or 0))
        except ValueError as exc:
            raise services.StepRefused(_("票数应为整数。")) from exc
    return votes


STEPS = (
    "apply",
    "acting",
    "assess",
    "committee",
    "nominate",
    "pass",
    "reject",
    "notice",
    "object",
    "uphold",
    "dismiss",
    "approve",
    "appoint",
    "formal",
    "revert",
)


@login_required
@require_POST
def act(request, pk):
    """One step on the round, named by the button pressed (`step`)."""
    rnd = _round(request, pk)
    p, user, on = request.POST, request.user, clock.today()
    step = p.get("step", "")
    reason = p.get("reason", "")
    back = redirect("promotions:notice" if step == "object" else "promotions:round", rnd.pk)
    if step not in STEPS:
        messages.error(request, _("未知的操作。"))
        return back

    def candidacy():
        return get_object_or_404(Candidacy, round=rnd, pk=p.get("candidacy") or 0)

    try:
        if step == "apply":
            services.candidacy_apply(round=rnd, actor=user, statement=p.get("statement", ""))
        elif step == "nominate":
            employee = get_object_or_404(visible_employees(user), pk=p.get("employee") or 0)
            services.candidacy_nominate(
                round=rnd,
                employee=employee,
                actor=user,
                statement=p.get("statement", ""),
                exception=p.get("exception") == "on",
            )
        elif step in ("pass", "reject"):
            services.candidacy_review(candidacy=candidacy(), passed=step == "pass", actor=user, reason=reason)
        elif step == "acting":
            employee = get_object_or_404(visible_employees(user), pk=p.get("employee") or 0)
            services.acting_appoint(round=rnd, employee=employee, on=on, actor=user, reason=reason)
        elif step == "assess":
            services.assessment_record(round=rnd, scores=_scores(p.get("scores", "")), actor=user)
        elif step == "committee":
            services.committee_record(
                round=rnd,
                members=p.get("members", "").replace("，", "\n").replace("、", "\n").splitlines(),
                chair=p.get("chair", ""),
                minutes=p.get("minutes", ""),
                met_on=on,
                votes=_votes(p, rnd),
                actor=user,
            )
        elif step == "notice":
            services.notice_open(round=rnd, opened_on=on, actor=user)
        elif step == "object":
            services.objection_file(
                candidacy=candidacy(),
                text=p.get("text", ""),
                received_on=on,
                actor=user,
                anonymous=p.get("anonymous") == "on",
            )
        elif step in ("uphold", "dismiss"):
            objection = get_object_or_404(Objection, notice__round=rnd, pk=p.get("objection") or 0)
            services.objection_decide(
                objection=objection, upheld=step == "uphold", reason=reason, decided_on=on, actor=user
            )
        elif step == "approve":
            version = p.get("version")
            services.candidacy_approve(
                candidacy=candidacy(), actor=user, today=on, version=int(version) if version else None
            )
        elif step == "appoint":
            services.candidacy_appoint(candidacy=candidacy(), decided=on, actor=user)
        else:
            services.candidacy_conclude(
                candidacy=candidacy(), passed=step == "formal", on=on, actor=user, reason=reason
            )
    except (Denied, services.StepRefused) as exc:
        messages.error(request, getattr(exc, "reason", None) or str(exc))
        return back
    messages.success(request, _("已保存。"))
    return back
