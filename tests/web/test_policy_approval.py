"""A policy whose rules have an owner (SEEDS.md star-titles: the general manager makes, amends and repeals
them): a new version is a draft until the owner approves it, and shows its effect first — who gains or loses
eligibility against the version in force, by department and level. The notice-workflow round of test_rounds
gives the people: 王芳 and 赵丽 meet every junior → senior condition, 李强 has 3 months of the 12."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from rungs.accounts.authority import Denied
from rungs.accounts.models import UserFunction
from rungs.policies.models import Policy
from rungs.policies.services import PolicyRefused, policy_approve, policy_create
from tests.web.test_rounds import POLICY, company  # noqa: F401  (the fixture)

User = get_user_model()
D = dt.date


def version(text, number, *, tenure=None, owner=True):
    text = text.replace('version: "2026.1"', f'version: "{number}"')
    if owner:
        text = text.replace(
            "  notice_working_days: 5", "  rules_owner: general_manager\n  notice_working_days: 5"
        )
    if tenure is not None:  # the junior → senior tenure condition, in months
        text = text.replace("at_least: 12", f"at_least: {tenure}", 1)
    return text


@pytest.mark.django_db
def test_a_version_with_an_owner_waits_for_them_and_they_only(company):  # noqa: F811
    u, rnd = company
    gm = User.objects.create(username="gm", role="executive")
    UserFunction.objects.create(user=gm, function="general_manager")
    base = POLICY.read_text(encoding="utf-8")
    owned = policy_create(text=version(base, "2026.2"), actor=u["hr"])  # names its owner: a draft
    assert not owned.approved
    assert Policy.in_force(D(2026, 12, 1), owned.scheme) == rnd.policy  # the draft is not in force
    with pytest.raises(Denied, match="总经理"):
        policy_approve(policy=owned, actor=u["dm"])
    policy_approve(policy=owned, actor=gm, reason="同意")
    assert Policy.in_force(D(2026, 12, 1), owned.scheme) == owned
    with pytest.raises(PolicyRefused, match="已经批准"):
        policy_approve(policy=owned, actor=gm)
    # a later version cannot drop the owner to escape the approval: the version in force names them
    dropped = policy_create(text=version(base, "2026.3", owner=False), actor=u["hr"])
    assert not dropped.approved
    UserFunction.objects.create(user=u["hr"], function="general_manager")  # HR is the GM as well
    with pytest.raises(PolicyRefused, match="上传者"):  # but does not approve their own upload
        policy_approve(policy=dropped, actor=u["hr"])


@pytest.mark.django_db
def test_the_what_if_names_who_gains_and_who_loses(company, client):  # noqa: F811
    u, rnd = company
    base = POLICY.read_text(encoding="utf-8")
    # 3 months of tenure instead of 12: 李强 (3 months as junior on 2026-09-01) gains; nobody loses
    looser = policy_create(text=version(base, "2026.2", tenure=3), actor=u["hr"])
    client.force_login(u["hr"])
    page = client.get(f"/entry/policies/{looser.pk}/whatif/", {"as_of": "2026-09-01"}).content.decode()
    changes = page[page.find('id="changes"') :]
    assert 'data-employee="E2" data-change="gains"' in changes
    assert "E1" not in changes and "E3" not in changes
    summary = page[page.find('id="summary"') : page.find("</table>", page.find('id="summary"'))]
    assert (
        "客服一部" in summary
        and "<td>senior</td>" in summary
        and '<td class="num">1</td><td class="num">0</td>' in summary
    )
    # 24 months: 王芳 and 赵丽 (20 months) lose, 李强 does not gain
    stricter = policy_create(text=version(base, "2026.3", tenure=24), actor=u["hr"])
    page = client.get(f"/entry/policies/{stricter.pk}/whatif/", {"as_of": "2026-09-01"}).content.decode()
    changes = page[page.find('id="changes"') :]
    assert changes.count('data-change="loses"') == 2 and "E2" not in changes
