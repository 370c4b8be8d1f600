import pytest
from django.test import Client

from rungs.accounts.models import Role

from .conftest import login


@pytest.mark.django_db
def test_pages_require_login(client):
    for url in ("/", "/people/"):
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_login_with_demo_password_opens_home(demo):
    c = Client()
    r = c.post("/accounts/login/", {"username": "demo-hr", "password": demo}, follow=True)
    assert r.status_code == 200
    assert "人力资源工作台" in r.content.decode()


@pytest.mark.django_db
def test_wrong_password_is_refused_in_chinese(demo):
    r = Client().post("/accounts/login/", {"username": "demo-hr", "password": "nope"})
    assert r.status_code == 200 and "用户名或密码不正确" in r.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role])
def test_every_role_has_a_home_page(client, demo, role):
    user = login(client, role.value.replace("_", "-"))
    html = client.get("/").content.decode()
    assert f"{role.label}工作台" in html
    if role == Role.AGENT:
        assert "我的档案" in html and user.employee.name in html
        assert "我的管理范围" not in html
    else:
        assert "我的管理范围" in html


# The demo policy's words for its levels (examples/policies/dual-track-logistics.yaml).
SKILL_WORDS = {
    "assistant": "客服助理",
    "junior": "初级客服专员",
    "intermediate": "中级客服专员",
    "senior": "高级客服专员",
    "expert": "资深客服专员",
}


@pytest.mark.django_db
def test_home_names_levels_as_the_policy_does(client, demo):
    user = login(client, "agent")
    current = user.employee.current_assignments().exclude(kind="acting").order_by("-start_date").first()
    assert current.track == "skill"
    html = client.get("/").content.decode()
    assert f"{SKILL_WORDS[current.level]}（技能通道）" in html
    login(client, "hr")
    rows = client.get("/people/", {"q": user.employee.employee_id}).content.decode()
    assert f"<td>{SKILL_WORDS[current.level]}</td>" in rows


@pytest.mark.django_db
def test_english_switch(client, demo):
    login(client, "hr")
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    html = r.content.decode()
    assert 'lang="en"' in html
    assert "HR workspace" in html
    assert "中文" in html  # the way back


@pytest.mark.django_db
def test_healthz_needs_no_login(client):
    assert client.get("/healthz").json() == {"ok": True}


@pytest.mark.django_db
def test_htmx_is_served_by_the_app(client, demo):
    login(client, "hr")
    html = client.get("/").content.decode()
    assert "https://" not in html.split("<body>")[0]  # no CDN in the head
    src = html.split('<script src="')[1].split('"')[0]
    assert src.startswith("/static/") and "htmx" in src
    assert client.get(src).status_code == 200
