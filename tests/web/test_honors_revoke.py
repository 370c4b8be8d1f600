"""Revoking an awarded honor and correcting a title's name and description (issue 12, honors). A revoked
award removes the `award` event, so the promotion policy that counted it (ecommerce-grades: "近3个月至少一次
评为优秀员工") no longer does; the award stays on record, off the board, with no certificate. Dates on the
2026 calendar (December 2026 has no holiday): the 公示 opened Tue 12-01 for 3 working days ends Thu 12-03."""

from __future__ import annotations

import datetime as dt

import pytest

from rungs.accounts.authority import Denied
from rungs.audit.models import AuditEntry
from rungs.honors.models import Honor, Nomination, NominationStep
from rungs.honors.selectors import board, board_cycles
from rungs.honors.services import (
    HonorRefused,
    honor_award,
    honor_edit,
    honor_notice_open,
    honor_revoke,
    nomination_create,
    nomination_review,
)
from rungs.policies.models import Decision, Policy
from rungs.policies.services import evaluation_run_start
from rungs.records.models import Event
from tests.web.test_honors import company  # noqa: F401  (the fixture)

D = dt.date
S = Nomination.State


def awarded(e, u, excellent, who="fang"):
    n = nomination_create(
        honor=excellent, cycle="2026-11", employee=e[who], reason="本月零差评", on=D(2026, 11, 30),
        actor=u["lead"],
    )  # fmt: skip
    nomination_review(nomination=n, passed=True, actor=u["dm"])
    honor_notice_open(honor=excellent, cycle="2026-11", opened_on=D(2026, 12, 1), actor=u["hr"])
    return honor_award(nomination=n, on=D(2026, 12, 4), actor=u["hr"])


def excellent_criterion(u, employee):
    run = evaluation_run_start(
        policy=Policy.objects.get(scheme="ecommerce-grades"), as_of=D(2027, 1, 1), actor=u["hr"]
    )
    d = Decision.objects.get(run=run, employee=employee, kind="promotion")
    return next((c["passed"], c["actual"]) for c in d.criteria if c["id"] == "excellent_employee")


@pytest.mark.django_db
def test_a_revoked_award_no_longer_counts_for_promotion(company, client):  # noqa: F811
    e, u, excellent, _star = company
    award = awarded(e, u, excellent)
    event = Event.objects.get(employee=e["fang"], type="award")
    assert excellent_criterion(u, e["fang"]) == (True, 1)

    honor_revoke(award=award, reason="核实发现11月有一次重大客诉", on=D(2026, 12, 10), actor=u["hr"])
    # the event is gone: on the same evaluation day the criterion is 0 again
    assert not Event.objects.filter(employee=e["fang"], type="award").exists()
    assert excellent_criterion(u, e["fang"]) == (False, 0)
    award.refresh_from_db()
    assert (award.revoked_on, award.revoked_by, award.event_id) == (D(2026, 12, 10), u["hr"], None)
    assert award.number == "〔2026〕荣字001号"  # kept: the number is never given again
    n = award.nomination
    n.refresh_from_db()
    assert n.state == S.REVOKED
    steps = list(NominationStep.objects.filter(nomination=n).values_list("to_state", flat=True))
    assert steps == [S.NOMINATED, S.APPROVED, S.NOTICE, S.AWARDED, S.REVOKED]
    entry = AuditEntry.objects.get(action="honor.revoke", target_type="award")
    assert entry.employee_id == "E1" and entry.reason == "核实发现11月有一次重大客诉"
    assert entry.before == {
        "state": "awarded",
        "number": "〔2026〕荣字001号",
        "event": {"pk": event.pk, "date": "2026-12-04", "type": "award", "ref": "excellent_employee",
                  "note": "优秀员工 2026-11 〔2026〕荣字001号"},
    }  # fmt: skip
    # off the board, no certificate; the next award of the year is 002
    assert board("2026-11") == ([], []) and board_cycles() == []
    client.force_login(u["fang"])
    r = client.get(f"/honors/awards/{award.pk}/certificate.pdf")
    assert r.status_code == 403 and "已于 2026-12-10 撤销" in r.content.decode()
    with pytest.raises(HonorRefused, match="已于 2026-12-10 撤销"):
        honor_revoke(award=award, reason="再撤一次", on=D(2026, 12, 11), actor=u["hr"])


@pytest.mark.django_db
def test_a_revocation_gives_the_quota_place_back(company):  # noqa: F811
    e, u, excellent, _star = company
    award = awarded(e, u, excellent)
    nomination_create(
        honor=excellent, cycle="2026-11", employee=e["qiang"], reason="x", on=D(2026, 12, 1), actor=u["sup"]
    )
    # 优秀员工: 2 per team; 一组 holds 王芳 (awarded) and 李强
    with pytest.raises(HonorRefused, match="一组已有 2 名提名（王芳、李强）"):
        nomination_create(
            honor=excellent, cycle="2026-11", employee=e["li"], reason="x", on=D(2026, 12, 1), actor=u["sup"]
        )
    honor_revoke(award=award, reason="弄错了人", on=D(2026, 12, 10), actor=u["hr"])
    nomination_create(
        honor=excellent, cycle="2026-11", employee=e["li"], reason="x", on=D(2026, 12, 10), actor=u["sup"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["dm", "lead", "sup", "qiang"])
def test_only_hr_revokes(company, who):  # noqa: F811
    e, u, excellent, _star = company
    award = awarded(e, u, excellent)
    with pytest.raises(Denied):
        honor_revoke(award=award, reason="x", on=D(2026, 12, 10), actor=u[who])
    with pytest.raises(HonorRefused, match="请写明撤销的原因"):
        honor_revoke(award=award, reason=" ", on=D(2026, 12, 10), actor=u["hr"])
    assert Event.objects.filter(type="award").count() == 1
    assert not AuditEntry.objects.filter(action="honor.revoke").exists()


@pytest.mark.django_db
def test_a_title_is_renamed_and_its_awards_keep_their_name(company, client):  # noqa: F811
    e, u, excellent, _star = company
    award = awarded(e, u, excellent)
    honor_edit(honor=excellent, name="月度优秀员工", description="当月表现突出，由上级推荐", actor=u["dm"])
    excellent.refresh_from_db()
    assert (excellent.name, excellent.description, excellent.code) == (
        "月度优秀员工", "当月表现突出，由上级推荐", "excellent_employee"
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="honor.define", target_id=str(excellent.pk), before__isnull=False)
    assert entry.before == {"name": "优秀员工", "description": "当月工作表现突出，由上级推荐"}
    assert entry.after == {"name": "月度优秀员工", "description": "当月表现突出，由上级推荐"}
    # the award made before keeps the name it was awarded under, on the board and the certificate
    people, _teams = board("2026-11")
    assert [a.title for a in people] == ["优秀员工"]
    client.force_login(u["hr"])
    html = client.get("/honors/board/?cycle=2026-11").content.decode()
    assert "优秀员工" in html and "月度优秀员工" not in html
    assert award.pk
    with pytest.raises(HonorRefused, match="都没有改动"):
        honor_edit(
            honor=excellent, name="月度优秀员工", description="当月表现突出，由上级推荐", actor=u["hr"]
        )
    with pytest.raises(HonorRefused, match="请填写荣誉名称"):
        honor_edit(honor=excellent, name="", description="", actor=u["hr"])
    for who in ("lead", "sup", "fang"):
        with pytest.raises(Denied):
            honor_edit(honor=excellent, name="x", description="", actor=u[who])
    assert Honor.objects.get(pk=excellent.pk).name == "月度优秀员工"


@pytest.mark.django_db
def test_the_title_page_revokes_and_edits(company, client):  # noqa: F811
    e, u, excellent, _star = company
    award = awarded(e, u, excellent)
    url = f"/honors/{excellent.pk}/act/"
    client.force_login(u["dm"])  # may edit, may not revoke
    html = client.get(f"/honors/{excellent.pk}/?cycle=2026-11").content.decode()
    assert 'id="edit-honor"' in html and 'class="revoke"' not in html
    client.force_login(u["hr"])
    html = client.get(f"/honors/{excellent.pk}/?cycle=2026-11").content.decode()
    assert 'class="revoke"' in html
    post = {"step": "revoke", "cycle": "2026-11", "nomination": award.nomination_id, "reason": "弄错了人"}
    html = client.post(url, post, follow=True).content.decode()
    assert "请勾选“确认撤销”后再提交" in html
    assert Event.objects.filter(type="award").exists()
    html = client.post(url, {**post, "confirm": "1"}, follow=True).content.decode()
    assert "已撤销证书 〔2026〕荣字001号" in html and "已撤销授予" in html
    assert not Event.objects.filter(type="award").exists()
    html = client.post(
        url, {"step": "edit", "cycle": "2026-11", "name": "月度之星", "description": ""}, follow=True
    ).content.decode()
    assert "已修改荣誉称号" in html and "<h1>月度之星" in html
