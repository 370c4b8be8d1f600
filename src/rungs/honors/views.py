"""The honor pages: the titles (and setting one up), one title's nominations for a cycle with the steps the
viewer may take, the printable 公示 with its objection form, the honor board for a wall screen, the thanks
feed, and the certificate. Views parse the form and call one service; a refusal is shown with its reason
and stores nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rungs.accounts.authority import Denied, may
from rungs.accounts.scope import sees_everyone, visible_employees
from rungs.audit import clock
from rungs.core.documents import HonorCertificate, certificate_pdf, cycle_words
from rungs.honors import recognition, selectors, services
from rungs.honors.models import Award, Honor, HonorNotice, HonorObjection, Nomination
from rungs.people.models import Employee, Team
from rungs.policies.selectors import policies_in_force

REFUSED = (Denied, services.HonorRefused)


def _refused(request, exc) -> None:
    messages.error(request, getattr(exc, "reason", None) or str(exc))


@login_required
def index(request):
    user = request.user
    honors = list(Honor.objects.filter(active=True))
    for h in honors:
        h.current = selectors.last_cycle(h.cycle, clock.today())
    can_define = may(user, "honor.define")
    return render(
        request,
        "honors/index.html",
        {
            "honors": honors,
            "can_define": can_define,
            "policies": policies_in_force(clock.today()) if can_define else [],
            "kinds": Honor.Kind.choices,
            "cycles": Honor.Cycle.choices,
            "scopes": Honor.Scope.choices,
        },
    )


@login_required
@require_POST
def define(request):
    p = request.POST
    policy = next((x for x in policies_in_force(clock.today()) if str(x.pk) == p.get("policy")), None)
    try:
        quota = int(p.get("quota", ""))
        days = int(p.get("notice_working_days", "3") or 3)
    except ValueError:
        quota, days = 0, 3
    levels = tuple(x.strip() for x in p.get("levels", "").replace("，", ",").split(",") if x.strip())
    try:
        honor = services.honor_define(
            code=p.get("code", "").strip(),
            name=p.get("name", ""),
            kind=p.get("kind") if p.get("kind") in Honor.Kind.values else Honor.Kind.INDIVIDUAL,
            cycle=p.get("cycle") if p.get("cycle") in Honor.Cycle.values else Honor.Cycle.MONTH,
            quota=quota,
            quota_scope=p.get("quota_scope")
            if p.get("quota_scope") in Honor.Scope.values
            else Honor.Scope.TEAM,
            description=p.get("description", ""),
            policy=policy,
            track=p.get("track", "").strip(),
            levels=levels,
            criteria=p.get("criteria", ""),
            notice_working_days=days,
            actor=request.user,
        )
    except REFUSED as exc:
        _refused(request, exc)
        return redirect("honors:index")
    except ValidationError as exc:  # a code with spaces, a name too long …
        messages.error(request, "；".join(m for ms in exc.message_dict.values() for m in ms))
        return redirect("honors:index")
    messages.success(request, _("已设立「%(name)s」。") % {"name": honor.name})
    return redirect("honors:honor", honor.pk)


def _cycle(request, honor: Honor) -> str:
    asked = (request.GET.get("cycle") or request.POST.get("cycle") or "").strip()
    if asked:
        try:
            return services.cycle_of(honor, asked).label
        except services.HonorRefused:
            pass
    return selectors.last_cycle(honor.cycle, clock.today())


@login_required
def honor_detail(request, pk):
    honor = get_object_or_404(Honor, pk=pk)
    user = request.user
    cycle = _cycle(request, honor)
    nominations = list(selectors.nominations_for(user, honor, cycle))
    can_nominate = may(user, "honor.nominate")
    nominees = (
        visible_employees(user)
        .exclude(pk=user.employee_id)
        .exclude(status=Employee.Status.LEFT)
        .order_by("employee_id")[:500]
        if can_nominate and honor.kind == Honor.Kind.INDIVIDUAL
        else []
    )
    teams = []
    if can_nominate and honor.kind == Honor.Kind.TEAM:
        teams = (
            Team.objects.all()
            if sees_everyone(user)
            else Team.objects.filter(pk__in=visible_employees(user).values("team"))
        )
    notices = HonorNotice.objects.filter(honor=honor, cycle=cycle)
    return render(
        request,
        "honors/honor.html",
        {
            "honor": honor,
            "cycle": cycle,
            "cycle_words": cycle_words(cycle),
            "nominations": nominations,
            "nominees": nominees,
            "teams": teams,
            "can_nominate": can_nominate,
            "can_review": may(user, "honor.review"),
            "can_notice": may(user, "honor.notice")
            and any(n.state == Nomination.State.APPROVED for n in nominations),
            "can_award": may(user, "honor.award"),
            "can_revoke": may(user, "honor.revoke"),
            "can_edit": may(user, "honor.define"),
            "notices": notices,
            "objections": HonorObjection.objects.filter(
                notice__in=notices, outcome=HonorObjection.Outcome.OPEN
            ).select_related("nomination__employee", "nomination__team")
            if may(user, "honor.mediate")
            else [],
            "S": Nomination.State,
            "today": clock.today(),
        },
    )


def _nomination(honor: Honor, pk) -> Nomination:
    return get_object_or_404(Nomination, pk=pk, honor=honor)


@login_required
@require_POST
def act(request, pk):
    """One step on the title's nominations: nominate, review, post the 公示, award, decide an objection."""
    honor = get_object_or_404(Honor, pk=pk)
    p, user = request.POST, request.user
    cycle = _cycle(request, honor)
    step = p.get("step", "")
    back = f"{reverse('honors:honor', args=[honor.pk])}?cycle={cycle}"
    try:
        if step == "nominate":
            employee = Employee.objects.filter(pk=p.get("employee") or None).first()
            team = Team.objects.filter(pk=p.get("team") or None).first()
            services.nomination_create(
                honor=honor,
                cycle=cycle,
                employee=employee,
                team=team,
                reason=p.get("reason", ""),
                on=clock.today(),
                actor=user,
            )
            messages.success(request, _("已推荐。"))
        elif step == "review":
            services.nomination_review(
                nomination=_nomination(honor, p.get("nomination")),
                passed=p.get("decision") == "pass",
                reason=p.get("reason", ""),
                actor=user,
            )
            messages.success(request, _("已审核。"))
        elif step == "notice":
            notice = services.honor_notice_open(honor=honor, cycle=cycle, opened_on=clock.today(), actor=user)
            messages.success(request, _("已发布公示。"))
            return redirect("honors:notice", notice.pk)
        elif step == "award":
            services.honor_award(
                nomination=_nomination(honor, p.get("nomination")), on=clock.today(), actor=user
            )
            messages.success(request, _("已授予。"))
        elif step == "revoke":
            award = get_object_or_404(Award, nomination=_nomination(honor, p.get("nomination")))
            if not p.get("confirm"):
                raise services.HonorRefused(_("请勾选“确认撤销”后再提交。"))
            services.honor_revoke(award=award, reason=p.get("reason", ""), on=clock.today(), actor=user)
            messages.success(request, _("已撤销证书 %(number)s。") % {"number": award.number})
        elif step == "edit":
            services.honor_edit(
                honor=honor, name=p.get("name", ""), description=p.get("description", ""), actor=user
            )
            messages.success(request, _("已修改荣誉称号。"))
        elif step == "decide":
            objection = get_object_or_404(HonorObjection, pk=p.get("objection"), nomination__honor=honor)
            services.honor_objection_decide(
                objection=objection,
                upheld=p.get("decision") == "uphold",
                reason=p.get("reason", ""),
                decided_on=clock.today(),
                actor=user,
            )
            messages.success(request, _("已处理异议。"))
        else:
            messages.error(request, _("不能进行这一步。"))
    except REFUSED as exc:
        _refused(request, exc)
    return redirect(back)


@login_required
def notice_page(request, pk):
    notice = get_object_or_404(HonorNotice.objects.select_related("honor"), pk=pk)
    listed = notice.nominations.select_related("employee__team", "team").order_by("pk")
    return render(
        request,
        "honors/notice.html",
        {
            "notice": notice,
            "listed": listed,
            "cycle_words": cycle_words(notice.cycle),
            "today": clock.today(),
            "open": notice.ends_on is None or clock.today() <= notice.ends_on,
            "S": Nomination.State,
        },
    )


@login_required
@require_POST
def object_notice(request, pk):
    notice = get_object_or_404(HonorNotice, pk=pk)
    nomination = get_object_or_404(Nomination, pk=request.POST.get("nomination"), notice=notice)
    try:
        services.honor_objection_file(
            nomination=nomination,
            text=request.POST.get("text", ""),
            received_on=clock.today(),
            actor=request.user,
            anonymous=bool(request.POST.get("anonymous")),
        )
        messages.success(request, _("异议已提交，公示计时暂停，等待人力资源处理。"))
    except REFUSED as exc:
        _refused(request, exc)
    return redirect("honors:notice", notice.pk)


@login_required
def board_page(request):
    """团队荣誉榜: a cycle's awards, people and teams, in large type for a wall screen."""
    cycles = selectors.board_cycles()
    cycle = request.GET.get("cycle") or (cycles[0] if cycles else selectors.last_cycle("M", clock.today()))
    people, teams = selectors.board(cycle)
    try:
        refresh = min(max(int(request.GET.get("refresh", "0")), 0), 3600)
    except ValueError:
        refresh = 0
    return render(
        request,
        "honors/board.html",
        {
            "cycle": cycle,
            "cycle_words": cycle_words(cycle) if cycle else "",
            "cycles": cycles,
            "people": people,
            "teams": teams,
            "refresh": refresh,
        },
    )


@login_required
def thanks(request):
    """Thank a colleague for something specific; the feed of thanks; what is left of this month's allowance."""
    user = request.user
    if request.method == "POST":
        receiver = Employee.objects.filter(employee_id=request.POST.get("employee_id", "").strip()).first()
        if receiver is None:
            messages.error(request, _("找不到这个工号的员工。"))
        else:
            try:
                recognition.recognition_give(
                    receiver=receiver, text=request.POST.get("text", ""), on=clock.today(), actor=user
                )
                messages.success(request, _("已感谢 %(name)s。") % {"name": receiver.name})
            except REFUSED as exc:
                _refused(request, exc)
        return redirect("honors:thanks")
    return render(
        request,
        "honors/thanks.html",
        {
            "feed": selectors.feed(),
            "left": recognition.allowance_left(user, clock.today()),
            "allowance": recognition.allowance(),
            "colleagues": Employee.objects.exclude(status=Employee.Status.LEFT)
            .exclude(pk=user.employee_id)
            .order_by("employee_id")[:2000],
        },
    )


def certificate_of(award: Award) -> HonorCertificate:
    """The certificate's text, in Chinese whatever the reader's language: it is the company's record."""
    n = award.nomination
    unit = n.quota_department
    return HonorCertificate(
        number=award.number,
        company=unit.name if unit else _("客服中心"),
        recipient=award.employee.name if award.employee_id else str(award.team),
        honor=award.title,
        cycle=cycle_words(award.cycle),
        issued_on=award.awarded_on,
        team=bool(award.team_id),
    )


@login_required
def certificate(request, pk):
    award = get_object_or_404(
        Award.objects.select_related("honor", "employee", "team", "nomination__quota_department"), pk=pk
    )
    user = request.user
    if award.is_revoked:
        raise PermissionDenied(
            _("证书 %(number)s 已于 %(day)s 撤销。")
            % {"number": award.number, "day": award.revoked_on.isoformat()}
        )
    if award.employee_id:
        allowed = (
            award.employee_id == user.employee_id
            or visible_employees(user).filter(pk=award.employee_id).exists()
        )
    else:
        allowed = sees_everyone(user) or visible_employees(user).filter(team=award.team).exists()
    if not allowed:
        raise PermissionDenied(_("只有获奖人和其上级可以下载这张证书。"))
    response = HttpResponse(certificate_pdf(certificate_of(award)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{award.pk}.pdf"'
    return response
