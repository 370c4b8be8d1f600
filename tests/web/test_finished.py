"""It behaves like finished software: throttled sign-in, real password rules, a CSP, private caching,
error pages in Chinese with the navigation, and a language switch that switches back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from rungs.accounts.models import LoginFailure
from rungs.demo.seed import DEMO_PASSWORD
from tests.web.conftest import login


def _sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_fifty_wrong_passwords_lock_the_right_one_out_for_the_window(client, demo, settings):
    for _ in range(50):
        r = _sign_in(client, "demo-hr", "guess")
        assert r.status_code == 200
    r = _sign_in(client, "demo-hr", DEMO_PASSWORD)
    assert r.status_code == 200 and "登录失败次数过多" in r.content.decode()
    assert "_auth_user_id" not in client.session
    # Once the failures are older than the window, the right password works again and clears them.
    LoginFailure.objects.update(
        at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW + 1)
    )
    r = _sign_in(client, "demo-hr", DEMO_PASSWORD)
    assert r.status_code == 302 and not LoginFailure.objects.filter(username="demo-hr").exists()


@pytest.mark.django_db
def test_a_few_mistakes_do_not_lock(client, demo, settings):
    for _ in range(settings.LOGIN_FAILURES_ALLOWED - 1):
        _sign_in(client, "demo-agent", "typo")
    assert _sign_in(client, "demo-agent", DEMO_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_users_change_their_own_password_under_the_full_validators(client, demo):
    user = login(client, "agent")
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and "修改密码" in page.content.decode()
    weak = {"old_password": DEMO_PASSWORD, "new_password1": "12345678901", "new_password2": "12345678901"}
    html = client.post("/accounts/password/", weak).content.decode()
    assert "密码只包含数字" in html
    similar = {"old_password": DEMO_PASSWORD, "new_password1": user.username, "new_password2": user.username}
    assert client.post("/accounts/password/", similar).status_code == 200
    good = {
        "old_password": DEMO_PASSWORD,
        "new_password1": "蓝色-Tiger-2026!",
        "new_password2": "蓝色-Tiger-2026!",
    }
    assert client.post("/accounts/password/", good).status_code == 302
    assert get_user_model().objects.get(pk=user.pk).check_password("蓝色-Tiger-2026!")


@pytest.mark.django_db
def test_pages_send_a_csp_and_are_private(client, demo):
    login(client, "hr")
    for url in ("/", "/board/", "/board/team/", "/audit/", "/board/export.xlsx"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "private" in r["Cache-Control"], url
    csp = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    html = client.get("/board/team/").content.decode()
    assert "onchange=" not in html and "data-autosubmit" in html  # no inline handler for the CSP to block


@pytest.mark.django_db
def test_error_pages_are_chinese_with_the_navigation(client, demo):
    login(client, "agent")
    r = client.get("/board/")
    html = r.content.decode()
    assert r.status_code == 403 and "无权访问" in html and "我的进度" in html
    assert "不能查看资格看板" in html  # the authority table's reason
    r = client.get("/no-such-page/")
    assert r.status_code == 404 and "页面不存在" in r.content.decode() and "我的进度" in r.content.decode()


@pytest.mark.django_db
def test_the_500_page_is_chinese(rf, demo):
    from rungs.web.views import server_error

    request = rf.get("/")
    request.user = get_user_model().objects.get(username="demo-hr")
    r = server_error(request)
    assert r.status_code == 500 and "服务器出错" in r.content.decode()


@pytest.mark.django_db
def test_chinese_on_an_english_page_switches_back(client, demo):
    login(client, "hr")
    assert client.get("/en/board/").status_code == 200
    r = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/en/board/?status=eligible"})
    assert r.status_code == 302 and r["Location"] == "/board/?status=eligible"
    assert "资格看板" in client.get(r["Location"]).content.decode()
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/board/"})
    assert r["Location"] == "/en/board/"


@pytest.mark.django_db
def test_a_password_change_writes_an_audit_entry_in_the_admin_and_for_oneself(client, demo):
    """Issue 9: the trail follows logins; a password changed in the admin or by its owner is recorded
    (as "changed", never the hash), and a refused change records nothing."""
    from rungs.audit.models import AuditEntry

    agent = get_user_model().objects.get(username="demo-agent")
    login(client, "admin")
    before = AuditEntry.objects.count()
    url = f"/admin/accounts/user/{agent.pk}/password/"
    refused = {"password1": "12345678901", "password2": "12345678901", "usable_password": "true"}
    assert client.post(url, refused).status_code == 200  # the validators refuse it
    assert AuditEntry.objects.count() == before
    good = {"password1": "绿色-Heron-2027!", "password2": "绿色-Heron-2027!", "usable_password": "true"}
    assert client.post(url, good).status_code == 302
    entry = AuditEntry.objects.latest("pk")
    assert (entry.action, entry.actor, entry.target_id) == ("user.password", "demo-admin", str(agent.pk))
    assert entry.after == {"password": "changed", "by": "demo-admin"}
    assert agent.password not in str(entry.after)
    assert get_user_model().objects.get(pk=agent.pk).check_password("绿色-Heron-2027!")

    agent.refresh_from_db()
    client.force_login(agent)
    mine = {
        "old_password": "绿色-Heron-2027!",
        "new_password1": "蓝色-Tiger-2026!",
        "new_password2": "蓝色-Tiger-2026!",
    }
    r = client.post("/accounts/password/", mine)
    assert r.status_code == 302 and r.url.endswith("/accounts/password/done/")
    entry = AuditEntry.objects.latest("pk")
    assert (entry.action, entry.actor, entry.after) == (
        "user.password",
        "demo-agent",
        {"password": "changed", "by": "self"},
    )
    assert AuditEntry.objects.count() == before + 2


@pytest.mark.django_db
def test_a_password_someone_else_set_must_be_changed_before_anything_else(client, demo):
    """A first password from the logins page, or an administrator's reset, is temporary: its holder sees
    only the password page (and may sign out) until they set their own; a password they set themselves
    asks nothing more."""
    from rungs.accounts.services import logins_create

    hr = get_user_model().objects.get(username="demo-hr")
    [(new, password)] = logins_create(text="xiaowang,agent", actor=hr)
    assert new.must_change_password
    client.force_login(new)
    for page in ("/", "/board/", "/records/", "/en/board/"):
        r = client.get(page)
        assert r.status_code == 302 and r.url.rstrip("/").endswith("/accounts/password"), page
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and 'id="must-change"' in page.content.decode()
    mine = {
        "old_password": password,
        "new_password1": "紫色-Falcon-2031!",
        "new_password2": "紫色-Falcon-2031!",
    }
    assert client.post("/accounts/password/", mine).status_code == 302
    new.refresh_from_db()
    assert not new.must_change_password
    assert client.get("/rewards/").status_code == 200  # the pages open again

    # an administrator's reset makes it temporary again
    login(client, "admin")
    url = f"/admin/accounts/user/{new.pk}/password/"
    reset = {"password1": "橙色-Otter-2032!", "password2": "橙色-Otter-2032!", "usable_password": "true"}
    assert client.post(url, reset).status_code == 302
    new.refresh_from_db()
    assert new.must_change_password
