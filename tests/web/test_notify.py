"""Group robots: each vendor's request, signed as its documentation says, sent to a local fake server that
checks the signature as the vendor would (never the internet); and a round step queues its message for the
robots of its scope only once the step has committed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.error
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from rungs.notify.models import Robot
from rungs.notify.tasks import deliver
from rungs.promotions.services import candidacy_apply
from tests.web.test_rounds import company  # noqa: F401  (the fixture)

SECRET = "SEC0123456789abcdef"


class Vendor(BaseHTTPRequestHandler):
    """Accepts a message only when signed with SECRET: DingTalk's sign in the query, Feishu's in the body."""

    seen: list = []

    def do_POST(self):  # noqa: N802 (the http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
        ok = True
        if self.path.startswith("/dingtalk"):
            ts = query.get("timestamp", "")
            want = hmac.new(SECRET.encode(), f"{ts}\n{SECRET}".encode(), hashlib.sha256).digest()
            ok = query.get("sign") == base64.b64encode(want).decode() and body["text"]["content"]
        elif self.path.startswith("/feishu"):
            ts = body.get("timestamp", "")
            want = hmac.new(f"{ts}\n{SECRET}".encode(), b"", hashlib.sha256).digest()
            ok = body.get("sign") == base64.b64encode(want).decode() and body["content"]["text"]
        else:
            ok = query.get("key") == "k1" and body["msgtype"] == "text"
        Vendor.seen.append((self.path.split("?")[0], body))
        self.send_response(200 if ok else 400)
        self.end_headers()
        self.wfile.write(b'{"errcode":0}')

    def log_message(self, *args):
        pass


@pytest.fixture
def vendor():
    server = HTTPServer(("127.0.0.1", 0), Vendor)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Vendor.seen = []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "path", "secret"),
    [
        ("dingtalk", "/dingtalk/robot/send?access_token=t", SECRET),
        ("feishu", "/feishu/hook/x", SECRET),
        ("wecom", "/wecom/send?key=k1", ""),
    ],
)
def test_each_vendor_accepts_the_signed_message(vendor, kind, path, secret):
    robot = Robot.objects.create(name="客服群", kind=kind, url=vendor + path, secret=secret)
    assert deliver(robot, "【晋升公示】王芳") == 200
    (got_path, body) = Vendor.seen[-1]
    assert "王芳" in json.dumps(body, ensure_ascii=False)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["dingtalk", "feishu"])
def test_a_wrong_secret_is_refused_by_the_vendor(vendor, kind):
    robot = Robot.objects.create(name="客服群", kind=kind, url=f"{vendor}/{kind}/x", secret="wrong")
    with pytest.raises(urllib.error.HTTPError):
        deliver(robot, "测试")


@pytest.mark.django_db
def test_a_step_queues_its_message_for_the_robots_in_scope_after_commit(
    company,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from django_tasks_db.models import DBTaskResult

    u, rnd = company
    mine = Robot.objects.create(
        name="一部群", kind="dingtalk", url="http://127.0.0.1:9/a", department=rnd.department
    )
    Robot.objects.create(
        name="二部群", kind="dingtalk", url="http://127.0.0.1:9/b", department=u["sup2"].department
    )
    everyone = Robot.objects.create(name="全公司", kind="wecom", url="http://127.0.0.1:9/c?key=k")
    Robot.objects.create(name="停用", kind="wecom", url="http://127.0.0.1:9/d?key=k", active=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        candidacy_apply(round=rnd, actor=u["fang"], statement="申请")
    assert DBTaskResult.objects.count() == 0  # nothing before the commit
    for callback in callbacks:
        callback()
    queued = {tuple(t.args_kwargs["args"]) for t in DBTaskResult.objects.all()}
    text = "【晋升评审】2026 年 9 月晋升评审：王芳（本人申请）晋升 senior，待资格审查。"
    assert queued == {(mine.pk, text), (everyone.pk, text)}
